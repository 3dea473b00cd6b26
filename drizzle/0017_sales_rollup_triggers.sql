-- The sales roll-up (sales_daily, sales_open_dues) is kept exact by triggers
-- in the transaction that changes orders, payments, allocations or
-- instalments: what is committed is in the roll-up, nothing can be missed by a
-- crash or a restart, and no job has to catch up. Amounts in the base currency
-- are computed by the same expressions the direct queries use
-- (amount × base_total / total), kept as unconstrained numeric, so both agree
-- to the last digit. Statuses that count: approved, delivered, completed.

-- Adds a delta to one owner's day (a row is created on first use; zero rows stay, harmlessly).
CREATE OR REPLACE FUNCTION sales_daily_add(p_tenant uuid, p_owner uuid, p_day date, p_count integer, p_orders numeric, p_payments numeric)
  RETURNS void LANGUAGE sql AS $$
  INSERT INTO sales_daily AS s (tenant_id, owner_id, day, orders_count, orders_amount, payments_amount)
  VALUES (p_tenant, p_owner, p_day, p_count, p_orders, p_payments)
  ON CONFLICT (tenant_id, owner_id, day) DO UPDATE
     SET orders_count = s.orders_count + excluded.orders_count,
         orders_amount = s.orders_amount + excluded.orders_amount,
         payments_amount = s.payments_amount + excluded.payments_amount
$$;
--> statement-breakpoint
-- An order's open receivables, computed again from its current rows (idempotent: safe to run any number of times).
CREATE OR REPLACE FUNCTION sales_refresh_dues(p_tenant uuid, p_order uuid)
  RETURNS void LANGUAGE sql AS $$
  DELETE FROM sales_open_dues WHERE tenant_id = p_tenant AND order_id = p_order;
  INSERT INTO sales_open_dues (tenant_id, order_id, seq, owner_id, due_date, unpaid)
  SELECT o.tenant_id, o.id, i.seq, o.owner_id, i.due_date, coalesce((i.amount - i.paid) * o.base_total / nullif(o.total, 0), 0)
    FROM orders o
    JOIN payment_instalments i ON i.tenant_id = o.tenant_id AND i.order_id = o.id
   WHERE o.tenant_id = p_tenant AND o.id = p_order AND o.status IN ('approved', 'delivered', 'completed') AND i.amount > i.paid
  UNION ALL
  SELECT o.tenant_id, o.id, 0, o.owner_id, o.order_date, coalesce((o.total - o.paid) * o.base_total / nullif(o.total, 0), 0)
    FROM orders o
   WHERE o.tenant_id = p_tenant AND o.id = p_order AND o.status IN ('approved', 'delivered', 'completed') AND o.total > o.paid
     AND NOT EXISTS (SELECT 1 FROM payment_instalments i WHERE i.tenant_id = o.tenant_id AND i.order_id = o.id);
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sales_rollup_orders() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_counts boolean := TG_OP <> 'INSERT' AND OLD.status IN ('approved', 'delivered', 'completed');
  new_counts boolean := TG_OP <> 'DELETE' AND NEW.status IN ('approved', 'delivered', 'completed');
