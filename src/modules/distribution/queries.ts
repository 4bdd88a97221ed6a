// The distribution room's SQL: bulk reads of customers, contacts and invitation history, and bulk invitation writes.
// Why here and not through each room's service: a blitz reads a whole customer base and a sweep thousands of
// contacts at once; one set-based query beats thousands of per-row service calls. Only reads, plus inserts of
// invitations in the shape the invitations room defines (tokens derived as it does).
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { type Db, rowsOf, tables } from '../../db/index.js';
import type { Ask, ContactLimits } from '../../domain/contact-policy.js';
import { invitationToken } from '../invitations/index.js';
import { hashToken } from '../kernel/index.js';
import type { Vault } from '../privacy/index.js';
import type { AddressFacts } from './reach.js';

const { invitations, distributionCursors, orgs, surveys } = tables;

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
/** A PostgreSQL array literal of uuids: one parameter however many ids (PGlite mishandles long IN lists). */
const uuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`;

export async function subtreeUnitIds(db: Db, orgId: string, roots: readonly string[]): Promise<Set<string>> {
  if (roots.length === 0) return new Set();
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      select u.id from units u
      where u.org_id = ${orgId}
        and exists (select 1 from units r where r.org_id = ${orgId} and r.id = any(${uuidArray(roots)}::uuid[])
                    and u.path like r.path || '%')`),
  );
  return new Set(rows.map((r) => r.id));
}

/** Unit ids of this organisation among `ids` (to refuse unknown ones). */
export async function knownUnitIds(db: Db, orgId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = rowsOf<{ id: string }>(
    await db.execute(
      sql`select id from units where org_id = ${orgId} and id = any(${uuidArray(ids)}::uuid[])`,
    ),
  );
  return new Set(rows.map((r) => r.id));
}

export interface CustomerFacts extends AddressFacts {
  id: string;
  optedOut: boolean;
  locale: 'ru' | 'en' | null;
  /** The customer's home unit, else the unit of their last contact. */
  unitId: string | null;
}

interface FactsRow {
  id: string;
  opted_out: boolean;
  locale: 'ru' | 'en' | null;
  unit_id: string | null;
  email_enc: string | null;
  phone_enc: string | null;
  email_suppressed: boolean;
  sms_suppressed: boolean;
  phone_invalid: boolean;
}

const factsOf = (r: FactsRow): CustomerFacts => ({
  id: r.id,
  optedOut: r.opted_out,
  locale: r.locale,
  unitId: r.unit_id,
  emailEnc: r.email_enc,
  phoneEnc: r.phone_enc,
  emailSuppressed: r.email_suppressed,
  smsSuppressed: r.sms_suppressed,
  phoneInvalid: r.phone_invalid,
});

const suppressionColumns = sql`
  exists (select 1 from suppressions s where s.org_id = c.org_id and s.channel = 'email'
          and s.address_bidx = c.email_bidx) as email_suppressed,
  exists (select 1 from suppressions s where s.org_id = c.org_id and s.channel = 'sms'
          and s.address_bidx = c.phone_bidx) as sms_suppressed,
  exists (select 1 from suppressions s where s.org_id = c.org_id and s.channel = 'sms'
          and s.address_bidx = c.phone_bidx and s.reason = 'invalid') as phone_invalid`;

/** Opt-out, locale, addresses and suppressions of these customers. */
export async function customerFacts(db: Db, orgId: string, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, CustomerFacts>();
  const rows = rowsOf<FactsRow>(
    await db.execute(sql`
      select c.id, c.opted_out_at is not null as opted_out, c.locale, c.home_unit_id as unit_id,
             c.email_enc, c.phone_enc, ${suppressionColumns}
      from customers c
      where c.org_id = ${orgId} and c.id = any(${uuidArray(ids)}::uuid[])`),
  );
  return new Map(rows.map((r) => [r.id, factsOf(r)]));
}

export interface AudienceFilter {
  units: Set<string> | null;
  activeSince: Date | null;
  minVisits: number | null;
}

