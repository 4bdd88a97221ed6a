-- Privacy rights: the access log, retention settings, erasures and the progress of a key rotation.
CREATE TABLE "access_log" (
	"org_id" uuid NOT NULL REFERENCES "orgs"("id") ON DELETE CASCADE,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"user_id" uuid,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "access_log_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE INDEX "access_log_org_at_idx" ON "access_log" USING btree ("org_id","at","id");
--> statement-breakpoint
CREATE TABLE "privacy_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL REFERENCES "orgs"("id") ON DELETE CASCADE,
	"retention" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "erasures" (
	"org_id" uuid NOT NULL REFERENCES "orgs"("id") ON DELETE CASCADE,
	"customer_id" uuid NOT NULL,
	"erased_at" timestamp with time zone NOT NULL,
	"cause" text NOT NULL,
	"user_id" uuid,
	CONSTRAINT "erasures_org_id_customer_id_pk" PRIMARY KEY("org_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "key_rotation_progress" (
	"org_id" uuid NOT NULL REFERENCES "orgs"("id") ON DELETE CASCADE,
	"key_id" text NOT NULL,
	"target" text NOT NULL,
	"last_id" text,
	"rows" integer DEFAULT 0 NOT NULL,
	"done_at" timestamp with time zone,
	CONSTRAINT "key_rotation_progress_pk" PRIMARY KEY("org_id","key_id","target")
);
