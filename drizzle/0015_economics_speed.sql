-- Loyalty economics, built in one pass. The whole build reads every contact of the organisation once, in customer
-- order, from an index that carries what the economics need (service, amount, currency): an index-only scan feeding
-- a streaming aggregate, with no hash table of a million customers and nothing spilled to disk. It replaces the
-- index on (org_id, customer_id, occurred_at) with the same key, so imports maintain no extra index, only a wider one.
DROP INDEX IF EXISTS "contacts_org_customer_idx";
--> statement-breakpoint
CREATE INDEX "contacts_org_customer_idx" ON "contacts" USING btree ("org_id","customer_id","occurred_at") INCLUDE ("service","amount_minor","currency");
--> statement-breakpoint
-- What arrived since the last refresh (created_at after the watermark): a BRIN index, a few pages for millions of
-- rows and next to nothing to maintain on insert, as contacts are written in created_at order.
CREATE INDEX "contacts_created_brin" ON "contacts" USING brin ("created_at");
--> statement-breakpoint
-- The services a customer bought in the window, as three parallel arrays on the customer's facts (instead of ~4
-- rows per customer in a table of their own), and the baskets as a small table of per-segment-and-unit sums: the
-- whole build writes it from the facts, an incremental refresh appends the changed customers' differences.
DROP TABLE IF EXISTS "economics_customer_services";
--> statement-breakpoint
-- The whole build writes a million facts in key order: the foreign key to customers checked each row (a third of
-- the write) and the index on segment took random inserts. A deleted customer's contacts go with them, which the
-- next refresh notices (fewer contacts) and rebuilds; the reads sum whole segments and need no index of their own.
ALTER TABLE "economics_customer_facts" DROP CONSTRAINT IF EXISTS "economics_customer_facts_customer_fk";
--> statement-breakpoint
DROP INDEX IF EXISTS "economics_customer_facts_segment_idx";
--> statement-breakpoint
ALTER TABLE "economics_customer_facts" ADD COLUMN "services" text[] NOT NULL DEFAULT '{}';
--> statement-breakpoint
ALTER TABLE "economics_customer_facts" ADD COLUMN "service_visits" integer[] NOT NULL DEFAULT '{}';
--> statement-breakpoint
ALTER TABLE "economics_customer_facts" ADD COLUMN "service_spend" bigint[] NOT NULL DEFAULT '{}';
--> statement-breakpoint
CREATE UNLOGGED TABLE "economics_baskets" (
	"org_id" uuid NOT NULL,
	"segment" text NOT NULL,
	"unit_id" uuid,
	"service" text NOT NULL,
	"buyers" integer NOT NULL,
	"visits" bigint NOT NULL,
	"spend_minor" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "economics_baskets_org_idx" ON "economics_baskets" USING btree ("org_id","segment");
--> statement-breakpoint
ALTER TABLE "economics_baskets" ADD CONSTRAINT "economics_baskets_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- The refresh state the page shows: a whole build running since, how long the last whole build took, its error.
ALTER TABLE "economics_state" ADD COLUMN "building_since" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "economics_state" ADD COLUMN "last_full_ms" integer;
--> statement-breakpoint
ALTER TABLE "economics_state" ADD COLUMN "last_error" text;
