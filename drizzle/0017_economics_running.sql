-- Each customer's contact sums for the loyalty economics, kept as contacts arrive, so the whole build reads a million
-- customers' rows instead of ten million contacts. Per customer: first and last contact and their count (all time),
-- and in the window (from `window_start` of the organisation's running state): visits, net revenue and refunds in the
-- organisation's currency, how many of those visits had an amount, and the services bought, each once with its visits
-- and spend, in three arrays in step. No upper bound in time: the build recounts from contacts the
-- few customers with a contact after its as-of. UNLOGGED like the rest of the economics cache: after a crash
-- PostgreSQL empties these tables and the state with them, and the next refresh counts the sums again from contacts.
-- Room on each page (fillfactor) for the updates to stay on the page (HOT: no index entry per update).
CREATE UNLOGGED TABLE "economics_customer_running" (
	"org_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"first_contact_at" timestamp with time zone NOT NULL,
	"last_contact_at" timestamp with time zone NOT NULL,
	"contacts_total" integer NOT NULL,
	"contacts_window" integer NOT NULL,
	"revenue_window_minor" bigint NOT NULL,
	"refunds_window_minor" bigint NOT NULL,
	"revenue_contacts" integer NOT NULL,
	"services" text[] NOT NULL,
	"service_visits" integer[] NOT NULL,
	"service_spend" bigint[] NOT NULL,
	CONSTRAINT "economics_customer_running_org_id_customer_id_pk" PRIMARY KEY("org_id","customer_id")
) WITH (fillfactor = 80);
--> statement-breakpoint
-- Which window the sums count, in which currency: no row, no sums kept (the next refresh counts them).
CREATE UNLOGGED TABLE "economics_running_state" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_months" integer NOT NULL,
	"currency" text NOT NULL,
	"counted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "economics_running_state" ADD CONSTRAINT "economics_running_state_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- Two customers' service arrays added up, service by service (sorted by name): for a statement that brings a customer
-- several services at once (the usual single service is added in place, without this function's query).
CREATE FUNCTION economics_merge_services(a_s text[], a_v integer[], a_p bigint[], b_s text[], b_v integer[], b_p bigint[],
	OUT services text[], OUT service_visits integer[], OUT service_spend bigint[])
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	select coalesce(array_agg(s order by s), '{}'), coalesce(array_agg(v order by s), '{}'),
	       coalesce(array_agg(p order by s), '{}')
	from (select s, sum(v)::integer as v, sum(p)::bigint as p
	      from (select * from unnest(a_s, a_v, a_p) union all select * from unnest(b_s, b_v, b_p)) as x(s, v, p)
	      group by s) as y
$$;
--> statement-breakpoint
-- Counts the sums again from contacts: for the customers `ids`, or (null) the whole organisation — after a delete or
-- an update of contacts, when the window slides, and the first time. The caller holds the organisation's running
-- lock exclusively (no insert adds to a row while it is counted). One aggregate per customer and service in the
-- window, folded into the customer's row, the same definitions as the insert trigger's.
CREATE FUNCTION economics_running_count(org uuid, ids uuid[]) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	ws timestamptz;
	cur text;
	n bigint;
BEGIN
	SELECT window_start, currency INTO ws, cur FROM economics_running_state WHERE org_id = org;
	IF ids IS NULL THEN
		DELETE FROM economics_customer_running WHERE org_id = org;
	ELSE
		DELETE FROM economics_customer_running WHERE org_id = org AND customer_id = ANY(ids);
	END IF;
	IF ws IS NULL THEN
		RETURN 0;
	END IF;
	EXECUTE format($q$
		INSERT INTO economics_customer_running (org_id, customer_id, first_contact_at, last_contact_at, contacts_total,
			contacts_window, revenue_window_minor, refunds_window_minor, revenue_contacts, services, service_visits,
			service_spend)
		SELECT $1, customer_id, min(first_at), max(last_at), sum(total)::integer, sum(in_window)::integer,
		       sum(revenue)::bigint, sum(refunds)::bigint, sum(with_amount)::integer,
		       coalesce(array_agg(svc ORDER BY svc) FILTER (WHERE svc IS NOT NULL), '{}'),
		       coalesce(array_agg(in_window::integer ORDER BY svc) FILTER (WHERE svc IS NOT NULL), '{}'),
		       coalesce(array_agg(revenue::bigint ORDER BY svc) FILTER (WHERE svc IS NOT NULL), '{}')
		FROM (
			SELECT customer_id, CASE WHEN occurred_at >= $2 THEN nullif(btrim(service), '') END AS svc,
			       min(occurred_at) AS first_at, max(occurred_at) AS last_at, count(*) AS total,
			       count(*) FILTER (WHERE occurred_at >= $2) AS in_window,
			       coalesce(sum(amount_minor) FILTER (WHERE occurred_at >= $2 AND currency = $3), 0) AS revenue,
			       coalesce(sum(-amount_minor) FILTER (WHERE occurred_at >= $2 AND currency = $3 AND amount_minor < 0), 0) AS refunds,
			       count(amount_minor) FILTER (WHERE occurred_at >= $2 AND currency = $3) AS with_amount
			FROM contacts
			WHERE org_id = $1 %s
			GROUP BY customer_id, 2
		) AS g
		GROUP BY customer_id$q$,
		CASE WHEN ids IS NULL THEN '' ELSE 'AND customer_id = ANY($4)' END)
	USING org, ws, cur, ids;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END $$;
--> statement-breakpoint
-- New contacts, one statement at a time: their sums per customer added to the customers' rows (a row is made for a
-- new customer). Additions commute, so imports running side by side take the organisation's running lock shared.
-- Cost, measured on 300,000 contacts in 30 statements of 10,000 (bench/economics INSERT_COST=1): 16–18.6 s of backend
-- CPU without the trigger, 22 s with it (+35%); merging the arrays with economics_merge_services for every row took
-- 26 s, an append-only log of the new contacts for a later fold 17.4–18.4 s.
CREATE FUNCTION economics_running_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_advisory_xact_lock_shared(hashtext('economics-running:' || o.org_id::text))
	FROM (SELECT DISTINCT org_id FROM new_contacts ORDER BY org_id) AS o;
	INSERT INTO economics_customer_running AS r (org_id, customer_id, first_contact_at, last_contact_at, contacts_total,
		contacts_window, revenue_window_minor, refunds_window_minor, revenue_contacts, services, service_visits,
		service_spend)
	SELECT org_id, customer_id, min(first_at), max(last_at), sum(total)::integer, sum(in_window)::integer,
	       sum(revenue)::bigint, sum(refunds)::bigint, sum(with_amount)::integer,
	       coalesce(array_agg(svc ORDER BY svc) FILTER (WHERE svc IS NOT NULL), '{}'),
	       coalesce(array_agg(in_window::integer ORDER BY svc) FILTER (WHERE svc IS NOT NULL), '{}'),
	       coalesce(array_agg(revenue::bigint ORDER BY svc) FILTER (WHERE svc IS NOT NULL), '{}')
	FROM (
		SELECT n.org_id, n.customer_id,
		       CASE WHEN n.occurred_at >= s.window_start THEN nullif(btrim(n.service), '') END AS svc,
		       min(n.occurred_at) AS first_at, max(n.occurred_at) AS last_at, count(*) AS total,
		       count(*) FILTER (WHERE n.occurred_at >= s.window_start) AS in_window,
		       coalesce(sum(n.amount_minor) FILTER (WHERE n.occurred_at >= s.window_start AND n.currency = s.currency), 0) AS revenue,
		       coalesce(sum(-n.amount_minor) FILTER (WHERE n.occurred_at >= s.window_start AND n.currency = s.currency
		                                             AND n.amount_minor < 0), 0) AS refunds,
		       count(n.amount_minor) FILTER (WHERE n.occurred_at >= s.window_start AND n.currency = s.currency) AS with_amount
		FROM new_contacts n JOIN economics_running_state s ON s.org_id = n.org_id
		GROUP BY 1, 2, 3
	) AS g
	GROUP BY org_id, customer_id
	ON CONFLICT (org_id, customer_id) DO UPDATE SET
		first_contact_at = least(r.first_contact_at, excluded.first_contact_at),
		last_contact_at = greatest(r.last_contact_at, excluded.last_contact_at),
		contacts_total = r.contacts_total + excluded.contacts_total,
		contacts_window = r.contacts_window + excluded.contacts_window,
		revenue_window_minor = r.revenue_window_minor + excluded.revenue_window_minor,
		refunds_window_minor = r.refunds_window_minor + excluded.refunds_window_minor,
		revenue_contacts = r.revenue_contacts + excluded.revenue_contacts,
		-- One service new to this statement's customer (the usual case): added in place or appended; several: merged.
		services = CASE WHEN cardinality(excluded.services) = 0 OR (cardinality(excluded.services) = 1 AND excluded.services[1] = ANY(r.services)) THEN r.services
			WHEN cardinality(excluded.services) = 1 THEN r.services || excluded.services
			ELSE (economics_merge_services(r.services, r.service_visits, r.service_spend, excluded.services, excluded.service_visits, excluded.service_spend)).services END,
		service_visits = CASE WHEN cardinality(excluded.services) = 0 THEN r.service_visits
			WHEN cardinality(excluded.services) = 1 AND excluded.services[1] = ANY(r.services) THEN r.service_visits[:array_position(r.services, excluded.services[1]) - 1] || (r.service_visits[array_position(r.services, excluded.services[1])] + excluded.service_visits[1]) || r.service_visits[array_position(r.services, excluded.services[1]) + 1:]
			WHEN cardinality(excluded.services) = 1 THEN r.service_visits || excluded.service_visits
			ELSE (economics_merge_services(r.services, r.service_visits, r.service_spend, excluded.services, excluded.service_visits, excluded.service_spend)).service_visits END,
		service_spend = CASE WHEN cardinality(excluded.services) = 0 THEN r.service_spend
			WHEN cardinality(excluded.services) = 1 AND excluded.services[1] = ANY(r.services) THEN r.service_spend[:array_position(r.services, excluded.services[1]) - 1] || (r.service_spend[array_position(r.services, excluded.services[1])] + excluded.service_spend[1]) || r.service_spend[array_position(r.services, excluded.services[1]) + 1:]
			WHEN cardinality(excluded.services) = 1 THEN r.service_spend || excluded.service_spend
			ELSE (economics_merge_services(r.services, r.service_visits, r.service_spend, excluded.services, excluded.service_visits, excluded.service_spend)).service_spend END;
	RETURN NULL;
END $$;
--> statement-breakpoint
-- Deleted or changed contacts: min, max and the services' lists do not subtract, so their customers are counted
-- again from contacts, under the organisation's running lock held exclusively (rare: a rolled-back import, an
-- erasure, a corrected visit). An upsert that changed nothing passes an empty table and costs nothing.
CREATE FUNCTION economics_running_recount() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	o record;
BEGIN
	FOR o IN
		SELECT org_id, array_agg(DISTINCT customer_id) AS ids
		FROM (SELECT org_id, customer_id FROM old_contacts
		      UNION ALL SELECT org_id, customer_id FROM changed_contacts) AS x
		GROUP BY org_id ORDER BY org_id
	LOOP
		PERFORM pg_advisory_xact_lock(hashtext('economics-running:' || o.org_id::text));
		PERFORM economics_running_count(o.org_id, o.ids);
	END LOOP;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION economics_running_forget() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	o record;
