CREATE TABLE "calms_respondent_links" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "calms_respondent_links_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"round_team_id" integer NOT NULL,
	"token_hash" text NOT NULL,
	"used" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "calms_round_teams" ALTER COLUMN "token_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "calms_round_teams" ADD COLUMN "link_mode" text DEFAULT 'team' NOT NULL;--> statement-breakpoint
ALTER TABLE "calms_respondent_links" ADD CONSTRAINT "calms_respondent_links_round_team_id_calms_round_teams_id_fk" FOREIGN KEY ("round_team_id") REFERENCES "public"."calms_round_teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "calms_respondent_links_token_uq" ON "calms_respondent_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "calms_respondent_links_round_team_idx" ON "calms_respondent_links" USING btree ("round_team_id");--> statement-breakpoint
ALTER TABLE "calms_round_teams" ADD CONSTRAINT "calms_round_teams_link_mode_ck" CHECK ("calms_round_teams"."link_mode" in ('team', 'respondent'));--> statement-breakpoint
ALTER TABLE "calms_round_teams" ADD CONSTRAINT "calms_round_teams_token_mode_ck" CHECK (("calms_round_teams"."link_mode" = 'team') = ("calms_round_teams"."token_hash" is not null));