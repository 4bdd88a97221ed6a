CREATE TABLE "reports" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"options" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress" double precision DEFAULT 0 NOT NULL,
	"error" text,
	"pseudonymised" boolean DEFAULT false NOT NULL,
	"requested_by" uuid,
	"schedule_id" uuid,
	"period" text,
	"file_name" text,
	"mime" text,
	"size" integer,
	"body" bytea,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "reports_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "reports_progress_ck" CHECK ("progress" >= 0 and "progress" <= 1)
);
--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "reports_org_created_idx" ON "reports" USING btree ("org_id","created_at");
--> statement-breakpoint
CREATE TABLE "report_schedules" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"audience" text NOT NULL,
	"unit_id" uuid,
	"cadence" text NOT NULL,
	"day" integer NOT NULL,
	"hour" integer DEFAULT 8 NOT NULL,
	"recipients" jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_schedules_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "report_schedules_hour_ck" CHECK ("hour" between 0 and 23),
	CONSTRAINT "report_schedules_day_ck" CHECK ("day" between 1 and 28)
);
--> statement-breakpoint
ALTER TABLE "report_schedules" ADD CONSTRAINT "report_schedules_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "report_schedules" ADD CONSTRAINT "report_schedules_org_id_unit_id_units_org_id_id_fk" FOREIGN KEY ("org_id","unit_id") REFERENCES "public"."units"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "report_schedule_runs" (
	"org_id" uuid NOT NULL,
	"schedule_id" uuid NOT NULL,
	"period" text NOT NULL,
	"locale" text NOT NULL,
	"report_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_schedule_runs_pk" PRIMARY KEY("org_id","schedule_id","period","locale")
);
--> statement-breakpoint
ALTER TABLE "report_schedule_runs" ADD CONSTRAINT "report_schedule_runs_schedule_fk" FOREIGN KEY ("org_id","schedule_id") REFERENCES "public"."report_schedules"("org_id","id") ON DELETE cascade ON UPDATE no action;
