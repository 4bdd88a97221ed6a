// Invitations: one single-use survey link per customer, contact or employee; only the token's hash is kept.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, rowsOf, tables } from '../../db/index.js';
import { contactsByIds } from '../contacts/index.js';
import { customersByIds } from '../customers/index.js';
import {
  AppError,
  type Ctx,
  canWrite,
  decodeCursor,
  type FieldError,
  hashToken,
  notFound,
  pageOf,
  pageQuery,
  requireRole,
} from '../kernel/index.js';
import type { Vault } from '../privacy/index.js';
import { findSurvey } from '../surveys/index.js';

const { invitations, employees, surveys, orgs } = tables;

const ids = z.array(z.uuid()).max(1000);
export const newInvitationsInput = z
  .object({
    customerIds: ids.optional().openapi({ description: 'Customer surveys: invite these customers' }),
    contactIds: ids.optional().openapi({
      description:
        'Customer surveys: invite after these visits (the answer is tied to the visit’s unit and employee)',
    }),
    employeeIds: ids
      .optional()
      .openapi({ description: 'Employee surveys: invite these employees (their answers stay anonymous)' }),
    count: z.number().int().min(1).max(1000).optional().openapi({
      description: 'Single-use links tied to no one (e.g. printed QR codes); with unitId, tied to that unit',
    }),
    unitId: z.uuid().optional(),
    channel: z.enum(['link', 'email', 'sms', 'widget', 'phone']).default('link'),
    locale: z.enum(['ru', 'en']).optional(),
    expiresInDays: z.number().int().min(1).max(365).default(30),
  })
  .refine(
    (i) =>
      (i.customerIds?.length ?? 0) +
        (i.contactIds?.length ?? 0) +
        (i.employeeIds?.length ?? 0) +
        (i.count ?? 0) >
      0,
    { message: 'Give customerIds, contactIds, employeeIds or count', path: ['customerIds'] },
  )
  .refine(
    (i) =>
      (i.customerIds?.length ?? 0) +
        (i.contactIds?.length ?? 0) +
        (i.employeeIds?.length ?? 0) +
        (i.count ?? 0) <=
      1000,
    { message: 'At most 1,000 invitations per request', path: ['customerIds'] },
  );
export const invitationListQuery = pageQuery.extend({ status: z.enum(['pending', 'answered']).optional() });

type Row = typeof invitations.$inferSelect;
type NewRow = typeof invitations.$inferInsert;

export interface InvitationView {
  id: string;
  surveyId: string;
  customerId: string | null;
  contactId: string | null;
  employeeId: string | null;
  unitId: string | null;
  channel: Row['channel'];
  locale: Row['locale'];
  status: Row['status'];
  createdAt: string;
  expiresAt: string;
}

const viewOf = (r: Row): InvitationView => ({
  id: r.id,
  surveyId: r.surveyId,
  customerId: r.customerId,
  contactId: r.contactId,
  employeeId: r.employeeId,
  unitId: r.unitId,
  channel: r.channel,
  locale: r.locale,
  status: r.status,
  createdAt: r.createdAt.toISOString(),
  expiresAt: r.expiresAt.toISOString(),
});

/**
 * The link token of an invitation, derived from its id with the vault's keyed HMAC (never stored).
 *
 * Why derived and not random-and-forgotten: e-mail and SMS go out later, from the worker, which must put the
 * link in the message; a keyed HMAC lets it re-derive the token at send time while the database still holds
 * only its hash (a leaked database without the secret key yields no working link), with no schema change and
 * nothing more to encrypt. 32 base64url characters = 192 bits. Invitations made before this kept their random
 * tokens: their links work as before (the page looks tokens up by hash), they just cannot be mailed again —
 * `invitationLink` returns null for them.
 */
export function invitationToken(vault: Vault, orgId: string, invitationId: string): string {
  return vault.blindIndex('name', `invitation-token/v1 ${orgId} ${invitationId}`).slice(0, 32);
}

/**
 * The token of an invitation's link as it was made, to put in a message again (a reminder, an unsubscribe header):
 * derived under the current key, or under an older key of the keyring while a rotation runs, or — for a link made
 * before a rotation — the token the rotation sealed into `token_enc`. Null when the token was random (made before
 * derivation) or cannot be found; the hash check makes sure a wrong token is never sent.
 */
