ALTER TABLE "deployments" ADD COLUMN "line" text;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "line_start_id" bigint;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "undoes_deployment_id" bigint;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "discounted_reasons" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "history_cut" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "org_settings" ADD COLUMN "rollback_window_hours" integer DEFAULT 168 NOT NULL;--> statement-breakpoint
ALTER TABLE "org_settings" ADD COLUMN "revert_window_hours" integer DEFAULT 168 NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_undoes_deployment_id_deployments_id_fk" FOREIGN KEY ("undoes_deployment_id") REFERENCES "public"."deployments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deployments_undoes_idx" ON "deployments" USING btree ("undoes_deployment_id");--> statement-breakpoint
ALTER TABLE "org_settings" ADD CONSTRAINT "org_settings_rollback_window_ck" CHECK ("org_settings"."rollback_window_hours" between 0 and 8760);--> statement-breakpoint
ALTER TABLE "org_settings" ADD CONSTRAINT "org_settings_revert_window_ck" CHECK ("org_settings"."revert_window_hours" between 0 and 8760);