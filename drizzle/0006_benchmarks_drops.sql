CREATE TABLE "benchmark_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"industry" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "benchmark_settings_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE "benchmark_rows" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'other' NOT NULL,
	"value" smallint NOT NULL,
	"source" text NOT NULL,
	"year" smallint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "benchmark_rows_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "benchmark_rows_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade,
	CONSTRAINT "benchmark_rows_value_range" CHECK (value between -100 and 100),
	CONSTRAINT "benchmark_rows_year_range" CHECK (year between 1900 and 2200)
);
--> statement-breakpoint
CREATE TABLE "drop_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"period" text DEFAULT 'month' NOT NULL,
	"min_drop" smallint DEFAULT 5 NOT NULL,
	"floor" smallint,
	"min_answers" integer DEFAULT 30 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "drop_settings_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade,
	CONSTRAINT "drop_settings_min_drop_range" CHECK (min_drop between 0 and 200),
	CONSTRAINT "drop_settings_floor_range" CHECK (floor between -100 and 100),
	CONSTRAINT "drop_settings_min_answers_range" CHECK (min_answers between 1 and 100000)
);
--> statement-breakpoint
CREATE TABLE "drop_checks" (
	"org_id" uuid NOT NULL,
	"period" text NOT NULL,
	"period_key" text NOT NULL,
	"scope" text NOT NULL,
	"unit_id" uuid,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"n" integer NOT NULL,
	"nps" real,
	"previous_n" integer NOT NULL,
	"previous_nps" real,
	"diff" real,
	"p_value" real,
	"significant_drop" boolean DEFAULT false NOT NULL,
	"crossed_floor" boolean DEFAULT false NOT NULL,
	"alerted" boolean DEFAULT false NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "drop_checks_org_id_period_period_key_scope_pk" PRIMARY KEY("org_id","period","period_key","scope"),
	CONSTRAINT "drop_checks_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade,
	CONSTRAINT "drop_checks_org_id_unit_id_units_org_id_id_fk" FOREIGN KEY ("org_id","unit_id") REFERENCES "public"."units"("org_id","id") ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX "drop_checks_org_alerted_idx" ON "drop_checks" USING btree ("org_id","checked_at") WHERE alerted;
