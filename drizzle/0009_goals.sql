CREATE TABLE "goals" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"unit_id" uuid,
	"metric" text NOT NULL,
	"period_kind" text NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"cadence" text NOT NULL,
	"measure" text DEFAULT 'window' NOT NULL,
	"baseline" double precision,
	"baseline_source" text NOT NULL,
	"target" double precision NOT NULL,
	"target_source" text DEFAULT 'entered' NOT NULL,
	"target_note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goals_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "goals_period_ck" CHECK ("period_from" <= "period_to")
);
--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_org_id_unit_id_units_org_id_id_fk" FOREIGN KEY ("org_id","unit_id") REFERENCES "public"."units"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "goals_org_period_idx" ON "goals" USING btree ("org_id","period_to");
--> statement-breakpoint
CREATE TABLE "goal_checkpoints" (
	"org_id" uuid NOT NULL,
	"goal_id" uuid NOT NULL,
	"day" date NOT NULL,
	"target" double precision NOT NULL,
	"edited" boolean DEFAULT false NOT NULL,
	CONSTRAINT "goal_checkpoints_org_id_goal_id_day_pk" PRIMARY KEY("org_id","goal_id","day")
);
--> statement-breakpoint
ALTER TABLE "goal_checkpoints" ADD CONSTRAINT "goal_checkpoints_org_id_goal_id_goals_org_id_id_fk" FOREIGN KEY ("org_id","goal_id") REFERENCES "public"."goals"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "goal_owners" (
	"org_id" uuid NOT NULL,
	"goal_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "goal_owners_org_id_goal_id_user_id_pk" PRIMARY KEY("org_id","goal_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "goal_owners" ADD CONSTRAINT "goal_owners_org_id_goal_id_goals_org_id_id_fk" FOREIGN KEY ("org_id","goal_id") REFERENCES "public"."goals"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "goal_owners" ADD CONSTRAINT "goal_owners_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "goal_owners_user_idx" ON "goal_owners" USING btree ("org_id","user_id");
--> statement-breakpoint
CREATE TABLE "goal_actions" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"goal_id" uuid NOT NULL,
	"title" text NOT NULL,
	"day" date NOT NULL,
	"unit_id" uuid,
	"window_days" integer DEFAULT 30 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goal_actions_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "goal_actions" ADD CONSTRAINT "goal_actions_org_id_goal_id_goals_org_id_id_fk" FOREIGN KEY ("org_id","goal_id") REFERENCES "public"."goals"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "goal_actions" ADD CONSTRAINT "goal_actions_org_id_unit_id_units_org_id_id_fk" FOREIGN KEY ("org_id","unit_id") REFERENCES "public"."units"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "goal_actions_goal_idx" ON "goal_actions" USING btree ("org_id","goal_id");
--> statement-breakpoint
CREATE TABLE "kpi_matrices" (
	"org_id" uuid NOT NULL,
	"level" text NOT NULL,
	"items" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpi_matrices_org_id_level_pk" PRIMARY KEY("org_id","level")
);
--> statement-breakpoint
ALTER TABLE "kpi_matrices" ADD CONSTRAINT "kpi_matrices_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
