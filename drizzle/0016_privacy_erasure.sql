CREATE TABLE "erased_identities" (
	"hash" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"pseudonym" text NOT NULL,
	"erasure" text NOT NULL,
	"key_check" text NOT NULL,
	"erased_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "erased_identities_kind_ck" CHECK ("erased_identities"."kind" in ('email', 'login', 'name')),
	CONSTRAINT "erased_identities_hash_ck" CHECK ("erased_identities"."hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE INDEX "erased_identities_erasure_idx" ON "erased_identities" USING btree ("erasure");