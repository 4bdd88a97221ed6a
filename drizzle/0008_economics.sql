-- The per-customer cache (facts, services) and its state are UNLOGGED: rebuilt from contacts and answers at will,
-- so they skip the write-ahead log (several times faster to rewrite); after a crash PostgreSQL empties them, the
-- state goes with them, and the next read rebuilds the cache whole.
CREATE TABLE "economics_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"margin" double precision NOT NULL,
	"discount_rate" double precision NOT NULL,
	"churn_days" integer NOT NULL,
	"horizon_years" integer NOT NULL,
	"window_months" integer NOT NULL,
	"bootstrap_samples" integer NOT NULL,
	"forecast_period" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "economics_settings_margin" CHECK (margin between 0 and 1),
	CONSTRAINT "economics_settings_discount" CHECK (discount_rate between 0 and 1)
);
--> statement-breakpoint
ALTER TABLE "economics_settings" ADD CONSTRAINT "economics_settings_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "economics_programmes" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"from_segment" text NOT NULL,
	"to_segment" text NOT NULL,
	"cost_per_customer_minor" bigint NOT NULL,
	"assumed_success_rate" double precision,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "economics_programmes_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "economics_programmes_org_name_uq" UNIQUE("org_id","name"),
	CONSTRAINT "economics_programmes_cost" CHECK (cost_per_customer_minor >= 0),
	CONSTRAINT "economics_programmes_rate" CHECK (assumed_success_rate is null or assumed_success_rate between 0 and 1)
);
--> statement-breakpoint
ALTER TABLE "economics_programmes" ADD CONSTRAINT "economics_programmes_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "economics_scenarios" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"input" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "economics_scenarios_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "economics_scenarios" ADD CONSTRAINT "economics_scenarios_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "economics_customer_marks" (
	"org_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"referred_by_customer_id" uuid,
	"referral_source" text,
	"churned_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "economics_customer_marks_org_id_customer_id_pk" PRIMARY KEY("org_id","customer_id")
);
--> statement-breakpoint
ALTER TABLE "economics_customer_marks" ADD CONSTRAINT "economics_customer_marks_customer_fk" FOREIGN KEY ("org_id","customer_id") REFERENCES "public"."customers"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "economics_customer_marks" ADD CONSTRAINT "economics_customer_marks_referrer_fk" FOREIGN KEY ("org_id","referred_by_customer_id") REFERENCES "public"."customers"("org_id","id") ON DELETE set null ("referred_by_customer_id") ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "economics_customer_marks_referrer_idx" ON "economics_customer_marks" USING btree ("org_id","referred_by_customer_id");
--> statement-breakpoint
CREATE UNLOGGED TABLE "economics_customer_facts" (
	"org_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"unit_id" uuid,
	"first_contact_at" timestamp with time zone NOT NULL,
	"last_contact_at" timestamp with time zone NOT NULL,
	"contacts_total" integer NOT NULL,
	"contacts_window" integer NOT NULL,
	"revenue_window_minor" bigint NOT NULL,
	"refunds_window_minor" bigint NOT NULL,
	"has_revenue" boolean NOT NULL,
	"exposure_years" double precision NOT NULL,
	"tenure_years" double precision NOT NULL,
	"lost" boolean NOT NULL,
	"score" smallint,
	"segment" text,
	"answered_at" timestamp with time zone,
	"referred_by_customer_id" uuid,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "economics_customer_facts_org_id_customer_id_pk" PRIMARY KEY("org_id","customer_id")
);
--> statement-breakpoint
ALTER TABLE "economics_customer_facts" ADD CONSTRAINT "economics_customer_facts_customer_fk" FOREIGN KEY ("org_id","customer_id") REFERENCES "public"."customers"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "economics_customer_facts_segment_idx" ON "economics_customer_facts" USING btree ("org_id","segment","unit_id");
--> statement-breakpoint
CREATE UNLOGGED TABLE "economics_customer_services" (
	"org_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"service" text NOT NULL,
	"visits" integer NOT NULL,
	"spend_minor" bigint NOT NULL,
	"segment" text,
	"unit_id" uuid,
	CONSTRAINT "economics_customer_services_org_id_customer_id_service_pk" PRIMARY KEY("org_id","customer_id","service")
);
--> statement-breakpoint
CREATE UNLOGGED TABLE "economics_state" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"settings_key" text NOT NULL,
	"full_at" timestamp with time zone NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL,
	"contacts_created_max" timestamp with time zone,
	"answered_max" timestamp with time zone,
	"amended_max" timestamp with time zone,
	"marks_max" timestamp with time zone,
	"contacts_seen" bigint NOT NULL,
	"last_duration_ms" integer NOT NULL,
	"last_kind" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "economics_state" ADD CONSTRAINT "economics_state_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
