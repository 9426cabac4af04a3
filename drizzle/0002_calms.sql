CREATE TABLE "calms_answers" (
	"submission_id" uuid NOT NULL,
	"item_key" text NOT NULL,
	"value" smallint,
	CONSTRAINT "calms_answers_pk" PRIMARY KEY("submission_id","item_key"),
	CONSTRAINT "calms_answers_value_ck" CHECK ("calms_answers"."value" is null or "calms_answers"."value" between 0 and 7)
);
--> statement-breakpoint
CREATE TABLE "calms_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_team_id" integer NOT NULL,
	"body" text NOT NULL,
	CONSTRAINT "calms_comments_body_ck" CHECK (length("calms_comments"."body") between 1 and 2000)
);
--> statement-breakpoint
CREATE TABLE "calms_custom_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "calms_custom_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"block" text NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calms_custom_items_block_ck" CHECK ("calms_custom_items"."block" in ('culture', 'automation', 'lean', 'measurement', 'sharing', 'westrum') and "calms_custom_items"."block" <> 'westrum'),
	CONSTRAINT "calms_custom_items_text_ck" CHECK (length("calms_custom_items"."text") between 10 and 200)
);
--> statement-breakpoint
CREATE TABLE "calms_responses" (
	"submission_id" uuid PRIMARY KEY NOT NULL,
	"round_team_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calms_round_items" (
	"round_id" integer NOT NULL,
	"item_key" text NOT NULL,
	"block" text NOT NULL,
	"scale" text NOT NULL,
	"text" text NOT NULL,
	"position" smallint NOT NULL,
	CONSTRAINT "calms_round_items_pk" PRIMARY KEY("round_id","item_key"),
	CONSTRAINT "calms_round_items_block_ck" CHECK ("calms_round_items"."block" in ('culture', 'automation', 'lean', 'measurement', 'sharing', 'westrum')),
	CONSTRAINT "calms_round_items_scale_ck" CHECK ("calms_round_items"."scale" in ('frequency', 'agreement'))
);
--> statement-breakpoint
CREATE TABLE "calms_round_teams" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "calms_round_teams_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"round_id" integer NOT NULL,
	"team_id" integer NOT NULL,
	"token_hash" text NOT NULL,
	"team_size" smallint,
	"link_created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calms_rounds" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "calms_rounds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"title" text NOT NULL,
	"opens_on" date NOT NULL,
	"closes_on" date NOT NULL,
	"closed_at" timestamp with time zone,
	"min_group_size" smallint DEFAULT 5 NOT NULL,
	"bank_version" text NOT NULL,
	"source" text DEFAULT 'ui' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calms_rounds_dates_ck" CHECK ("calms_rounds"."closes_on" >= "calms_rounds"."opens_on"),
	CONSTRAINT "calms_rounds_min_group_ck" CHECK ("calms_rounds"."min_group_size" between 3 and 50)
);
--> statement-breakpoint
ALTER TABLE "calms_answers" ADD CONSTRAINT "calms_answers_submission_id_calms_responses_submission_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."calms_responses"("submission_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calms_comments" ADD CONSTRAINT "calms_comments_round_team_id_calms_round_teams_id_fk" FOREIGN KEY ("round_team_id") REFERENCES "public"."calms_round_teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calms_responses" ADD CONSTRAINT "calms_responses_round_team_id_calms_round_teams_id_fk" FOREIGN KEY ("round_team_id") REFERENCES "public"."calms_round_teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calms_round_items" ADD CONSTRAINT "calms_round_items_round_id_calms_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."calms_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calms_round_teams" ADD CONSTRAINT "calms_round_teams_round_id_calms_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."calms_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calms_round_teams" ADD CONSTRAINT "calms_round_teams_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calms_comments_round_team_idx" ON "calms_comments" USING btree ("round_team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "calms_custom_items_block_text_uq" ON "calms_custom_items" USING btree ("block","text");--> statement-breakpoint
CREATE INDEX "calms_responses_round_team_idx" ON "calms_responses" USING btree ("round_team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "calms_round_teams_round_team_uq" ON "calms_round_teams" USING btree ("round_id","team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "calms_round_teams_token_uq" ON "calms_round_teams" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "calms_round_teams_team_idx" ON "calms_round_teams" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "calms_rounds_closes_idx" ON "calms_rounds" USING btree ("closes_on");