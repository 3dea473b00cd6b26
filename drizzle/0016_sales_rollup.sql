CREATE TABLE "sales_daily" (
	"tenant_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"day" date NOT NULL,
	"orders_count" integer DEFAULT 0 NOT NULL,
	"orders_amount" numeric DEFAULT '0' NOT NULL,
	"payments_amount" numeric DEFAULT '0' NOT NULL,
	CONSTRAINT "sales_daily_tenant_id_owner_id_day_pk" PRIMARY KEY("tenant_id","owner_id","day")
);
--> statement-breakpoint
ALTER TABLE "sales_daily" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "sales_open_dues" (
	"tenant_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"owner_id" uuid NOT NULL,
	"due_date" date NOT NULL,
	"unpaid" numeric NOT NULL,
	CONSTRAINT "sales_open_dues_tenant_id_order_id_seq_pk" PRIMARY KEY("tenant_id","order_id","seq")
);
--> statement-breakpoint
ALTER TABLE "sales_open_dues" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE INDEX "sales_daily_day_idx" ON "sales_daily" USING btree ("tenant_id","day");--> statement-breakpoint
CREATE INDEX "sales_open_dues_owner_idx" ON "sales_open_dues" USING btree ("tenant_id","owner_id","due_date");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "sales_daily" AS PERMISSIVE FOR ALL TO public USING (tenant_id = (select current_tenant_id())) WITH CHECK (tenant_id = (select current_tenant_id()));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "sales_open_dues" AS PERMISSIVE FOR ALL TO public USING (tenant_id = (select current_tenant_id())) WITH CHECK (tenant_id = (select current_tenant_id()));