// Keeps the answer rollups (per day and month, by unit and channel, by employee, and by customer facet) in step
// with the answers, in one statement per batch; and rebuilds them from the answers.
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { type Db, jsonStatement, rowsOf, runJson } from '../../db/index.js';
import { forgetPendingRollups } from './loop-inbox.js';

/** The unit key of an answer that concerns no unit: the rollup's key has no NULLs. */
export const NO_UNIT = '00000000-0000-0000-0000-000000000000';

export interface RollupDelta {
  orgId: string;
  surveyId: string;
  day: string;
  unitId: string | null;
  channel: string;
  employeeId: string | null;
  /** The customer who answered and the visit asked about: they place the answer in the facet rollup. */
  customerId?: string | null;
  contactId?: string | null;
  score: number;
  /** +1 for a new answer, −1 for the old score of an amended one. */
  sign: 1 | -1;
}

const COUNT_COLUMNS = Array.from({ length: 11 }, (_, s) => `c${s}`);
const countColumns = sql.raw(COUNT_COLUMNS.join(', '));
/** c0…c10 of a set of rows with `score` and `sign` columns, summed. */
const countsOfScores = sql.raw(
  COUNT_COLUMNS.map((c, s) => `sum(case when score = ${s} then sign else 0 end)::int as ${c}`).join(', '),
);

/** The default bands when an organisation has set none (see analytics_settings). */
export const DEFAULT_VISIT_BOUNDS = [1, 2, 4, 12];
export const DEFAULT_TENURE_BOUNDS_MONTHS = [6, 12, 24, 60];
export const DEFAULT_REVENUE_QUANTILES = 4;

/** Band index of `value` under ascending lower bounds: how many bounds are ≤ value (SQL text). */
const bandOf = (value: SQL, bounds: SQL) =>
  sql`(select count(*) from unnest(${bounds}) b where b <= ${value})::text`;

/**
 * Quantile bounds of customers' revenue over the 12 months to now (minor units), as a bigint[] for SQL: the
 * 1/k … (k−1)/k quantiles of the per-customer sums, zeros and repeats dropped.
 */
export const revenueQuantileBoundsSql = (orgId: SQL, quantiles: SQL) => sql`(
  select coalesce(array_agg(distinct b::bigint order by b::bigint) filter (where b > 0), '{}'::bigint[])
  from unnest((
    select percentile_disc(array(select g::float8 / ${quantiles} from generate_series(1, ${quantiles} - 1) g))
      within group (order by s.spend)
    from (
      select sum(coalesce(c.amount_minor, 0)) as spend from contacts c
      where c.org_id = ${orgId} and c.occurred_at >= now() - interval '365 days'
      group by c.customer_id
    ) s
  )) b)`;

/**
 * Each customer answer of `source` (org_id, survey_id, day, unit_id, customer_id, contact_id, … any other columns)
 * with its facets as text columns — `service` of the visit asked about, and the customer's `revenue` band (spend over
 * the 365 local days up to and including the answer's day), `visits` band (contacts in the same window) and `tenure`
 * band (whole months of 30.44 days since the first contact); '' where not known. Employee surveys are left out.
 * `bounds` yields (org_id, revenue, visits, tenure) bound arrays per organisation. The one definition of the facets:
 * the live rollup, its rebuild and the analytics over raw answers all read it.
 */
export function answerFacetsSql(source: SQL, bounds: SQL): SQL {
  return sql`
    select src.*,
      coalesce(ct.service, '') as service,
      case when src.customer_id is null then '' else ${bandOf(sql`w.spend`, sql`bd.revenue`)} end as revenue,
      case when src.customer_id is null then '' else ${bandOf(sql`w.visits`, sql`bd.visits`)} end as visits,
      case when w.first_at is null then '' else ${bandOf(
        sql`floor(greatest(0, src.day - (w.first_at at time zone o.time_zone)::date) / 30.4375)`,
        sql`bd.tenure`,
      )} end as tenure
    from (${source}) src
    join surveys sv on sv.org_id = src.org_id and sv.id = src.survey_id and sv.audience = 'customer'
    join orgs o on o.id = src.org_id
    join (${bounds}) bd on bd.org_id = src.org_id
    left join lateral (
      select c.service from contacts c where c.org_id = src.org_id and c.id = src.contact_id
    ) ct on true
    -- One pass over the customer's contacts (by the (org, customer, time) index): the window's spend and visits, and
    -- the first contact ever. Filters in the aggregate rather than the WHERE keep the planner on that index.
    left join lateral (
      select
        coalesce(sum(c.amount_minor) filter (where c.occurred_at >= w0.since and c.occurred_at < w0.until), 0) as spend,
        count(*) filter (where c.occurred_at >= w0.since and c.occurred_at < w0.until) as visits,
        min(c.occurred_at) as first_at
      from (select ((src.day - 364)::timestamp at time zone o.time_zone) as since,
                   ((src.day + 1)::timestamp at time zone o.time_zone) as until) w0
      join contacts c on c.org_id = src.org_id and c.customer_id = src.customer_id and c.occurred_at < w0.until
      where src.customer_id is not null
    ) w on true`;
}

