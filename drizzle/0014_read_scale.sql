CREATE SEQUENCE "public"."data_version_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
DROP INDEX "deployment_changes_pr_idx";--> statement-breakpoint
ALTER TABLE "repositories" ADD COLUMN "data_version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "deployment_changes_deployed_idx" ON "deployment_changes" USING btree ("deployed_at");--> statement-breakpoint
CREATE INDEX "deployments_live_at_idx" ON "deployments" USING btree (coalesce(finished_at, created_at),"id");--> statement-breakpoint
CREATE INDEX "incidents_opened_idx" ON "incidents" USING btree ("opened_at");--> statement-breakpoint
CREATE INDEX "pull_requests_breakdown_idx" ON "pull_requests" USING btree ("id","is_bot","first_commit_at","created_at","ready_at","first_review_at","merged_at");--> statement-breakpoint
CREATE INDEX "deployment_changes_pr_idx" ON "deployment_changes" USING btree ("service_id","environment","deployed_at","pull_request_id","started_at","is_excluded","first_in_environment","first_in_tier") WHERE "deployment_changes"."pull_request_id" is not null;