/** The customers a campaign audience names, in id order (the order sampling starts from). */
export async function campaignBase(db: Db, orgId: string, filter: AudienceFilter): Promise<CustomerFacts[]> {
  if (filter.units && filter.units.size === 0) return [];
  const rows = rowsOf<FactsRow>(
    await db.execute(sql`
      with visits as (
        select customer_id, count(*)::int as n, max(occurred_at) as last_at
        from contacts where org_id = ${orgId} group by customer_id
      ), last_unit as (
        select distinct on (customer_id) customer_id, unit_id
        from contacts where org_id = ${orgId}
        order by customer_id, occurred_at desc, id desc
      )
      select c.id, c.opted_out_at is not null as opted_out, c.locale,
             coalesce(c.home_unit_id, lu.unit_id) as unit_id,
             c.email_enc, c.phone_enc, ${suppressionColumns}
      from customers c
      left join visits v on v.customer_id = c.id
      left join last_unit lu on lu.customer_id = c.id
      where c.org_id = ${orgId}
        ${filter.activeSince ? sql`and v.last_at >= ${filter.activeSince.toISOString()}` : sql``}
        ${filter.minVisits ? sql`and coalesce(v.n, 0) >= ${filter.minVisits}` : sql``}
        ${filter.units ? sql`and coalesce(c.home_unit_id, lu.unit_id) = any(${uuidArray([...filter.units])}::uuid[])` : sql``}
      order by c.id`),
  );
  return rows.map(factsOf);
}

interface AskRow {
  customer_id: string;
  survey_id: string;
  kind: Ask['kind'];
  at: string | Date;
}
const askOf = (r: AskRow): Ask => ({ surveyId: r.survey_id, kind: r.kind, at: new Date(r.at) });

function byCustomer(rows: AskRow[]): Map<string, Ask[]> {
  const out = new Map<string, Ask[]>();
  for (const r of rows) {
    const list = out.get(r.customer_id);
    if (list) list.push(askOf(r));
    else out.set(r.customer_id, [askOf(r)]);
  }
  return out;
}

/** When an invitation goes (or went) out: sent, else scheduled, else made. */
const askedAt = sql`coalesce(i.sent_at, i.send_after, i.created_at)`;

/** Invitations of any transactional survey to these customers between two instants. */
export async function transactionalHistory(
  db: Db,
  orgId: string,
  customerIds: readonly string[],
  from: Date,
  to: Date,
): Promise<Map<string, Ask[]>> {
  if (customerIds.length === 0) return new Map();
  return byCustomer(
    rowsOf<AskRow>(
      await db.execute(sql`
        select i.customer_id, i.survey_id, s.kind, ${askedAt} as at
        from invitations i join surveys s on s.org_id = i.org_id and s.id = i.survey_id
        where i.org_id = ${orgId} and i.customer_id = any(${uuidArray(customerIds)}::uuid[])
          and s.kind = 'transactional'
          and ${askedAt} > ${from.toISOString()} and ${askedAt} < ${to.toISOString()}`),
    ),
  );
}

/** Invitations of one survey between two instants, by customer (a campaign's own invitations left out). */
export async function surveyHistory(
  db: Db,
  orgId: string,
  surveyId: string,
  from: Date,
  to: Date,
  exceptCampaignId: string | null,
): Promise<Map<string, Ask[]>> {
  return byCustomer(
    rowsOf<AskRow>(
      await db.execute(sql`
        select i.customer_id, i.survey_id, s.kind, ${askedAt} as at
        from invitations i join surveys s on s.org_id = i.org_id and s.id = i.survey_id
        where i.org_id = ${orgId} and i.survey_id = ${surveyId} and i.customer_id is not null
          and ${askedAt} > ${from.toISOString()} and ${askedAt} < ${to.toISOString()}
          ${exceptCampaignId ? sql`and i.campaign_id is distinct from ${exceptCampaignId}` : sql``}`),
    ),
  );
}