/** The facet rows of customer answers: one row per answer and facet, with the facet's value. */
function facetRowsSql(source: SQL, bounds: SQL): SQL {
  return sql`
    select a.org_id, a.survey_id, a.day, a.unit_id, a.score, a.sign, v.facet, v.value
    from (${answerFacetsSql(source, bounds)}) a
    cross join lateral (values
      ('service', a.service), ('revenue', a.revenue), ('visits', a.visits), ('tenure', a.tenure)
    ) v(facet, value)`;
}

/** The bounds of the organisations in `orgIds` (a SQL set): their settings, or the defaults with fresh quantiles. */
export const boundsOf = (orgIds: SQL) => sql`
  select x.org_id,
    coalesce(st.revenue_bounds_minor, ${revenueQuantileBoundsSql(sql`x.org_id`, sql`${DEFAULT_REVENUE_QUANTILES}`)}) as revenue,
    coalesce(st.visit_bounds, ${`{${DEFAULT_VISIT_BOUNDS.join(',')}}`}::int[]) as visits,
    coalesce(st.tenure_bounds_months, ${`{${DEFAULT_TENURE_BOUNDS_MONTHS.join(',')}}`}::int[]) as tenure
  from (${orgIds}) x(org_id)
  left join analytics_settings st on st.org_id = x.org_id`;

/** The columns of a delta as the rollup statement reads them (jsonb_to_recordset). */
const DELTA_COLUMNS =
  'org_id uuid, survey_id uuid, day date, unit_id uuid, channel text, employee_id uuid, customer_id uuid, ' +
  'contact_id uuid, score int, sign int';

/** `table.c = table.c + excluded.c` for every count. */
const upsertCounts = (table: string, key: string) =>
  sql.raw(
    `on conflict (${key}) do update set ${COUNT_COLUMNS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`,
  );

/**
 * The common table expressions that add the deltas of a CTE named `src` (the columns of DELTA_COLUMNS) to every
 * rollup, to follow `with src as (…),` in a statement. Rows are written in key order, so concurrent batches lock
 * rollup rows in the same order and cannot deadlock. Constants are inlined: the text never changes, so PGlite plans
 * it once (db/prepared.ts).
 */
export const rollupCtes = lazy(() => {
  const text = new PgDialect().sqlToQuery(
    sql`
    unit_day as (
      insert into nps_daily_unit (org_id, survey_id, day, unit_id, channel, ${countColumns})
      select org_id, survey_id, day, unit_id, channel, ${countsOfScores} from src
      group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
      ${upsertCounts('nps_daily_unit', 'org_id, survey_id, day, unit_id, channel')}
      returning 1),
    unit_month as (
      insert into nps_monthly_unit (org_id, survey_id, month, unit_id, channel, ${countColumns})
      select org_id, survey_id, date_trunc('month', day)::date, unit_id, channel, ${countsOfScores} from src
      group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
      ${upsertCounts('nps_monthly_unit', 'org_id, survey_id, month, unit_id, channel')}
      returning 1),
    employee_day as (
      insert into nps_daily_employee (org_id, survey_id, day, employee_id, ${countColumns})
      select org_id, survey_id, day, employee_id, ${countsOfScores} from src where employee_id is not null
      group by 1, 2, 3, 4 order by 1, 2, 3, 4
      ${upsertCounts('nps_daily_employee', 'org_id, survey_id, day, employee_id')}
      returning 1),
    employee_month as (
      insert into nps_monthly_employee (org_id, survey_id, month, employee_id, ${countColumns})
      select org_id, survey_id, date_trunc('month', day)::date, employee_id, ${countsOfScores} from src
      where employee_id is not null
      group by 1, 2, 3, 4 order by 1, 2, 3, 4
      ${upsertCounts('nps_monthly_employee', 'org_id, survey_id, month, employee_id')}
      returning 1),
    bounds as (${boundsOf(sql`select distinct org_id from src`)}),
    -- An organisation's first customer answer fixes its default bands (quantiles of revenue as of now).
    settings as (
      insert into analytics_settings (org_id, revenue_bounds_minor, revenue_bounds_at)
      select b.org_id, b.revenue, now() from bounds b
      where not exists (select 1 from analytics_settings s where s.org_id = b.org_id)
      on conflict (org_id) do nothing
      returning 1),
    facet_day as (
      insert into nps_daily_facet (org_id, survey_id, facet, day, unit_id, value, ${countColumns})
      select org_id, survey_id, facet, day, unit_id, value, ${countsOfScores}
      from (${facetRowsSql(sql`select * from src`, sql`select * from bounds`)}) fr
      group by org_id, survey_id, facet, day, unit_id, value
      order by org_id, survey_id, facet, day, unit_id, value
      ${upsertCounts('nps_daily_facet', 'org_id, survey_id, facet, day, unit_id, value')}
      returning 1)`.inlineParams(),
  );
  if (text.params.length) throw new Error('the rollup statement must have its constants inlined');
  return text.sql;
});