BEGIN
  -- Orders by order date. Only a change of what counts writes (a payment raising `paid` does not),
  -- so concurrent submissions do not queue on one owner's day more than they must.
  IF old_counts IS DISTINCT FROM new_counts
     OR (old_counts AND (OLD.owner_id, OLD.order_date, OLD.base_total) IS DISTINCT FROM (NEW.owner_id, NEW.order_date, NEW.base_total)) THEN
    IF old_counts THEN PERFORM sales_daily_add(OLD.tenant_id, OLD.owner_id, OLD.order_date, -1, -OLD.base_total, 0); END IF;
    IF new_counts THEN PERFORM sales_daily_add(NEW.tenant_id, NEW.owner_id, NEW.order_date, 1, NEW.base_total, 0); END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN
    DELETE FROM sales_open_dues WHERE tenant_id = OLD.tenant_id AND order_id = OLD.id;
    RETURN NULL;
  END IF;
  -- Money received belongs to the order's owner at the order's rate: it moves when either changes.
  IF TG_OP = 'UPDATE' AND (OLD.owner_id, OLD.base_total, OLD.total) IS DISTINCT FROM (NEW.owner_id, NEW.base_total, NEW.total) THEN
    PERFORM sales_daily_add(a.tenant_id, OLD.owner_id, p.received_on, 0, 0, -coalesce(a.amount * OLD.base_total / nullif(OLD.total, 0), 0)),
            sales_daily_add(a.tenant_id, NEW.owner_id, p.received_on, 0, 0, coalesce(a.amount * NEW.base_total / nullif(NEW.total, 0), 0))
       FROM payment_allocations a
       JOIN payments p ON p.tenant_id = a.tenant_id AND p.id = a.payment_id
      WHERE a.tenant_id = NEW.tenant_id AND a.order_id = NEW.id AND p.voided_at IS NULL;
  END IF;
  IF (old_counts OR new_counts)
     AND (TG_OP = 'INSERT' OR (OLD.status, OLD.owner_id, OLD.order_date, OLD.total, OLD.paid, OLD.base_total)
                              IS DISTINCT FROM (NEW.status, NEW.owner_id, NEW.order_date, NEW.total, NEW.paid, NEW.base_total)) THEN
    PERFORM sales_refresh_dues(NEW.tenant_id, NEW.id);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sales_rollup_instalments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM sales_refresh_dues(OLD.tenant_id, OLD.order_id); END IF;
  IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.order_id <> OLD.order_id) THEN PERFORM sales_refresh_dues(NEW.tenant_id, NEW.order_id); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- An allocation of a live payment counts on the payment's received date for the order's owner.
CREATE OR REPLACE FUNCTION sales_rollup_allocations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM sales_daily_add(o.tenant_id, o.owner_id, p.received_on, 0, 0, -coalesce(OLD.amount * o.base_total / nullif(o.total, 0), 0))
       FROM payments p JOIN orders o ON o.tenant_id = p.tenant_id AND o.id = OLD.order_id
      WHERE p.tenant_id = OLD.tenant_id AND p.id = OLD.payment_id AND p.voided_at IS NULL;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM sales_daily_add(o.tenant_id, o.owner_id, p.received_on, 0, 0, coalesce(NEW.amount * o.base_total / nullif(o.total, 0), 0))
       FROM payments p JOIN orders o ON o.tenant_id = p.tenant_id AND o.id = NEW.order_id
      WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.payment_id AND p.voided_at IS NULL;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- A payment voided (or un-voided, or re-dated) takes its allocations off one day and puts them on another.
-- Deleting a payment is handled BEFORE the delete, while its allocations still exist; their cascaded
-- deletion then finds no payment and changes nothing.
CREATE OR REPLACE FUNCTION sales_rollup_payments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.voided_at IS NULL, OLD.received_on) IS NOT DISTINCT FROM (NEW.voided_at IS NULL, NEW.received_on) THEN
    RETURN NULL;
  END IF;
  IF OLD.voided_at IS NULL THEN
    PERFORM sales_daily_add(o.tenant_id, o.owner_id, OLD.received_on, 0, 0, -coalesce(a.amount * o.base_total / nullif(o.total, 0), 0))
       FROM payment_allocations a JOIN orders o ON o.tenant_id = a.tenant_id AND o.id = a.order_id
      WHERE a.tenant_id = OLD.tenant_id AND a.payment_id = OLD.id;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.voided_at IS NULL THEN
    PERFORM sales_daily_add(o.tenant_id, o.owner_id, NEW.received_on, 0, 0, coalesce(a.amount * o.base_total / nullif(o.total, 0), 0))
       FROM payment_allocations a JOIN orders o ON o.tenant_id = a.tenant_id AND o.id = a.order_id
      WHERE a.tenant_id = NEW.tenant_id AND a.payment_id = NEW.id;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NULL END;
