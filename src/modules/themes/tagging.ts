// Tagging answers with themes after they are stored: a sweep reads new and amended answers after their commit (the
// answer path is not slowed by a single statement), a job re-tags every past answer after a taxonomy edit. Both
// write the tags and move the daily rollup by exact deltas, under one advisory lock per organisation.
import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/index.js';
import { segmentOf } from '../../domain/nps.js';
import { localDay } from '../../domain/period.js';
import { type CompiledTaxonomy, type Polarity, tagReason } from '../../domain/themes.js';
import type { Job } from '../jobs/index.js';
import type { Ctx, Deps } from '../kernel/index.js';
import { compiledTaxonomy, ensureTaxonomy } from './taxonomy.js';

export const NIL = '00000000-0000-0000-0000-000000000000';
/** Rollup theme ids that count all answers, and answers with a reason. */
export const ALL_ANSWERS = NIL;
export const WITH_TEXT = '00000000-0000-0000-0000-000000000001';

export const THEMES_TASK = 'themes.sweep';
export const THEMES_INTERVAL_MS = 5_000;
/** A stored answer's commit may come this long after its answered_at (a batch waiting on the database). */
const COMMIT_MARGIN_MS = 10 * 60_000;
const SWEEP_BATCH = 2_000;
const RETAG_BATCH = 5_000;

/**
 * The runtime's foreground gate (kernel ForegroundGate): each background transaction here first waits for the
 * answers being written, and takes smaller bites on a single-connection database (PGlite).
 */
type Gated = { foreground?: { calm(): Promise<void>; smallBites(): boolean } };
const gateOf = (deps: object) => (deps as Gated).foreground;

/** An answer as the tagging reads it. */
export interface AnswerRow {
  answerId: string;
  audience: 'customer' | 'employee';
  surveyId: string;
  day: string;
  unitId: string;
  employeeId: string;
  channel: string;
  score: number;
  reason: string | null;
}

interface Stored {
  day: string;
  unitId: string;
  employeeId: string;
  score: number;
  hasText: boolean;
  audience: 'customer' | 'employee';
  themes: Map<string, Polarity>;
}

