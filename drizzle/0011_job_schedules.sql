CREATE TABLE "job_schedules" (
	"key" text PRIMARY KEY NOT NULL,
	"queue" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"every_minutes" integer NOT NULL,
	"next_run_at" timestamp with time zone NOT NULL,
	"last_run_at" timestamp with time zone,
	CONSTRAINT "job_schedules_every_ck" CHECK ("job_schedules"."every_minutes" > 0)
);
--> statement-breakpoint
CREATE INDEX "job_schedules_next_run_idx" ON "job_schedules" USING btree ("next_run_at");