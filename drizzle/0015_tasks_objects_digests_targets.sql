CREATE TABLE "task_digests" (
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"day" date NOT NULL,
	"sent_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "task_digests_tenant_id_user_id_day_pk" PRIMARY KEY("tenant_id","user_id","day")
);
--> statement-breakpoint
ALTER TABLE "task_digests" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "sales_targets" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"metric" text NOT NULL,
	"period_type" text NOT NULL,
	"period_start" date NOT NULL,
	"scope" text NOT NULL,
	"scope_id" uuid NOT NULL,
	"amount" numeric(18, 2) NOT NULL,
	"parent_id" uuid,
	"notes" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "sales_targets_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "sales_targets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "object_type" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "object_id" uuid;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "priority" text DEFAULT 'normal' NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "overdue_mailed_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "sales_targets_key" ON "sales_targets" USING btree ("tenant_id","metric","period_type","period_start","scope","scope_id");--> statement-breakpoint
CREATE INDEX "sales_targets_parent_idx" ON "sales_targets" USING btree ("tenant_id","parent_id");--> statement-breakpoint
CREATE INDEX "tasks_object_idx" ON "tasks" USING btree ("tenant_id","object_type","object_id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "task_digests" AS PERMISSIVE FOR ALL TO public USING (tenant_id = (select current_tenant_id())) WITH CHECK (tenant_id = (select current_tenant_id()));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "sales_targets" AS PERMISSIVE FOR ALL TO public USING (tenant_id = (select current_tenant_id())) WITH CHECK (tenant_id = (select current_tenant_id()));