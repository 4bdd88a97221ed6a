-- Analytics: the organisation's band definitions (revenue, visit frequency, tenure) and the daily rollup of answers by
-- customer facet (service, revenue band, visit-frequency band, tenure band) and unit, kept in step with the answers.
CREATE TABLE "analytics_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"revenue_mode" text DEFAULT 'quantiles' NOT NULL,
	"revenue_quantiles" smallint DEFAULT 4 NOT NULL,
	"revenue_bounds_minor" bigint[] DEFAULT '{}' NOT NULL,
	"revenue_bounds_at" timestamp with time zone,
	"visit_bounds" integer[] DEFAULT '{1,2,4,12}' NOT NULL,
	"tenure_bounds_months" integer[] DEFAULT '{6,12,24,60}' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "analytics_settings_revenue_mode" CHECK ("revenue_mode" in ('quantiles', 'fixed')),
	CONSTRAINT "analytics_settings_quantiles" CHECK ("revenue_quantiles" between 2 and 10)
);
--> statement-breakpoint
ALTER TABLE "analytics_settings" ADD CONSTRAINT "analytics_settings_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "nps_daily_facet" (
	"org_id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"facet" text NOT NULL,
	"day" date NOT NULL,
	"unit_id" uuid NOT NULL,
	"value" text NOT NULL,
	"c0" integer DEFAULT 0 NOT NULL,
	"c1" integer DEFAULT 0 NOT NULL,
	"c2" integer DEFAULT 0 NOT NULL,
	"c3" integer DEFAULT 0 NOT NULL,
	"c4" integer DEFAULT 0 NOT NULL,
	"c5" integer DEFAULT 0 NOT NULL,
	"c6" integer DEFAULT 0 NOT NULL,
	"c7" integer DEFAULT 0 NOT NULL,
	"c8" integer DEFAULT 0 NOT NULL,
	"c9" integer DEFAULT 0 NOT NULL,
	"c10" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "nps_daily_facet_pk" PRIMARY KEY("org_id","survey_id","facet","day","unit_id","value"),
	CONSTRAINT "nps_daily_facet_kind" CHECK ("facet" in ('service', 'revenue', 'visits', 'tenure'))
);
--> statement-breakpoint
ALTER TABLE "nps_daily_facet" ADD CONSTRAINT "nps_daily_facet_org_id_survey_id_surveys_org_id_id_fk" FOREIGN KEY ("org_id","survey_id") REFERENCES "public"."surveys"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "nps_monthly_unit" (
	"org_id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"month" date NOT NULL,
	"unit_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"c0" integer DEFAULT 0 NOT NULL,
	"c1" integer DEFAULT 0 NOT NULL,
	"c2" integer DEFAULT 0 NOT NULL,
	"c3" integer DEFAULT 0 NOT NULL,
	"c4" integer DEFAULT 0 NOT NULL,
	"c5" integer DEFAULT 0 NOT NULL,
	"c6" integer DEFAULT 0 NOT NULL,
	"c7" integer DEFAULT 0 NOT NULL,
	"c8" integer DEFAULT 0 NOT NULL,
	"c9" integer DEFAULT 0 NOT NULL,
	"c10" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "nps_monthly_unit_pk" PRIMARY KEY("org_id","survey_id","month","unit_id","channel")
);
--> statement-breakpoint
ALTER TABLE "nps_monthly_unit" ADD CONSTRAINT "nps_monthly_unit_org_id_survey_id_surveys_org_id_id_fk" FOREIGN KEY ("org_id","survey_id") REFERENCES "public"."surveys"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "nps_monthly_employee" (
	"org_id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"month" date NOT NULL,
	"employee_id" uuid NOT NULL,
	"c0" integer DEFAULT 0 NOT NULL,
	"c1" integer DEFAULT 0 NOT NULL,
	"c2" integer DEFAULT 0 NOT NULL,
	"c3" integer DEFAULT 0 NOT NULL,
	"c4" integer DEFAULT 0 NOT NULL,
	"c5" integer DEFAULT 0 NOT NULL,
	"c6" integer DEFAULT 0 NOT NULL,
	"c7" integer DEFAULT 0 NOT NULL,
	"c8" integer DEFAULT 0 NOT NULL,
	"c9" integer DEFAULT 0 NOT NULL,
	"c10" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "nps_monthly_employee_pk" PRIMARY KEY("org_id","survey_id","month","employee_id")
);
--> statement-breakpoint
ALTER TABLE "nps_monthly_employee" ADD CONSTRAINT "nps_monthly_employee_org_id_survey_id_surveys_org_id_id_fk" FOREIGN KEY ("org_id","survey_id") REFERENCES "public"."surveys"("org_id","id") ON DELETE cascade ON UPDATE no action;