/** The one statement that adds a batch of deltas ($1: a jsonb array of them) to every rollup. */
const rollupStatement = lazy(() =>
  jsonStatement(
    'sarafan_rollup_deltas_v2',
    `with src as (select * from jsonb_to_recordset($1::jsonb) as d(${DELTA_COLUMNS})),
    ${rollupCtes()}
    select 1`,
  ),
);

/** Adds the deltas to the rollups, all in one statement (see `rollupStatement`). */
export async function applyRollupDeltas(tx: Db, deltas: RollupDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await runJson(
    tx,
    rollupStatement(),
    deltas.map((d) => ({
      org_id: d.orgId,
      survey_id: d.surveyId,
      day: d.day,
      unit_id: d.unitId ?? NO_UNIT,
      channel: d.channel,
      employee_id: d.employeeId,
      customer_id: d.customerId ?? null,
      contact_id: d.contactId ?? null,
      score: d.score,
      sign: d.sign,
    })),
  );
}

/** A value made on first use and kept. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export interface RebuildResult {
  orgId: string;
  answers: number;
  rows: number;
}

/**
 * Rebuilds one organisation's rollups from its stored answers, in one transaction: the daily and monthly counts by
 * unit, channel and employee, and the facet rollup (revenue quantile bounds are recomputed first for organisations
 * that use quantiles), and the additions a burst left to the loop sweep counted with them. Safe to repeat; answers
 * arriving meanwhile wait for the transaction. Rows are written in key order, so the rows of a period sit together on
 * disk (a period's read touches few pages).
 */
