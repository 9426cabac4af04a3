ALTER TABLE "ci_builds" ADD COLUMN "parent_external_id" text;--> statement-breakpoint
ALTER TABLE "ci_builds" ADD COLUMN "stage" text;