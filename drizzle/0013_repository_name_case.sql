DROP INDEX "repositories_full_name_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "repositories_full_name_lower_uq" ON "repositories" USING btree (lower("full_name"));