ALTER TABLE "repositories" ADD COLUMN "derive_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "repositories" ADD COLUMN "derive_shas" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "repositories" ADD COLUMN "graph_version" text DEFAULT gen_random_uuid()::text NOT NULL;