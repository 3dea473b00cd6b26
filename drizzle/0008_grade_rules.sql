ALTER TABLE "customer_settings" ADD COLUMN "grade_rules" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "customer_settings" ADD COLUMN "default_grade" text;