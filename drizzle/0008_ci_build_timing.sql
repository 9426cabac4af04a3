ALTER TABLE "ci_builds" ADD COLUMN "queued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ci_builds" ADD COLUMN "attempt" integer DEFAULT 1 NOT NULL;