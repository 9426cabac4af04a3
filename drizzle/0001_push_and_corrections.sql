CREATE TABLE "corrections" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "corrections_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"deployment_id" bigint,
	"pull_request_id" bigint,
	"incident_id" bigint,
	"reason" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_by" text,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "corrections_kind_ck" CHECK ("corrections"."kind" in ('deployment_failed', 'deployment_not_failed', 'deployment_excluded', 'pull_request_excluded', 'incident_linked', 'incident_unlinked')),
	CONSTRAINT "corrections_reason_ck" CHECK (length(trim("corrections"."reason")) > 0),
	CONSTRAINT "corrections_target_ck" CHECK (("corrections"."kind" like 'deployment_%' and "corrections"."deployment_id" is not null)
        or ("corrections"."kind" = 'pull_request_excluded' and "corrections"."pull_request_id" is not null)
        or ("corrections"."kind" like 'incident_%' and "corrections"."incident_id" is not null and "corrections"."deployment_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_tokens_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"team_id" integer,
	"created_by" text NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deployment_declared_commits" (
	"deployment_id" bigint NOT NULL,
	"sha" text NOT NULL,
	CONSTRAINT "deployment_declared_commits_pk" PRIMARY KEY("deployment_id","sha"),
	CONSTRAINT "deployment_declared_commits_sha_ck" CHECK ("deployment_declared_commits"."sha" ~ '^[0-9a-f]{4,64}$')
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"token_id" integer NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" smallint NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_pk" PRIMARY KEY("token_id","key")
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"delivery_id" text PRIMARY KEY NOT NULL,
	"event" text NOT NULL,
	"action" text,
	"repository" text,
	"status" text NOT NULL,
	"error" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "deployments" DROP CONSTRAINT "deployments_attribution_ck";--> statement-breakpoint
DROP INDEX "deployment_changes_lead_time_idx";--> statement-breakpoint
ALTER TABLE "deployment_changes" ADD COLUMN "is_excluded" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "is_excluded" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "is_corrected" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "corrections" ADD CONSTRAINT "corrections_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrections" ADD CONSTRAINT "corrections_pull_request_id_pull_requests_id_fk" FOREIGN KEY ("pull_request_id") REFERENCES "public"."pull_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrections" ADD CONSTRAINT "corrections_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_declared_commits" ADD CONSTRAINT "deployment_declared_commits_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_token_id_api_tokens_id_fk" FOREIGN KEY ("token_id") REFERENCES "public"."api_tokens"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "corrections_deployment_idx" ON "corrections" USING btree ("deployment_id");--> statement-breakpoint
CREATE INDEX "corrections_pull_request_idx" ON "corrections" USING btree ("pull_request_id");--> statement-breakpoint
CREATE INDEX "corrections_incident_idx" ON "corrections" USING btree ("incident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_uq" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_team_idx" ON "api_tokens" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_received_idx" ON "webhook_deliveries" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "deployment_changes_lead_time_idx" ON "deployment_changes" USING btree ("service_id","environment","deployed_at","lead_seconds","first_in_environment","first_in_tier") WHERE not "deployment_changes"."is_bot" and not "deployment_changes"."is_merge" and not "deployment_changes"."is_excluded";--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_attribution_ck" CHECK ("deployments"."attribution" in ('pending', 'graph', 'declared', 'baseline', 'unknown_sha', 'too_many', 'none'));