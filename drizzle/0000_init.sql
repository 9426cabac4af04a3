CREATE TABLE "ci_builds" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ci_builds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"repository_id" integer NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"workflow" text NOT NULL,
	"branch" text,
	"sha" text NOT NULL,
	"event" text,
	"status" text NOT NULL,
	"conclusion" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"url" text
);
--> statement-breakpoint
CREATE TABLE "commits" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "commits_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"repository_id" integer NOT NULL,
	"sha" text NOT NULL,
	"parent_shas" text[] NOT NULL,
	"authored_at" timestamp with time zone NOT NULL,
	"committed_at" timestamp with time zone NOT NULL,
	"author_name" text DEFAULT '' NOT NULL,
	"author_email" text DEFAULT '' NOT NULL,
	"author_login" text,
	"is_bot" boolean DEFAULT false NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"changed_paths" text[]
);
--> statement-breakpoint
CREATE TABLE "deployment_changes" (
	"deployment_id" bigint NOT NULL,
	"commit_id" bigint NOT NULL,
	"pull_request_id" bigint,
	"service_id" integer NOT NULL,
	"environment" text NOT NULL,
	"deployed_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"lead_seconds" integer NOT NULL,
	"is_bot" boolean NOT NULL,
	"is_merge" boolean NOT NULL,
	"first_in_environment" boolean NOT NULL,
	"first_in_tier" boolean NOT NULL,
	CONSTRAINT "deployment_changes_pk" PRIMARY KEY("deployment_id","commit_id")
);
--> statement-breakpoint
CREATE TABLE "deployments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "deployments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"repository_id" integer NOT NULL,
	"service_id" integer NOT NULL,
	"environment" text NOT NULL,
	"sha" text NOT NULL,
	"ref" text,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"url" text,
	"trigger" text DEFAULT 'unknown' NOT NULL,
	"declared_kind" text,
	"fixes_deployment_id" bigint,
	"prev_deployment_id" bigint,
	"kind" text DEFAULT 'normal' NOT NULL,
	"attribution" text DEFAULT 'pending' NOT NULL,
	"change_count" integer DEFAULT 0 NOT NULL,
	"is_counted" boolean DEFAULT false NOT NULL,
	"is_failed" boolean DEFAULT false NOT NULL,
	"failure_reasons" text[] DEFAULT '{}'::text[] NOT NULL,
	"recovered_at" timestamp with time zone,
	"recovery_seconds" integer,
	"recovery_deployment_id" bigint,
	"is_rework" boolean DEFAULT false NOT NULL,
	"rework_reasons" text[] DEFAULT '{}'::text[] NOT NULL,
	CONSTRAINT "deployments_status_ck" CHECK ("deployments"."status" in ('queued', 'in_progress', 'success', 'failure', 'error', 'cancelled')),
	CONSTRAINT "deployments_kind_ck" CHECK ("deployments"."kind" in ('normal', 'redeploy', 'rollback', 'hotfix')),
	CONSTRAINT "deployments_attribution_ck" CHECK ("deployments"."attribution" in ('pending', 'graph', 'baseline', 'unknown_sha', 'too_many', 'none')),
	CONSTRAINT "deployments_success_finished_ck" CHECK ("deployments"."status" <> 'success' or "deployments"."finished_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "incidents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"url" text,
	"repository_id" integer,
	"service_id" integer,
	"severity" text,
	"opened_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"caused_by_deployment_id" bigint,
	"caused_by_sha" text,
	"restored_by_deployment_id" bigint,
	"linked_deployment_id" bigint,
	"link_method" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incidents_link_method_ck" CHECK ("incidents"."link_method" is null or "incidents"."link_method" in ('explicit', 'sha', 'window')),
	CONSTRAINT "incidents_resolved_after_opened_ck" CHECK ("incidents"."resolved_at" is null or "incidents"."resolved_at" >= "incidents"."opened_at")
);
--> statement-breakpoint
CREATE TABLE "environments" (
	"name" text PRIMARY KEY NOT NULL,
	"tier" text NOT NULL,
	"tier_confirmed" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "environments_tier_ck" CHECK ("environments"."tier" in ('production', 'staging', 'testing', 'development', 'other'))
);
--> statement-breakpoint
CREATE TABLE "org_settings" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"name" text DEFAULT 'My organisation' NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"week_start" smallint DEFAULT 1 NOT NULL,
	"incident_link_window_hours" integer DEFAULT 24 NOT NULL,
	"demo_state" text DEFAULT 'none' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "org_settings_singleton_ck" CHECK ("org_settings"."id" = 1),
	CONSTRAINT "org_settings_week_start_ck" CHECK ("org_settings"."week_start" between 1 and 7),
	CONSTRAINT "org_settings_link_window_ck" CHECK ("org_settings"."incident_link_window_hours" between 0 and 720)
);
--> statement-breakpoint
CREATE TABLE "pull_requests" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pull_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"repository_id" integer NOT NULL,
	"number" integer NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"url" text,
	"author_login" text,
	"is_bot" boolean DEFAULT false NOT NULL,
	"state" text NOT NULL,
	"base_branch" text DEFAULT 'main' NOT NULL,
	"head_branch" text DEFAULT '' NOT NULL,
	"head_sha" text,
	"merge_sha" text,
	"merge_method" text,
	"created_at" timestamp with time zone NOT NULL,
	"ready_at" timestamp with time zone,
	"first_commit_at" timestamp with time zone,
	"first_review_at" timestamp with time zone,
	"approved_at" timestamp with time zone,
	"merged_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"additions" integer DEFAULT 0 NOT NULL,
	"deletions" integer DEFAULT 0 NOT NULL,
	"changed_files" integer DEFAULT 0 NOT NULL,
	"commit_count" integer DEFAULT 0 NOT NULL,
	"labels" text[] DEFAULT '{}'::text[] NOT NULL,
	"reviewer_logins" text[] DEFAULT '{}'::text[] NOT NULL,
	"is_revert" boolean DEFAULT false NOT NULL,
	"reverts_number" integer,
	"is_hotfix" boolean DEFAULT false NOT NULL,
	CONSTRAINT "pull_requests_state_ck" CHECK ("pull_requests"."state" in ('open', 'closed', 'merged'))
);
--> statement-breakpoint
CREATE TABLE "repositories" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "repositories_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"full_name" text NOT NULL,
	"provider" text DEFAULT 'other' NOT NULL,
	"url" text,
	"default_branch" text DEFAULT 'main' NOT NULL,
	"team_id" integer,
	"archived" boolean DEFAULT false NOT NULL,
	"source" text NOT NULL,
	"needs_derive" boolean DEFAULT true NOT NULL,
	"derived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "repositories_full_name_ck" CHECK ("repositories"."full_name" ~ '^[^/\s]+/[^/\s]+$')
);
--> statement-breakpoint
CREATE TABLE "services" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "services_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"repository_id" integer NOT NULL,
	"name" text NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"path_prefixes" text[] DEFAULT '{}'::text[] NOT NULL,
	"team_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "services_name_ck" CHECK ("services"."name" ~ '^[a-z0-9]+([._-][a-z0-9]+)*$')
);
--> statement-breakpoint
CREATE TABLE "sync_state" (
	"source" text NOT NULL,
	"scope" text NOT NULL,
	"resource" text NOT NULL,
	"cursor" text,
	"etag" text,
	"last_run_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"last_status" text,
	"last_error" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_state_pk" PRIMARY KEY("source","scope","resource")
);
--> statement-breakpoint
CREATE TABLE "team_members" (
	"team_id" integer NOT NULL,
	"handle" text NOT NULL,
	"display_name" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_members_pk" PRIMARY KEY("team_id","handle")
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "teams_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"source" text DEFAULT 'ui' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teams_slug_ck" CHECK ("teams"."slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$')
);
--> statement-breakpoint
ALTER TABLE "ci_builds" ADD CONSTRAINT "ci_builds_repository_id_repositories_id_fk" FOREIGN KEY ("repository_id") REFERENCES "public"."repositories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commits" ADD CONSTRAINT "commits_repository_id_repositories_id_fk" FOREIGN KEY ("repository_id") REFERENCES "public"."repositories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_changes" ADD CONSTRAINT "deployment_changes_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_changes" ADD CONSTRAINT "deployment_changes_commit_id_commits_id_fk" FOREIGN KEY ("commit_id") REFERENCES "public"."commits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_changes" ADD CONSTRAINT "deployment_changes_pull_request_id_pull_requests_id_fk" FOREIGN KEY ("pull_request_id") REFERENCES "public"."pull_requests"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_repository_id_repositories_id_fk" FOREIGN KEY ("repository_id") REFERENCES "public"."repositories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_fixes_deployment_id_deployments_id_fk" FOREIGN KEY ("fixes_deployment_id") REFERENCES "public"."deployments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_prev_deployment_id_deployments_id_fk" FOREIGN KEY ("prev_deployment_id") REFERENCES "public"."deployments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_recovery_deployment_id_deployments_id_fk" FOREIGN KEY ("recovery_deployment_id") REFERENCES "public"."deployments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_repository_id_repositories_id_fk" FOREIGN KEY ("repository_id") REFERENCES "public"."repositories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_caused_by_deployment_id_deployments_id_fk" FOREIGN KEY ("caused_by_deployment_id") REFERENCES "public"."deployments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_restored_by_deployment_id_deployments_id_fk" FOREIGN KEY ("restored_by_deployment_id") REFERENCES "public"."deployments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_linked_deployment_id_deployments_id_fk" FOREIGN KEY ("linked_deployment_id") REFERENCES "public"."deployments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pull_requests" ADD CONSTRAINT "pull_requests_repository_id_repositories_id_fk" FOREIGN KEY ("repository_id") REFERENCES "public"."repositories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "repositories" ADD CONSTRAINT "repositories_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_repository_id_repositories_id_fk" FOREIGN KEY ("repository_id") REFERENCES "public"."repositories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ci_builds_source_external_uq" ON "ci_builds" USING btree ("repository_id","source","external_id");--> statement-breakpoint
CREATE INDEX "ci_builds_repository_sha_idx" ON "ci_builds" USING btree ("repository_id","sha");--> statement-breakpoint
CREATE INDEX "ci_builds_repository_started_idx" ON "ci_builds" USING btree ("repository_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "commits_repository_sha_uq" ON "commits" USING btree ("repository_id","sha");--> statement-breakpoint
CREATE INDEX "commits_repository_authored_idx" ON "commits" USING btree ("repository_id","authored_at");--> statement-breakpoint
CREATE INDEX "deployment_changes_lead_time_idx" ON "deployment_changes" USING btree ("service_id","environment","deployed_at","lead_seconds","first_in_environment","first_in_tier") WHERE not "deployment_changes"."is_bot" and not "deployment_changes"."is_merge";--> statement-breakpoint
CREATE INDEX "deployment_changes_pr_idx" ON "deployment_changes" USING btree ("service_id","environment","deployed_at") WHERE "deployment_changes"."pull_request_id" is not null;--> statement-breakpoint
CREATE INDEX "deployment_changes_commit_idx" ON "deployment_changes" USING btree ("commit_id");--> statement-breakpoint
CREATE INDEX "deployment_changes_pull_request_idx" ON "deployment_changes" USING btree ("pull_request_id");--> statement-breakpoint
CREATE INDEX "deployment_changes_bots_idx" ON "deployment_changes" USING btree ("service_id","environment","deployed_at") WHERE "deployment_changes"."is_bot";--> statement-breakpoint
CREATE UNIQUE INDEX "deployments_source_external_uq" ON "deployments" USING btree ("repository_id","source","external_id");--> statement-breakpoint
CREATE INDEX "deployments_metrics_idx" ON "deployments" USING btree ("service_id","environment","finished_at","is_failed","is_rework","recovery_seconds") WHERE "deployments"."is_counted";--> statement-breakpoint
CREATE INDEX "deployments_repository_finished_idx" ON "deployments" USING btree ("repository_id","finished_at");--> statement-breakpoint
CREATE INDEX "deployments_finished_idx" ON "deployments" USING btree ("finished_at");--> statement-breakpoint
CREATE INDEX "deployments_prev_idx" ON "deployments" USING btree ("prev_deployment_id");--> statement-breakpoint
CREATE INDEX "deployments_fixes_idx" ON "deployments" USING btree ("fixes_deployment_id");--> statement-breakpoint
CREATE INDEX "deployments_recovery_idx" ON "deployments" USING btree ("recovery_deployment_id");--> statement-breakpoint
CREATE INDEX "deployments_service_env_finished_idx" ON "deployments" USING btree ("service_id","environment","finished_at");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_source_external_uq" ON "incidents" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "incidents_service_opened_idx" ON "incidents" USING btree ("service_id","opened_at");--> statement-breakpoint
CREATE INDEX "incidents_repository_opened_idx" ON "incidents" USING btree ("repository_id","opened_at");--> statement-breakpoint
CREATE INDEX "incidents_linked_deployment_idx" ON "incidents" USING btree ("linked_deployment_id");--> statement-breakpoint
CREATE INDEX "incidents_caused_by_idx" ON "incidents" USING btree ("caused_by_deployment_id");--> statement-breakpoint
CREATE INDEX "incidents_restored_by_idx" ON "incidents" USING btree ("restored_by_deployment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pull_requests_repository_number_uq" ON "pull_requests" USING btree ("repository_id","number");--> statement-breakpoint
CREATE INDEX "pull_requests_repository_merge_sha_idx" ON "pull_requests" USING btree ("repository_id","merge_sha");--> statement-breakpoint
CREATE INDEX "pull_requests_repository_merged_idx" ON "pull_requests" USING btree ("repository_id","merged_at");--> statement-breakpoint
CREATE UNIQUE INDEX "repositories_full_name_uq" ON "repositories" USING btree ("full_name");--> statement-breakpoint
CREATE INDEX "repositories_team_idx" ON "repositories" USING btree ("team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "services_repository_name_uq" ON "services" USING btree ("repository_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "services_one_default_uq" ON "services" USING btree ("repository_id") WHERE "services"."is_default";--> statement-breakpoint
CREATE INDEX "services_team_idx" ON "services" USING btree ("team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "teams_slug_uq" ON "teams" USING btree ("slug");