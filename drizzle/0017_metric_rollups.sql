CREATE TABLE "metric_rollups" (
	"service_id" integer NOT NULL,
	"environment" text NOT NULL,
	"grain" text NOT NULL,
	"day" date NOT NULL,
	"repository_id" integer NOT NULL,
	"deployments" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"rework" integer DEFAULT 0 NOT NULL,
	"recovered" integer DEFAULT 0 NOT NULL,
	"unrecovered" integer DEFAULT 0 NOT NULL,
	"recovery_seconds" integer[] DEFAULT '{}'::int[] NOT NULL,
	"lead_seconds" integer[] DEFAULT '{}'::int[] NOT NULL,
	"lead_first_in_environment" boolean[] DEFAULT '{}'::boolean[] NOT NULL,
	"lead_first_in_tier" boolean[] DEFAULT '{}'::boolean[] NOT NULL,
	CONSTRAINT "metric_rollups_pk" PRIMARY KEY("service_id","environment","grain","day"),
	CONSTRAINT "metric_rollups_grain_ck" CHECK ("metric_rollups"."grain" in ('day', 'month'))
);
--> statement-breakpoint
CREATE TABLE "rollup_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"time_zone" text NOT NULL,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "metric_rollups" ADD CONSTRAINT "metric_rollups_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_rollups" ADD CONSTRAINT "metric_rollups_repository_id_repositories_id_fk" FOREIGN KEY ("repository_id") REFERENCES "public"."repositories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metric_rollups_repository_day_idx" ON "metric_rollups" USING btree ("repository_id","grain","day");--> statement-breakpoint
CREATE INDEX "metric_rollups_day_idx" ON "metric_rollups" USING btree ("grain","day");