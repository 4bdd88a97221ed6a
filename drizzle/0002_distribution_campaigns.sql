CREATE TABLE "campaigns" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"survey_id" uuid NOT NULL,
	"name" text NOT NULL,
	"audience" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sample" jsonb,
	"channels" jsonb NOT NULL,
	"expires_in_days" integer DEFAULT 30 NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"counts" jsonb,
	"send_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "campaigns_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "distribution_cursors" (
	"org_id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"row_id" uuid NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "distribution_cursors_org_id_survey_id_kind_pk" PRIMARY KEY("org_id","survey_id","kind")
);
--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "campaign_id" uuid;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_org_id_survey_id_surveys_org_id_id_fk" FOREIGN KEY ("org_id","survey_id") REFERENCES "public"."surveys"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "distribution_cursors" ADD CONSTRAINT "distribution_cursors_org_id_survey_id_surveys_org_id_id_fk" FOREIGN KEY ("org_id","survey_id") REFERENCES "public"."surveys"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaigns_org_survey_idx" ON "campaigns" USING btree ("org_id","survey_id","created_at");--> statement-breakpoint
CREATE INDEX "invitations_org_campaign_idx" ON "invitations" USING btree ("org_id","campaign_id");--> statement-breakpoint
CREATE INDEX "invitations_org_survey_contact_idx" ON "invitations" USING btree ("org_id","survey_id","contact_id");