BEGIN
	FOR o IN SELECT org_id, array_agg(DISTINCT customer_id) AS ids FROM old_contacts GROUP BY org_id ORDER BY org_id
	LOOP
		PERFORM pg_advisory_xact_lock(hashtext('economics-running:' || o.org_id::text));
		PERFORM economics_running_count(o.org_id, o.ids);
	END LOOP;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "economics_running_insert" AFTER INSERT ON "contacts" REFERENCING NEW TABLE AS new_contacts
	FOR EACH STATEMENT EXECUTE FUNCTION economics_running_add();
--> statement-breakpoint
CREATE TRIGGER "economics_running_update" AFTER UPDATE ON "contacts"
	REFERENCING OLD TABLE AS old_contacts NEW TABLE AS changed_contacts
	FOR EACH STATEMENT EXECUTE FUNCTION economics_running_recount();
--> statement-breakpoint
CREATE TRIGGER "economics_running_delete" AFTER DELETE ON "contacts" REFERENCING OLD TABLE AS old_contacts
	FOR EACH STATEMENT EXECUTE FUNCTION economics_running_forget();
--> statement-breakpoint
-- Imports insert contacts with session_replication_role = replica (the foreign keys' row triggers off when the
-- batch's customers are locked); these must fire all the same.
ALTER TABLE "contacts" ENABLE ALWAYS TRIGGER "economics_running_insert";
--> statement-breakpoint
ALTER TABLE "contacts" ENABLE ALWAYS TRIGGER "economics_running_update";
--> statement-breakpoint
ALTER TABLE "contacts" ENABLE ALWAYS TRIGGER "economics_running_delete";