export async function rebuildRollups(db: Db, orgId: string): Promise<RebuildResult> {
  return db.transaction(async (tx) => {
    const org = sql`${orgId}::uuid`;
    // Serialise with the writers of this organisation's rollups: they upsert the same rows. The inbox first, as every
    // writer takes it (answers queue for the loop before they add to the rollups): no new answer and no sweep runs
    // meanwhile, and the scores a burst left for the sweep to add are counted here instead.
    await tx.execute(sql`lock table loop_inbox in exclusive mode`);
    await tx.execute(
      sql`lock table nps_daily_unit, nps_daily_employee, nps_monthly_unit, nps_monthly_employee, nps_daily_facet in share row exclusive mode`,
    );
    await forgetPendingRollups(tx, orgId);
    for (const table of [
      'nps_daily_unit',
      'nps_daily_employee',
      'nps_monthly_unit',
      'nps_monthly_employee',
      'nps_daily_facet',
    ]) {
      await tx.execute(sql`delete from ${sql.identifier(table)} where org_id = ${org}`);
    }
    await tx.execute(sql`
      insert into analytics_settings (org_id) values (${org}) on conflict (org_id) do nothing`);
    await tx.execute(sql`
      update analytics_settings set
        revenue_bounds_minor = ${revenueQuantileBoundsSql(org, sql`revenue_quantiles`)},
        revenue_bounds_at = now(), updated_at = now()
      where org_id = ${org} and revenue_mode = 'quantiles'`);

    // Every answer with its local day: customers' from responses, employees' (already a day, channel 'link').
    const answers = sql`
      select r.org_id, r.survey_id, (r.answered_at at time zone o.time_zone)::date as day,
        coalesce(r.unit_id, ${NO_UNIT}::uuid) as unit_id, r.channel, r.employee_id, r.customer_id, r.contact_id,
        r.score::int as score, 1 as sign
      from responses r join orgs o on o.id = r.org_id where r.org_id = ${org}
      union all
      select e.org_id, e.survey_id, e.answered_on, coalesce(e.unit_id, ${NO_UNIT}::uuid), 'link', null, null, null,
        e.score::int, 1
      from employee_responses e where e.org_id = ${org}`;
    await tx.execute(sql`
      insert into nps_daily_unit (org_id, survey_id, day, unit_id, channel, ${countColumns})
      select org_id, survey_id, day, unit_id, channel, ${countsOfScores} from (${answers}) a
      group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`);
    await tx.execute(sql`
      insert into nps_monthly_unit (org_id, survey_id, month, unit_id, channel, ${countColumns})
      select org_id, survey_id, date_trunc('month', day)::date, unit_id, channel, ${sql.raw(
        COUNT_COLUMNS.map((c) => `sum(${c})::int`).join(', '),
      )}
      from nps_daily_unit where org_id = ${org} group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`);
    await tx.execute(sql`
      insert into nps_daily_employee (org_id, survey_id, day, employee_id, ${countColumns})
      select org_id, survey_id, day, employee_id, ${countsOfScores} from (${answers}) a
      where employee_id is not null group by 1, 2, 3, 4 order by 1, 2, 3, 4`);
    await tx.execute(sql`
      insert into nps_monthly_employee (org_id, survey_id, month, employee_id, ${countColumns})
      select org_id, survey_id, date_trunc('month', day)::date, employee_id, ${sql.raw(
        COUNT_COLUMNS.map((c) => `sum(${c})::int`).join(', '),
      )}
      from nps_daily_employee where org_id = ${org} group by 1, 2, 3, 4 order by 1, 2, 3, 4`);
    // Answers that name no customer and no visit (anonymous links, QR codes, the widget) have no facet to look up:
    // they are counted per day and unit first and given '' for every facet, without the per-answer look-ups.
    const sumOf = sql.raw(COUNT_COLUMNS.map((c) => `sum(${c})::int`).join(', '));
    await tx.execute(sql`
      insert into nps_daily_facet (org_id, survey_id, facet, day, unit_id, value, ${countColumns})
      select org_id, survey_id, facet, day, unit_id, value, ${sumOf} from (
        select org_id, survey_id, facet, day, unit_id, value, ${countsOfScores}
        from (${facetRowsSql(
          sql`select org_id, survey_id, day, unit_id, customer_id, contact_id, score, sign from (${answers}) a
            where a.customer_id is not null or a.contact_id is not null`,
          boundsOf(sql`select ${org}`),
        )}) fr
        group by org_id, survey_id, facet, day, unit_id, value
        union all
        select g.org_id, g.survey_id, v.facet, g.day, g.unit_id, '', ${sql.raw(COUNT_COLUMNS.map((c) => `g.${c}`).join(', '))}
        from (
          select a.org_id, a.survey_id, a.day, a.unit_id, ${countsOfScores}
          from (${answers}) a
          join surveys sv on sv.org_id = a.org_id and sv.id = a.survey_id and sv.audience = 'customer'
          where a.customer_id is null and a.contact_id is null
          group by 1, 2, 3, 4
        ) g cross join (values ('service'), ('revenue'), ('visits'), ('tenure')) v(facet)
      ) x
      group by org_id, survey_id, facet, day, unit_id, value
      order by org_id, survey_id, facet, day, unit_id, value`);
    const [counted] = rowsOf<{ answers: number; rows: number }>(
      await tx.execute(sql`
        select
          (select coalesce(sum(${sql.raw(COUNT_COLUMNS.join(' + '))}), 0)::int from nps_daily_unit where org_id = ${org}) as answers,
          ((select count(*) from nps_daily_unit where org_id = ${org}) + (select count(*) from nps_daily_employee where org_id = ${org})
           + (select count(*) from nps_daily_facet where org_id = ${org}) + (select count(*) from nps_monthly_unit where org_id = ${org})
           + (select count(*) from nps_monthly_employee where org_id = ${org}))::int as rows`),
    );
    return { orgId, answers: counted?.answers ?? 0, rows: counted?.rows ?? 0 };
  });
}
