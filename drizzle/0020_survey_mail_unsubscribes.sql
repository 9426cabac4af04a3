CREATE TABLE "calms_link_mails" (
	"link_id" integer PRIMARY KEY NOT NULL,
	"round_team_id" integer NOT NULL,
	"email_sealed" text NOT NULL,
	"url_sealed" text NOT NULL,
	"kind" text DEFAULT 'invite' NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"reminders" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "calms_link_mails_status_ck" CHECK ("calms_link_mails"."status" in ('pending', 'sending', 'sent', 'failed')),
	CONSTRAINT "calms_link_mails_kind_ck" CHECK ("calms_link_mails"."kind" in ('invite', 'reminder'))
);
--> statement-breakpoint
CREATE TABLE "report_unsubscribes" (
	"email" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "calms_link_mails" ADD CONSTRAINT "calms_link_mails_link_id_calms_respondent_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."calms_respondent_links"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calms_link_mails" ADD CONSTRAINT "calms_link_mails_round_team_id_calms_round_teams_id_fk" FOREIGN KEY ("round_team_id") REFERENCES "public"."calms_round_teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calms_link_mails_ready_idx" ON "calms_link_mails" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "calms_link_mails_round_team_idx" ON "calms_link_mails" USING btree ("round_team_id");