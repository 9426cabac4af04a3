CREATE INDEX "deployment_changes_deployed_idx" ON "deployment_changes" USING btree ("deployed_at");--> statement-breakpoint
CREATE INDEX "deployments_live_at_idx" ON "deployments" USING btree (coalesce(finished_at, created_at),"id");--> statement-breakpoint
CREATE INDEX "incidents_opened_idx" ON "incidents" USING btree ("opened_at");