/** Customers this campaign already invited, among `customerIds` (a campaign resumed after a crash skips them). */
export async function invitedByCampaign(
  db: Db,
  orgId: string,
  campaignId: string,
  customerIds: readonly string[],
): Promise<Set<string>> {
  if (customerIds.length === 0) return new Set();
  const rows = rowsOf<{ customer_id: string }>(
    await db.execute(sql`
      select customer_id from invitations
      where org_id = ${orgId} and campaign_id = ${campaignId}
        and customer_id = any(${uuidArray(customerIds)}::uuid[])`),
  );
  return new Set(rows.map((r) => r.customer_id));
}

export type NewInvitation = Omit<typeof invitations.$inferInsert, 'id' | 'tokenHash'>;

/**
 * Inserts invitations, 1,000 per statement, each with its id chosen here and its link token derived from it
 * the way the invitations room does (so delivery can put the link in the message); returns how many.
 */
export async function insertInvitations(db: Db, vault: Vault, rows: NewInvitation[]): Promise<number> {
  let inserted = 0;
  for (let k = 0; k < rows.length; k += 1000) {
    const chunk = rows.slice(k, k + 1000).map((r) => {
      const id = randomUUID();
      return { ...r, id, tokenHash: hashToken(invitationToken(vault, r.orgId, id)) };
    });
    await db.insert(invitations).values(chunk);
    inserted += chunk.length;
  }
  return inserted;
}

export interface TriggerContact {
  id: string;
  customerId: string;
  unitId: string;
  employeeId: string | null;
  occurredAt: Date;
  createdAt: Date;
  invited: boolean;
}

/**
 * The next contacts after the cursor, by arrival. Only those that happened since `freshSince` are read (older
 * ones get no survey anyway), which keeps the scan on the (org_id, occurred_at) index.
 */
export async function contactsAfter(
  db: Db,
  orgId: string,
  surveyId: string,
  cursor: { at: Date; rowId: string },
  freshSince: Date,
  arrivedBy: Date,
  limit: number,
): Promise<TriggerContact[]> {
  const rows = rowsOf<{
    id: string;
    customer_id: string;
    unit_id: string;
    employee_id: string | null;
    occurred_at: string | Date;
    created_at: string | Date;
    invited: boolean;
  }>(
    await db.execute(sql`
      select ct.id, ct.customer_id, ct.unit_id, ct.employee_id, ct.occurred_at, ct.created_at,
             exists (select 1 from invitations i where i.org_id = ct.org_id and i.survey_id = ${surveyId}
                     and i.contact_id = ct.id) as invited
      from contacts ct
      where ct.org_id = ${orgId} and ct.occurred_at >= ${freshSince.toISOString()}
        and (ct.created_at, ct.id) > (${cursor.at.toISOString()}::timestamptz, ${cursor.rowId}::uuid)
        and ct.created_at <= ${arrivedBy.toISOString()}
      order by ct.created_at, ct.id
      limit ${limit}`),
  );
  return rows.map((r) => ({
    id: r.id,
    customerId: r.customer_id,
    unitId: r.unit_id,
    employeeId: r.employee_id,
    occurredAt: new Date(r.occurred_at),
    createdAt: new Date(r.created_at),
    invited: r.invited,
  }));
}

export async function readCursor(db: Db, orgId: string, surveyId: string, kind: 'trigger' | 'reminder') {
  const [row] = await db
    .select({ at: distributionCursors.at, rowId: distributionCursors.rowId })
    .from(distributionCursors)
    .where(
      and(
        eq(distributionCursors.orgId, orgId),
        eq(distributionCursors.surveyId, surveyId),
        eq(distributionCursors.kind, kind),
      ),
    );
  return row ?? null;
}

export async function writeCursor(
  db: Db,
  orgId: string,
  surveyId: string,
  kind: 'trigger' | 'reminder',
  at: Date,
  rowId: string = ZERO_UUID,
  now: Date = new Date(),
): Promise<void> {
  await db
    .insert(distributionCursors)
    .values({ orgId, surveyId, kind, at, rowId, updatedAt: now })
    .onConflictDoUpdate({
      target: [distributionCursors.orgId, distributionCursors.surveyId, distributionCursors.kind],
      set: { at, rowId, updatedAt: now },
    });
}