export function invitationLinkToken(
  vault: Vault,
  invitation: { orgId: string; id: string; tokenHash: string; tokenEnc?: string | null },
): string | null {
  for (const index of vault.blindIndexes(
    'name',
    `invitation-token/v1 ${invitation.orgId} ${invitation.id}`,
  )) {
    const token = index.slice(0, 32);
    if (hashToken(token) === invitation.tokenHash) return token;
  }
  if (invitation.tokenEnc) {
    const token = vault.decrypt(invitation.tokenEnc);
    if (hashToken(token) === invitation.tokenHash) return token;
  }
  return null;
}

/** The survey link of an invitation for a message, or null when its token was random (made before derivation). */
export function invitationLink(
  vault: Vault,
  publicUrl: string,
  invitation: { orgId: string; id: string; tokenHash: string; tokenEnc?: string | null },
): { token: string; url: string } | null {
  const token = invitationLinkToken(vault, invitation);
  if (token === null) return null;
  return { token, url: surveyUrl(publicUrl, token) };
}

export function surveyUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/s/${token}`;
}

/**
 * Creates invitations and returns each one's link. The token is in the link only: it is shown here once and
 * stored as a hash, so a leaked database does not leak working links.
 */
export async function createInvitations(
  ctx: Ctx,
  surveyId: string,
  input: z.input<typeof newInvitationsInput>,
  publicUrl: string,
): Promise<(InvitationView & { url: string })[]> {
  requireRole(ctx, ...canWrite);
  const i = newInvitationsInput.parse(input);
  const survey = await findSurvey(ctx, surveyId);
  if (survey.status !== 'active') throw new AppError('conflict', 'The survey is closed');
  const errors: FieldError[] = [];
  const wrongAudience = (field: string) =>
    errors.push({ path: field, message: `Not for a survey of ${survey.audience}s` });
  if (survey.audience === 'employee') {
    if (i.customerIds?.length) wrongAudience('customerIds');
    if (i.contactIds?.length) wrongAudience('contactIds');
  } else if (i.employeeIds?.length) {
    wrongAudience('employeeIds');
  }

  const now = ctx.clock();
  const base = {
    orgId: ctx.orgId,
    surveyId,
    channel: i.channel,
    createdAt: now,
    expiresAt: new Date(now.getTime() + i.expiresInDays * 86_400_000),
  };
  const rows: NewRow[] = [];
  const localeOr = (l: 'ru' | 'en' | null | undefined) => i.locale ?? l ?? survey.defaultLocale;

  const customers = await customersByIds(ctx, i.customerIds ?? []);
  (i.customerIds ?? []).forEach((id, k) => {
    const c = customers.get(id);
    if (!c) {
      errors.push({
        path: `customerIds.${k}`,
        message: 'No customer with this id in your organisation',
      });
      return;
    }
    rows.push({ ...base, customerId: id, unitId: c.homeUnitId, locale: localeOr(c.locale), tokenHash: '' });
  });

  const contacts = await contactsByIds(ctx, i.contactIds ?? []);
  const contactCustomers = await customersByIds(
    ctx,
    [...contacts.values()].map((c) => c.customerId),
  );
  (i.contactIds ?? []).forEach((id, k) => {
    const c = contacts.get(id);
    if (!c) {
      errors.push({
        path: `contactIds.${k}`,
        message: 'No contact with this id in your organisation',
      });
      return;
    }
    rows.push({
      ...base,
      customerId: c.customerId,
      contactId: id,
      unitId: c.unitId,
      employeeId: c.employeeId,
      locale: localeOr(contactCustomers.get(c.customerId)?.locale),
      tokenHash: '',
    });
  });

  if (i.employeeIds?.length) {
    const found = await ctx.db
      .select({ id: employees.id, unitId: employees.unitId, active: employees.active })
      .from(employees)
      .where(and(eq(employees.orgId, ctx.orgId), inArray(employees.id, i.employeeIds)));
    const byId = new Map(found.map((e) => [e.id, e]));
    i.employeeIds.forEach((id, k) => {
      const e = byId.get(id);
      if (!e) {
        errors.push({
          path: `employeeIds.${k}`,
          message: 'No employee with this id in your organisation',
        });
        return;
      }
      rows.push({ ...base, employeeId: id, unitId: e.unitId, locale: localeOr(null), tokenHash: '' });
    });
  }

  for (let k = 0; k < (i.count ?? 0); k++)
    rows.push({ ...base, unitId: i.unitId ?? null, locale: localeOr(null), tokenHash: '' });

  if (errors.length) throw new AppError('invalid_input', errors[0]!.message, { errors });

  // Ids are chosen here so each token can be derived from its id (see invitationToken).
  const tokens = rows.map((r) => {
    r.id = randomUUID();
    return invitationToken(ctx.vault, ctx.orgId, r.id);
  });
  rows.forEach((r, k) => {
    r.tokenHash = hashToken(tokens[k]!);
  });
  try {
    const created = await ctx.db.insert(invitations).values(rows).returning();
    return created.map((r, k) => ({ ...viewOf(r), url: surveyUrl(publicUrl, tokens[k]!) }));
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === '23503') {
      throw new AppError('invalid_input', 'Unknown unit', {
        errors: [{ path: 'unitId', message: 'No unit with this id in your organisation' }],
      });
    }
    throw error;
  }
}

export async function listInvitations(
  ctx: Ctx,
  surveyId: string,
  query: z.input<typeof invitationListQuery>,
) {
  const q = invitationListQuery.parse(query);
  await findSurvey(ctx, surveyId);
  const cursor = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.orgId, ctx.orgId),
        eq(invitations.surveyId, surveyId),
        q.status ? eq(invitations.status, q.status) : undefined,
        cursor
          ? or(
              lt(invitations.createdAt, new Date(cursor.at)),
              and(eq(invitations.createdAt, new Date(cursor.at)), lt(invitations.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(q.limit + 1);
  const page = pageOf(rows, q.limit, (r) => [r.createdAt, r.id]);
  return { items: page.items.map(viewOf), nextCursor: page.nextCursor };
}

export async function getInvitation(ctx: Ctx, id: string): Promise<InvitationView> {
  const [row] = await ctx.db
    .select()
    .from(invitations)
    .where(and(eq(invitations.orgId, ctx.orgId), eq(invitations.id, id)));
  if (!row) throw notFound('Invitation');
  return viewOf(row);
}

/** What the public survey page needs to know about a link: the invitation, its survey and organisation. */
export interface OpenedInvitation {
  invitation: Row;
  survey: typeof surveys.$inferSelect;
  org: typeof orgs.$inferSelect;
}

const tokenShape = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * What writing an answer needs of its link: who and what the answer is about, and the organisation's time zone
 * (its day).
 */
export interface LinkTarget {
  invitation: Pick<
    Row,
    'orgId' | 'id' | 'customerId' | 'contactId' | 'unitId' | 'employeeId' | 'channel' | 'locale'
  >;
  survey: { id: string; audience: 'customer' | 'employee' };
  org: { timeZone: string };
}

/**
 * The hash a link's token is stored under, or null for a string that cannot be a token. The answer writer looks a
 * whole batch of links up by these, in the statement that records their answers.
 */
export function linkTokenHash(token: string): string | null {
  return tokenShape.test(token) ? hashToken(token) : null;
}

/**
 * The common table expressions that claim a batch's open customer-survey links, for the statement that records their
 * answers (the answer writer's, one round trip a batch). They read a CTE `k` (n int, token_hash text, score, reason,
 * answered_at timestamptz) and define `t`, one row per open link with its first submission (the invitation's columns,
 * `invitation_id`, and `day`, the answer's day in the organisation's time zone), and `claimed`, the invitations turned
 * pending → answered (the first answer wins). Employee surveys' links, and closed, deleted or expired ones, are left as
 * they were.
 */
export const CLAIM_OPEN_LINKS_CTES = `-- The links by their tokens' index, first: the array leads there, and the fence keeps a planner with stale
     -- statistics from starting at the survey and scanning the organisation's invitations (9 ms a batch).
     found as materialized (
       select i.org_id, i.id, i.token_hash, i.survey_id, i.customer_id, i.contact_id, i.unit_id, i.employee_id,
         i.channel, i.locale, i.expires_at
       from invitations i
       where i.token_hash = any(array(select token_hash from k)) and i.status = 'pending'),
     t as (
       select distinct on (i.org_id, i.id) k.n, k.score, k.reason, k.answered_at, i.org_id, i.id as invitation_id,
         i.survey_id, i.customer_id, i.contact_id, i.unit_id, i.employee_id, i.channel, i.locale,
         (k.answered_at at time zone o.time_zone)::date as day
       from found i
       join k on k.token_hash = i.token_hash
       join surveys s on s.org_id = i.org_id and s.id = i.survey_id
       join orgs o on o.id = i.org_id
       where i.expires_at > k.answered_at
         and s.audience = 'customer' and s.status = 'active' and s.deleted_at is null
       order by i.org_id, i.id, k.n),
     claimed as (
       update invitations i set status = 'answered'
       from t where i.org_id = t.org_id and i.id = t.invitation_id and i.status = 'pending'
       returning i.org_id, i.id),`;

/** Finds the invitation behind a link's token (no organisation is known yet: the token is the key). */
export async function openInvitation(db: Db, token: string): Promise<OpenedInvitation | null> {
  if (!tokenShape.test(token)) return null;
  const [row] = await db
    .select({ invitation: invitations, survey: surveys, org: orgs })
    .from(invitations)
    .innerJoin(surveys, and(eq(surveys.orgId, invitations.orgId), eq(surveys.id, invitations.surveyId)))
    .innerJoin(orgs, eq(orgs.id, invitations.orgId))
    .where(eq(invitations.tokenHash, hashToken(token)));
  return row ?? null;
}

/**
 * Claims invitations for their answers inside the transaction that records them: pending → answered, so the
 * first answer wins and no invitation ever yields a second one. Returns the claimed keys as `orgId|id`.
 */
export async function claimInvitations(tx: Db, keys: { orgId: string; id: string }[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  // Why unnest and not `(org_id, id) in ((…), (…))`: PGlite 0.5 silently matches nothing once such a list
  // passes about 256 pairs (plain PostgreSQL is fine); two arrays work on both and send fewer parameters.
  const orgIds = `{${keys.map((k) => k.orgId).join(',')}}`;
  const ids = `{${keys.map((k) => k.id).join(',')}}`;
  const claimed = rowsOf<{ org_id: string; id: string }>(
    await tx.execute(sql`
      update invitations i set status = 'answered'
      from unnest(${orgIds}::uuid[], ${ids}::uuid[]) as k(org_id, id)
      where i.org_id = k.org_id and i.id = k.id and i.status = 'pending'
      returning i.org_id, i.id`),
  );
  return new Set(claimed.map((r) => `${r.org_id}|${r.id}`));
}

/**
 * Drops what ties used employee (eNPS) links to the people they were sent to, inside the transaction that stores
 * their answers: the invitation forgets its employee and when it was opened, and the messages that carried the
 * link lose the invitation, their idempotency key (it names the invitation) and their body (it holds the token,
 * whose hash finds the invitation). A message not yet sent is not sent: its link is used. After this, nothing in
 * the database says whose link an answer came through — only that the link was used.
 */
export async function forgetEmployeeLinks(tx: Db, keys: { orgId: string; id: string }[]): Promise<void> {
  if (keys.length === 0) return;
  // Arrays instead of a list of pairs: see claimInvitations.
  const orgIds = `{${keys.map((k) => k.orgId).join(',')}}`;
  const ids = `{${keys.map((k) => k.id).join(',')}}`;
  await tx.execute(sql`
    update invitations i set employee_id = null, opened_at = null
    from unnest(${orgIds}::uuid[], ${ids}::uuid[]) as k(org_id, id)
    where i.org_id = k.org_id and i.id = k.id`);
  await tx.execute(sql`
    update messages m set invitation_id = null, dedupe_key = 'used-employee-link:' || m.id::text,
      body_text = '', body_html = null,
      status = case when m.status in ('queued', 'held') then 'failed' else m.status end,
      last_error = case when m.status in ('queued', 'held') then 'The link was used before this message went out'
        else m.last_error end
    from unnest(${orgIds}::uuid[], ${ids}::uuid[]) as k(org_id, id)
    where m.org_id = k.org_id and m.invitation_id = k.id`);
}