END $$;
--> statement-breakpoint
CREATE TRIGGER sales_rollup AFTER INSERT OR UPDATE OR DELETE ON orders FOR EACH ROW EXECUTE FUNCTION sales_rollup_orders();
--> statement-breakpoint
CREATE TRIGGER sales_rollup AFTER INSERT OR UPDATE OR DELETE ON payment_instalments FOR EACH ROW EXECUTE FUNCTION sales_rollup_instalments();
--> statement-breakpoint
CREATE TRIGGER sales_rollup AFTER INSERT OR UPDATE OR DELETE ON payment_allocations FOR EACH ROW EXECUTE FUNCTION sales_rollup_allocations();
--> statement-breakpoint
CREATE TRIGGER sales_rollup AFTER UPDATE ON payments FOR EACH ROW EXECUTE FUNCTION sales_rollup_payments();
--> statement-breakpoint
CREATE TRIGGER sales_rollup_delete BEFORE DELETE ON payments FOR EACH ROW EXECUTE FUNCTION sales_rollup_payments();
--> statement-breakpoint
-- The whole roll-up of one workspace computed again from its orders and payments (after a bulk load
-- with the triggers disabled, or to check it). Runs under that workspace's row-level security scope.
CREATE OR REPLACE FUNCTION sales_rollup_rebuild(p_tenant uuid) RETURNS void LANGUAGE sql AS $$
  DELETE FROM sales_daily WHERE tenant_id = p_tenant;
  DELETE FROM sales_open_dues WHERE tenant_id = p_tenant;
  INSERT INTO sales_daily (tenant_id, owner_id, day, orders_count, orders_amount, payments_amount)
  SELECT p_tenant, owner_id, day, sum(n)::int, sum(orders), sum(payments)
    FROM (SELECT o.owner_id, o.order_date AS day, 1 AS n, o.base_total AS orders, 0::numeric AS payments
            FROM orders o
           WHERE o.tenant_id = p_tenant AND o.status IN ('approved', 'delivered', 'completed')
          UNION ALL
          SELECT o.owner_id, p.received_on, 0, 0, coalesce(a.amount * o.base_total / nullif(o.total, 0), 0)
            FROM payment_allocations a
            JOIN payments p ON p.tenant_id = a.tenant_id AND p.id = a.payment_id
            JOIN orders o ON o.tenant_id = a.tenant_id AND o.id = a.order_id
           WHERE a.tenant_id = p_tenant AND p.voided_at IS NULL) x
   GROUP BY owner_id, day;
  INSERT INTO sales_open_dues (tenant_id, order_id, seq, owner_id, due_date, unpaid)
  SELECT o.tenant_id, o.id, i.seq, o.owner_id, i.due_date, coalesce((i.amount - i.paid) * o.base_total / nullif(o.total, 0), 0)
    FROM orders o
    JOIN payment_instalments i ON i.tenant_id = o.tenant_id AND i.order_id = o.id
   WHERE o.tenant_id = p_tenant AND o.status IN ('approved', 'delivered', 'completed') AND i.amount > i.paid
  UNION ALL
  SELECT o.tenant_id, o.id, 0, o.owner_id, o.order_date, coalesce((o.total - o.paid) * o.base_total / nullif(o.total, 0), 0)
    FROM orders o
   WHERE o.tenant_id = p_tenant AND o.status IN ('approved', 'delivered', 'completed') AND o.total > o.paid
     AND NOT EXISTS (SELECT 1 FROM payment_instalments i WHERE i.tenant_id = o.tenant_id AND i.order_id = o.id);
$$;
--> statement-breakpoint
-- Existing workspaces: each rebuilt under its own scope (row-level security is forced on these tables).
DO $$
DECLARE w record;
BEGIN
  FOR w IN SELECT id FROM workspaces LOOP
    PERFORM set_config('app.tenant_id', w.id::text, true);
    PERFORM sales_rollup_rebuild(w.id);
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END $$;