/** Serialises one sweep of one survey across processes, until the transaction ends (works on PGlite too). */
export async function lockSweep(tx: Db, orgId: string, surveyId: string, kind: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${orgId}/${surveyId}/${kind}`}, 0))`);
}

export interface ReminderCandidate {
  id: string;
  sentAt: Date;
}

/** Invitations to remind: sent at least `afterDays` ago (after the cursor), unanswered, unexpired, by e-mail/SMS. */
export async function reminderCandidates(
  db: Db,
  orgId: string,
  surveyId: string,
  cursor: { at: Date; rowId: string },
  sentBefore: Date,
  now: Date,
  limit: number,
): Promise<{ candidates: ReminderCandidate[]; last: ReminderCandidate | null }> {
  const rows = rowsOf<{ id: string; sent_at: string | Date; eligible: boolean }>(
    await db.execute(sql`
      select i.id, i.sent_at,
             (i.status = 'pending' and i.reminded_at is null and i.expires_at > ${now.toISOString()}
              and i.channel in ('email', 'sms')
              and not exists (select 1 from customers c where c.org_id = i.org_id and c.id = i.customer_id
                              and c.opted_out_at is not null)) as eligible
      from invitations i
      where i.org_id = ${orgId} and i.survey_id = ${surveyId} and i.sent_at is not null
        and i.sent_at <= ${sentBefore.toISOString()}
        and (i.sent_at, i.id) > (${cursor.at.toISOString()}::timestamptz, ${cursor.rowId}::uuid)
      order by i.sent_at, i.id
      limit ${limit}`),
  );
  const all = rows.map((r) => ({ id: r.id, sentAt: new Date(r.sent_at), eligible: r.eligible }));
  const last = all.at(-1);
  return {
    candidates: all.filter((r) => r.eligible).map(({ id, sentAt }) => ({ id, sentAt })),
    last: last ? { id: last.id, sentAt: last.sentAt } : null,
  };
}

/** The organisation's contact policy (defaults filled in), locale and time zone. */
export async function orgPolicy(
  db: Db,
  orgId: string,
): Promise<{ limits: ContactLimits | undefined; locale: 'ru' | 'en'; timeZone: string }> {
  const [org] = await db
    .select({ settings: orgs.settings, locale: orgs.locale, timeZone: orgs.timeZone })
    .from(orgs)
    .where(eq(orgs.id, orgId));
  return {
    limits: org?.settings.contactPolicy,
    locale: org?.locale ?? 'ru',
    timeZone: org?.timeZone ?? 'UTC',
  };
}

/** Sets one key of the org's settings, leaving the other rooms' keys as they are (one atomic jsonb merge). */
export async function writeContactPolicy(db: Db, orgId: string, policy: ContactLimits): Promise<void> {
  await db
    .update(orgs)
    .set({
      settings: sql`${orgs.settings} || jsonb_build_object('contactPolicy', ${JSON.stringify(policy)}::jsonb)`,
    })
    .where(eq(orgs.id, orgId));
}

export async function writeSurveyDistribution(
  db: Db,
  orgId: string,
  surveyId: string,
  distribution: (typeof surveys.$inferSelect)['distribution'],
): Promise<void> {
  await db
    .update(surveys)
    .set({ distribution })
    .where(and(eq(surveys.orgId, orgId), eq(surveys.id, surveyId)));
}

/** Surveys whose distribution settings have this part, across organisations (the periodic sweep). */
export async function surveysWith(db: Db, part: 'trigger' | 'reminder') {
  return db
    .select()
    .from(surveys)
    .where(
      and(
        sql`jsonb_typeof(${surveys.distribution} -> ${part}) = 'object'`,
        eq(surveys.status, 'active'),
        sql`${surveys.deletedAt} is null`,
      ),
    );
}