/** One org-wide lock shared by the sweep and the re-tag job: each reads and moves the rollup alone. */
async function lockOrg(tx: Db, orgId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`themes:${orgId}`}))`);
}

type Counts = [number, number, number, number, number, number];
const POLARITY_INDEX: Record<Polarity, number> = { complaint: 3, praise: 4, wish: 5 };

function addTo(
  deltas: Map<string, Counts>,
  key: string,
  score: number,
  polarity: Polarity | null,
  sign: number,
) {
  let c = deltas.get(key);
  if (!c) {
    c = [0, 0, 0, 0, 0, 0];
    deltas.set(key, c);
  }
  const segment = segmentOf(score);
  c[segment === 'detractor' ? 0 : segment === 'passive' ? 1 : 2]! += sign;
  if (polarity) c[POLARITY_INDEX[polarity]]! += sign;
}

function count(deltas: Map<string, Counts>, s: Stored, sign: number) {
  const base = `${s.audience}|${s.day}|${s.unitId}|${s.employeeId}|`;
  addTo(deltas, base + ALL_ANSWERS, s.score, null, sign);
  if (s.hasText) addTo(deltas, base + WITH_TEXT, s.score, null, sign);
  for (const [theme, polarity] of s.themes) addTo(deltas, base + theme, s.score, polarity, sign);
}

const same = (a: Stored, b: Stored) =>
  a.day === b.day &&
  a.unitId === b.unitId &&
  a.employeeId === b.employeeId &&
  a.score === b.score &&
  a.hasText === b.hasText &&
  a.themes.size === b.themes.size &&
  [...a.themes].every(([t, p]) => b.themes.get(t) === p);

const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;

/**
 * What is stored for these answers now (inside the lock). Given the id range of a batch read in id order (the re-tag
 * job), the rows are read as one range of the primary key rather than one probe per id.
 */
async function storedTags(
  tx: Db,
  orgId: string,
  ids: string[],
  range?: { after: string; last: string },
): Promise<Map<string, Stored>> {
  const out = new Map<string, Stored>();
  if (ids.length === 0) return out;
  const which = range
    ? sql`answer_id > ${range.after}::uuid and answer_id <= ${range.last}::uuid`
    : sql`answer_id = any(${uuidArray(ids)}::uuid[])`;
  const wanted = new Set(ids);
  const tags = rowsOf<{
    answer_id: string;
    audience: 'customer' | 'employee';
    day: string | Date;
    unit_id: string;
    employee_id: string;
    score: number;
    has_text: boolean;
  }>(
    await tx.execute(sql`select answer_id, audience, day::text as day, unit_id, employee_id, score, has_text
      from answer_tags where org_id = ${orgId} and ${which}`),
  );
  for (const t of tags)
    if (wanted.has(t.answer_id))
      out.set(t.answer_id, {
        audience: t.audience,
        day: String(t.day),
        unitId: t.unit_id,
        employeeId: t.employee_id,
        score: Number(t.score),
        hasText: t.has_text,
        themes: new Map(),
      });
  const themed = rowsOf<{ answer_id: string; theme_id: string; polarity: Polarity }>(
    await tx.execute(
      sql`select answer_id, theme_id, polarity from answer_themes where org_id = ${orgId} and ${which}`,
    ),
  );
  for (const t of themed) out.get(t.answer_id)?.themes.set(t.theme_id, t.polarity);
  return out;
}

/**
 * Tags the answers with the compiled taxonomy and stores what changed: tags, theme rows and the rollup deltas (the
 * old counts out, the new in; `rollup: false` leaves the rollup to a rebuild). Answers whose tags are unchanged
 * cost no write. Call inside the org's lock.
 */
export async function storeTags(
  tx: Db,
  orgId: string,
  version: number,
  compiled: CompiledTaxonomy,
  answers: readonly AnswerRow[],
  now: Date,
  options: { rollup?: boolean; range?: { after: string; last: string } } = {},
): Promise<number> {
  if (answers.length === 0) return 0;
  const before = await storedTags(
    tx,
    orgId,
    answers.map((a) => a.answerId),
    options.range,
  );
  const deltas = new Map<string, Counts>();
  const changed: { a: AnswerRow; next: Stored }[] = [];
  for (const a of answers) {
    const hits = a.reason ? tagReason(compiled, a.reason, a.score) : [];
    const next: Stored = {
      audience: a.audience,
      day: a.day,
      unitId: a.unitId,
      employeeId: a.employeeId,
      score: a.score,
      hasText: Boolean(a.reason?.trim()),
      themes: new Map(hits.map((h) => [h.themeId, h.polarity])),
    };
    const old = before.get(a.answerId);
    if (old && same(old, next)) continue;
    if (old) count(deltas, old, -1);
    count(deltas, next, 1);
    changed.push({ a, next });
  }
  if (changed.length === 0) return 0;
  const ids = changed.map((c) => c.a.answerId);
  const retagged = ids.filter((id) => before.has(id));
  if (retagged.length)
    await tx.execute(
      sql`delete from answer_themes where org_id = ${orgId} and answer_id = any(${uuidArray(retagged)}::uuid[])`,
    );
  const col = <T>(f: (c: { a: AnswerRow; next: Stored }) => T) => changed.map(f);
  await tx.execute(sql`
    insert into answer_tags (org_id, answer_id, audience, survey_id, day, unit_id, employee_id, channel, score,
                             has_text, version, tagged_at)
    select ${orgId}::uuid, k.answer_id, k.audience, k.survey_id, k.day, k.unit_id, k.employee_id, k.channel, k.score,
           k.has_text, ${version},
           -- An employee answer's tags keep its day only: the sweep's instant would order answers within a day.
           case when k.audience = 'employee' then k.day::timestamptz else ${now.toISOString()}::timestamptz end
      from unnest(${uuidArray(ids)}::uuid[], ${`{${col((c) => c.a.audience).join(',')}}`}::text[],
                  ${uuidArray(col((c) => c.a.surveyId))}::uuid[], ${`{${col((c) => c.a.day).join(',')}}`}::date[],
                  ${uuidArray(col((c) => c.a.unitId))}::uuid[], ${uuidArray(col((c) => c.a.employeeId))}::uuid[],
                  ${`{${col((c) => c.a.channel).join(',')}}`}::text[], ${`{${col((c) => c.a.score).join(',')}}`}::smallint[],
                  ${`{${col((c) => c.next.hasText).join(',')}}`}::boolean[])
        as k(answer_id, audience, survey_id, day, unit_id, employee_id, channel, score, has_text)
    on conflict (org_id, answer_id) do update set day = excluded.day, unit_id = excluded.unit_id,
      employee_id = excluded.employee_id, channel = excluded.channel, score = excluded.score,
      has_text = excluded.has_text, version = excluded.version, tagged_at = excluded.tagged_at`);
  const pairs = changed.flatMap((c) =>
    [...c.next.themes].map(([theme, polarity]) => [c.a.answerId, theme, polarity]),
  );
  if (pairs.length) {
    await tx.execute(sql`
      insert into answer_themes (org_id, answer_id, theme_id, polarity)
      select ${orgId}::uuid, k.a, k.t, k.p
        from unnest(${uuidArray(pairs.map((p) => p[0]!))}::uuid[], ${uuidArray(pairs.map((p) => p[1]!))}::uuid[],
                    ${`{${pairs.map((p) => p[2]).join(',')}}`}::text[]) as k(a, t, p)`);
  }
  if (options.rollup !== false) await applyDeltas(tx, orgId, deltas);
  return changed.length;
}

/**
 * Rebuilds the org's rollup from its tags in one statement: what the re-tag job does once at its end instead of
 * moving the rollup batch by batch (a third of its time at 1M answers). Call inside the org's lock.
 */
export async function rebuildRollup(tx: Db, orgId: string): Promise<void> {
  await tx.execute(sql`delete from theme_daily where org_id = ${orgId}`);
  const segments =
    sql.raw(`count(*) filter (where t.score <= 6)::int, count(*) filter (where t.score between 7 and 8)::int,
    count(*) filter (where t.score >= 9)::int`);
  await tx.execute(sql`
    insert into theme_daily (org_id, audience, day, unit_id, employee_id, theme_id, detractors, passives, promoters,
                             complaints, praises, wishes)
    select t.org_id, t.audience, t.day, t.unit_id, t.employee_id, ${ALL_ANSWERS}::uuid, ${segments}, 0, 0, 0
      from answer_tags t where t.org_id = ${orgId} group by 1, 2, 3, 4, 5
    union all
    select t.org_id, t.audience, t.day, t.unit_id, t.employee_id, ${WITH_TEXT}::uuid, ${segments}, 0, 0, 0
      from answer_tags t where t.org_id = ${orgId} and t.has_text group by 1, 2, 3, 4, 5
    union all
    select t.org_id, t.audience, t.day, t.unit_id, t.employee_id, a.theme_id, ${segments},
           count(*) filter (where a.polarity = 'complaint')::int, count(*) filter (where a.polarity = 'praise')::int,
           count(*) filter (where a.polarity = 'wish')::int
      from answer_themes a join answer_tags t on t.org_id = a.org_id and t.answer_id = a.answer_id
     where a.org_id = ${orgId} group by 1, 2, 3, 4, 5, 6`);
}

async function applyDeltas(tx: Db, orgId: string, deltas: Map<string, Counts>): Promise<void> {
  const rows = [...deltas.entries()].filter(([, c]) => c.some((x) => x !== 0));
  for (let i = 0; i < rows.length; i += 5_000) {
    const chunk = rows.slice(i, i + 5_000);
    const keys = chunk.map(([k]) => k.split('|'));
    const arr = (f: (k: string[], c: Counts) => string | number) =>
      `{${chunk.map(([, c], j) => f(keys[j]!, c)).join(',')}}`;
    await tx.execute(sql`
      insert into theme_daily (org_id, audience, day, unit_id, employee_id, theme_id, detractors, passives, promoters,
                               complaints, praises, wishes)
      select ${orgId}::uuid, k.* from unnest(${arr((k) => k[0]!)}::text[], ${arr((k) => k[1]!)}::date[],
             ${arr((k) => k[2]!)}::uuid[], ${arr((k) => k[3]!)}::uuid[], ${arr((k) => k[4]!)}::uuid[],
             ${arr((_, c) => c[0])}::int[], ${arr((_, c) => c[1])}::int[], ${arr((_, c) => c[2])}::int[],
             ${arr((_, c) => c[3])}::int[], ${arr((_, c) => c[4])}::int[], ${arr((_, c) => c[5])}::int[]) as k
      on conflict (org_id, audience, day, unit_id, employee_id, theme_id) do update set
        detractors = theme_daily.detractors + excluded.detractors, passives = theme_daily.passives + excluded.passives,
        promoters = theme_daily.promoters + excluded.promoters, complaints = theme_daily.complaints + excluded.complaints,
        praises = theme_daily.praises + excluded.praises, wishes = theme_daily.wishes + excluded.wishes`);
  }
}

interface CustomerRow {
  id: string;
  survey_id: string;
  unit_id: string | null;
  employee_id: string | null;
  channel: string;
  score: number;
  reason: string | null;
  answered_at: string | Date;
}

const customerRow = (r: CustomerRow, timeZone: string): AnswerRow => ({
  answerId: r.id,
  audience: 'customer',
  surveyId: r.survey_id,
  day: localDay(new Date(r.answered_at), timeZone),
  unitId: r.unit_id ?? NIL,
  employeeId: r.employee_id ?? NIL,
  channel: r.channel,
  score: Number(r.score),
  reason: r.reason,
});

interface EmployeeRow {
  id: string;
  survey_id: string;
  unit_id: string | null;
  score: number;
  reason: string | null;
  answered_on: string | Date;
}

const employeeRow = (r: EmployeeRow): AnswerRow => ({
  answerId: r.id,
  audience: 'employee',
  surveyId: r.survey_id,
  day:
    typeof r.answered_on === 'string' ? r.answered_on.slice(0, 10) : r.answered_on.toISOString().slice(0, 10),
  unitId: r.unit_id ?? NIL,
  // eNPS answers name no one.
  employeeId: NIL,
  channel: 'link',
  score: Number(r.score),
  reason: r.reason,
});

/**
 * One round of the sweep for one org: customer answers stored since the watermark (less the commit margin) with no
 * tags yet, answers amended after they were tagged, and employee answers of recent days; tagged in one transaction.
 * Returns how many answers it read.
 */
export async function sweepOrg(
  db: Db,
  orgId: string,
  timeZone: string,
  now: Date,
  batch = SWEEP_BATCH,
): Promise<number> {
  await ensureTaxonomy(db, orgId, now);
  const { version, compiled } = await compiledTaxonomy(db, orgId);
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    await lockOrg(tx, orgId);
    const [settings] = rowsOf<{ watermark: string | Date | null; employee_watermark: string | null }>(
      await tx.execute(sql`select watermark, employee_watermark::text as employee_watermark from theme_settings
        where org_id = ${orgId}`),
    );
    const since = new Date(new Date(settings?.watermark ?? 0).getTime() - COMMIT_MARGIN_MS).toISOString();
    const fresh = rowsOf<CustomerRow>(
      // Per survey, the (org, survey, time) index read in time order stops after `batch` untagged answers; one
      // ordered read over all surveys would check every answer since the watermark for each batch — during a burst
      // of thousands that grew with every batch (bench/answers: 100–400 ms a statement on PGlite).
      await tx.execute(sql`
        select r.id, r.survey_id, r.unit_id, r.employee_id, r.channel, r.score, r.reason, r.answered_at
          from surveys s cross join lateral (
            select r.id, r.survey_id, r.unit_id, r.employee_id, r.channel, r.score, r.reason, r.answered_at
              from responses r
             where r.org_id = s.org_id and r.survey_id = s.id and r.answered_at >= ${since}::timestamptz
               and not exists (select 1 from answer_tags t where t.org_id = r.org_id and t.answer_id = r.id)
             order by r.answered_at limit ${batch}) r
         where s.org_id = ${orgId}
         order by r.answered_at limit ${batch}`),
    );
    // Amendments happen within a day of the answer: only that day's answers are looked at.
    const amendSince = new Date(now.getTime() - 25 * 3600_000).toISOString();
    const amended = rowsOf<CustomerRow>(
      await tx.execute(sql`
        select r.id, r.survey_id, r.unit_id, r.employee_id, r.channel, r.score, r.reason, r.answered_at
          from responses r join answer_tags t on t.org_id = r.org_id and t.answer_id = r.id
         where r.org_id = ${orgId} and r.answered_at >= ${amendSince}::timestamptz
           and r.survey_id in (select id from surveys where org_id = ${orgId})
           and r.amended_at is not null and r.amended_at > t.tagged_at
         limit ${batch}`),
    );
    const employeeSince = settings?.employee_watermark ?? '1900-01-01';
    const employees = rowsOf<EmployeeRow>(
      await tx.execute(sql`
        select e.id, e.survey_id, e.unit_id, e.score, e.reason, e.answered_on from employee_responses e
         where e.org_id = ${orgId} and e.answered_on >= ${employeeSince}::date - 1
           and e.survey_id in (select id from surveys where org_id = ${orgId})
           and not exists (select 1 from answer_tags t where t.org_id = e.org_id and t.answer_id = e.id)
         limit ${batch}`),
    );
    const rows = [
      ...fresh.map((r) => customerRow(r, timeZone)),
      ...amended.map((r) => customerRow(r, timeZone)),
      ...employees.map(employeeRow),
    ];
    if (rows.length === 0) return 0;
    await storeTags(tx, orgId, version, compiled, rows, now);
    const newest = fresh.reduce((m, r) => Math.max(m, new Date(r.answered_at).getTime()), 0);
    const newestDay =
      employees
        .map((r) => employeeRow(r).day)
        .sort()
        .at(-1) ?? '';
    await tx.execute(sql`update theme_settings set
        watermark = greatest(watermark, ${newest ? new Date(newest).toISOString() : null}::timestamptz),
        employee_watermark = greatest(employee_watermark, ${newestDay || null}::date)
      where org_id = ${orgId}`);
    return rows.length;
  });
}

/** The periodic task: every organisation's new and amended answers get their themes within seconds. */
export async function sweepThemes(deps: Deps, now: Date): Promise<number> {
  const orgs = rowsOf<{ id: string; time_zone: string }>(
    await deps.db.execute(sql`select id, time_zone from orgs`),
  );
  const gate = gateOf(deps);
  const batch = gate?.smallBites() ? SWEEP_BATCH / 10 : SWEEP_BATCH;
  let total = 0;
  for (const org of orgs) {
    // A burst is read in a few rounds, each its own short transaction.
    for (let round = 0; round < 10; round++) {
      await gate?.calm();
      const n = await sweepOrg(deps.db, org.id, org.time_zone, now, batch);
      total += n;
      if (n < batch) break;
    }
  }
  return total;
}

/**
 * The re-tag job: every answer of the org, customers' then employees', in batches by id, tagged with the current
 * taxonomy, then the rollup rebuilt from the tags; progress in theme_settings. A newer edit's job supersedes this
 * one (it stops at its next batch and leaves the rebuild to the newer).
 */
export async function retagOrg(ctx: Ctx, version: number): Promise<void> {
  const db = ctx.db;
  const orgId = ctx.orgId;
  const [org] = rowsOf<{ time_zone: string }>(
    await db.execute(sql`select time_zone from orgs where id = ${orgId}`),
  );
  if (!org) return;
  const [totals] = rowsOf<{ n: number }>(
    await db.execute(sql`select (select count(*) from responses where org_id = ${orgId})::int
      + (select count(*) from employee_responses where org_id = ${orgId})::int as n`),
  );
  await db.execute(sql`update theme_settings set retag_version = ${version}, retag_total = ${totals?.n ?? 0},
      retag_done = 0, retag_started_at = ${ctx.clock().toISOString()}::timestamptz, retag_finished_at = null
    where org_id = ${orgId}`);
  const gate = gateOf(ctx);
  const batch = gate?.smallBites() ? RETAG_BATCH / 5 : RETAG_BATCH;
  let done = 0;
  for (const audience of ['customer', 'employee'] as const) {
    let cursor = NIL;
    for (;;) {
      await gate?.calm();
      const current = await compiledTaxonomy(db, orgId);
      if (current.version !== version) return;
      const n = await db.transaction(async (txRaw) => {
        const tx = txRaw as unknown as Db;
        await lockOrg(tx, orgId);
        const rows =
          audience === 'customer'
            ? rowsOf<CustomerRow>(
                await tx.execute(sql`select id, survey_id, unit_id, employee_id, channel, score, reason, answered_at
                  from responses where org_id = ${orgId} and id > ${cursor}::uuid order by id limit ${batch}`),
              ).map((r) => customerRow(r, org.time_zone))
            : rowsOf<EmployeeRow>(
                await tx.execute(sql`select id, survey_id, unit_id, score, reason, answered_on from employee_responses
                  where org_id = ${orgId} and id > ${cursor}::uuid order by id limit ${batch}`),
              ).map(employeeRow);
        if (rows.length === 0) return 0;
        const last = rows.at(-1)!.answerId;
        await storeTags(tx, orgId, version, current.compiled, rows, ctx.clock(), {
          rollup: false,
          range: { after: cursor, last },
        });
        cursor = last;
        done += rows.length;
        await tx.execute(sql`update theme_settings set retag_done = ${done} where org_id = ${orgId}`);
        return rows.length;
      });
      if (n < batch) break;
    }
  }
  // The batches left the rollup alone; the sweep kept adding its answers meanwhile. One rebuild makes it whole.
  await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    await lockOrg(tx, orgId);
    await rebuildRollup(tx, orgId);
    await tx.execute(sql`update theme_settings set retag_done = ${done},
        retag_finished_at = ${ctx.clock().toISOString()}::timestamptz where org_id = ${orgId}`);
  });
}

/** The job handler registered on the worker. */
export async function runRetagJob(job: Job, ctx: Ctx): Promise<void> {
  const version = Number((job.payload as { version?: number }).version ?? 0);
  await retagOrg(ctx, version);
}
