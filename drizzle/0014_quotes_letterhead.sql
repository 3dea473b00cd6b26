CREATE TABLE "quote_lines" (
	"tenant_id" uuid NOT NULL,
	"quote_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"line_no" integer NOT NULL,
	"product_id" uuid,
	"sku" text DEFAULT '' NOT NULL,
	"name" text NOT NULL,
	"unit" text DEFAULT '' NOT NULL,
	"quantity" numeric(18, 4) NOT NULL,
	"unit_price" numeric(18, 4) NOT NULL,
	"discount_rate" numeric(7, 4) DEFAULT '0' NOT NULL,
	"tax_rate" numeric(7, 4) DEFAULT '0' NOT NULL,
	"gross_amount" numeric(18, 2) NOT NULL,
	"discount_amount" numeric(18, 2) NOT NULL,
	"tax_amount" numeric(18, 2) NOT NULL,
	"amount" numeric(18, 2) NOT NULL,
	CONSTRAINT "quote_lines_tenant_id_quote_id_revision_line_no_pk" PRIMARY KEY("tenant_id","quote_id","revision","line_no")
);
--> statement-breakpoint
ALTER TABLE "quote_lines" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "quote_revisions" (
	"tenant_id" uuid NOT NULL,
	"quote_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"currency" text NOT NULL,
	"quote_date" date NOT NULL,
	"valid_until" date,
	"price_list_id" uuid,
	"payment_terms" text DEFAULT '' NOT NULL,
	"delivery_terms" text DEFAULT '' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"subtotal" numeric(18, 2) NOT NULL,
	"discount_total" numeric(18, 2) NOT NULL,
	"tax_total" numeric(18, 2) NOT NULL,
	"total" numeric(18, 2) NOT NULL,
	"base_total" numeric(18, 2) NOT NULL,
	"sent_at" timestamp (3) with time zone,
	"sent_to" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quote_revisions_tenant_id_quote_id_revision_pk" PRIMARY KEY("tenant_id","quote_id","revision")
);
--> statement-breakpoint
ALTER TABLE "quote_revisions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "quotes" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"contact_id" uuid,
	"opportunity_id" uuid,
	"owner_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"order_id" uuid,
	"approval_id" uuid,
	"accepted_at" timestamp (3) with time zone,
	"rejected_reason" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"deleted_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "quotes_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "quotes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "order_settings" ADD COLUMN "quote_pattern" text DEFAULT 'QT{YYYY}{MM}{SEQ:5}' NOT NULL;--> statement-breakpoint
ALTER TABLE "order_settings" ADD COLUMN "quote_period" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "order_settings" ADD COLUMN "quote_next" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "order_settings" ADD COLUMN "discount_approval_above" numeric(7, 4);--> statement-breakpoint
ALTER TABLE "order_settings" ADD COLUMN "letterhead" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "quote_lines" ADD CONSTRAINT "quote_lines_tenant_id_quote_id_revision_quote_revisions_tenant_id_quote_id_revision_fk" FOREIGN KEY ("tenant_id","quote_id","revision") REFERENCES "public"."quote_revisions"("tenant_id","quote_id","revision") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quote_revisions" ADD CONSTRAINT "quote_revisions_tenant_id_quote_id_quotes_tenant_id_id_fk" FOREIGN KEY ("tenant_id","quote_id") REFERENCES "public"."quotes"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "quotes_number_key" ON "quotes" USING btree ("tenant_id","number");--> statement-breakpoint
CREATE INDEX "quotes_customer_idx" ON "quotes" USING btree ("tenant_id","customer_id");--> statement-breakpoint
CREATE INDEX "quotes_owner_idx" ON "quotes" USING btree ("tenant_id","owner_id","updated_at");--> statement-breakpoint
CREATE INDEX "quotes_updated_idx" ON "quotes" USING btree ("tenant_id","updated_at","id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "quote_lines" AS PERMISSIVE FOR ALL TO public USING (tenant_id = (select current_tenant_id())) WITH CHECK (tenant_id = (select current_tenant_id()));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "quote_revisions" AS PERMISSIVE FOR ALL TO public USING (tenant_id = (select current_tenant_id())) WITH CHECK (tenant_id = (select current_tenant_id()));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "quotes" AS PERMISSIVE FOR ALL TO public USING (tenant_id = (select current_tenant_id())) WITH CHECK (tenant_id = (select current_tenant_id()));