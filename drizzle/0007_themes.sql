CREATE TABLE "themes" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"name_ru" text NOT NULL,
	"name_en" text NOT NULL,
	"keywords" jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"builtin" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "themes_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "themes_org_key_uq" UNIQUE("org_id","key")
);
--> statement-breakpoint
ALTER TABLE "themes" ADD CONSTRAINT "themes_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "theme_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"watermark" timestamp with time zone,
	"employee_watermark" date,
	"retag_version" integer,
	"retag_total" integer DEFAULT 0 NOT NULL,
	"retag_done" integer DEFAULT 0 NOT NULL,
	"retag_started_at" timestamp with time zone,
	"retag_finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "theme_settings" ADD CONSTRAINT "theme_settings_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "answer_tags" (
	"org_id" uuid NOT NULL,
	"answer_id" uuid NOT NULL,
	"audience" text NOT NULL,
	"survey_id" uuid NOT NULL,
	"day" date NOT NULL,
	"unit_id" uuid NOT NULL,
	"employee_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"score" smallint NOT NULL,
	"has_text" boolean NOT NULL,
	"version" integer NOT NULL,
	"tagged_at" timestamp with time zone NOT NULL,
	CONSTRAINT "answer_tags_org_id_answer_id_pk" PRIMARY KEY("org_id","answer_id"),
	CONSTRAINT "answer_tags_score_range" CHECK ("answer_tags"."score" between 0 and 10)
);
--> statement-breakpoint
CREATE INDEX "answer_tags_org_day_idx" ON "answer_tags" USING btree ("org_id","audience","day");
--> statement-breakpoint
CREATE TABLE "answer_themes" (
	"org_id" uuid NOT NULL,
	"answer_id" uuid NOT NULL,
	"theme_id" uuid NOT NULL,
	"polarity" text NOT NULL,
	CONSTRAINT "answer_themes_org_id_answer_id_theme_id_pk" PRIMARY KEY("org_id","answer_id","theme_id")
);
--> statement-breakpoint
CREATE INDEX "answer_themes_org_theme_idx" ON "answer_themes" USING btree ("org_id","theme_id","answer_id");
--> statement-breakpoint
ALTER TABLE "answer_themes" ADD CONSTRAINT "answer_themes_org_id_answer_id_answer_tags_org_id_answer_id_fk" FOREIGN KEY ("org_id","answer_id") REFERENCES "public"."answer_tags"("org_id","answer_id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "answer_themes" ADD CONSTRAINT "answer_themes_org_id_theme_id_themes_org_id_id_fk" FOREIGN KEY ("org_id","theme_id") REFERENCES "public"."themes"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "theme_daily" (
	"org_id" uuid NOT NULL,
	"audience" text NOT NULL,
	"day" date NOT NULL,
	"unit_id" uuid NOT NULL,
	"employee_id" uuid NOT NULL,
	"theme_id" uuid NOT NULL,
	"detractors" integer DEFAULT 0 NOT NULL,
	"passives" integer DEFAULT 0 NOT NULL,
	"promoters" integer DEFAULT 0 NOT NULL,
	"complaints" integer DEFAULT 0 NOT NULL,
	"praises" integer DEFAULT 0 NOT NULL,
	"wishes" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "theme_daily_org_id_audience_day_unit_id_employee_id_theme_id_pk" PRIMARY KEY("org_id","audience","day","unit_id","employee_id","theme_id")
);
--> statement-breakpoint
CREATE INDEX "theme_daily_org_theme_idx" ON "theme_daily" USING btree ("org_id","theme_id","day");
