// Transactional surveys: after each contact, one invitation to its customer, a set delay later, within the limits.
import { type Ask, decideInvitation, type Exclusion } from '../../domain/contact-policy.js';
import type { Ctx } from '../kernel/index.js';
import type { Survey } from '../surveys/index.js';
import {
  contactsAfter,
  customerFacts,
  insertInvitations,
  lockSweep,
  type NewInvitation,
  orgPolicy,
  readCursor,
  subtreeUnitIds,
  transactionalHistory,
  writeCursor,
} from './queries.js';
import { reachOf } from './reach.js';
import { DEFAULT_MAX_AGE_HOURS, getContactPolicy } from './service.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Contacts read per transaction: small enough to keep each transaction short. */
const BATCH = 500;
/**
 * Contacts are read only once they are this old: a writer stamps `created_at` with its clock before it commits,
 * so a row may become visible a little after its stamp; reading behind the stamps keeps the cursor from passing
 * a contact still being committed. (Imports and the API commit each batch within seconds.)
 */
const SETTLE_MS = 60_000;
/** How long a triggered invitation stays answerable after it goes out. */
export const TRIGGER_EXPIRES_DAYS = 30;

export interface SweepReport {
  considered: number;
  invited: number;
  skipped: Partial<Record<Exclusion | 'already_invited' | 'outside_units', number>>;
}

/**
 * Reads the contacts that arrived since the survey's cursor and invites each one's customer, at most once per
 * contact: the cursor moves past every contact read (in the same transaction as its invitations), an advisory
 * lock keeps two processes from sweeping one survey at once, and a contact already invited is skipped.
 * A contact that happened more than `maxAgeHours` before now (an import months late) gets no survey.
 */
export async function sweepTrigger(ctx: Ctx, survey: Survey, now: Date): Promise<SweepReport> {
  const report: SweepReport = { considered: 0, invited: 0, skipped: {} };
  const trigger = survey.distribution.trigger;
  if (!trigger || survey.kind !== 'transactional' || survey.audience !== 'customer') return report;
  const skip = (why: keyof SweepReport['skipped']) => {
    report.skipped[why] = (report.skipped[why] ?? 0) + 1;
  };
  const limits = await getContactPolicy(ctx);
  const maxAgeMs = (trigger.maxAgeHours ?? DEFAULT_MAX_AGE_HOURS) * HOUR_MS;
  const freshSince = new Date(now.getTime() - maxAgeMs);
  const delayMs = trigger.delayMinutes * 60_000;
  const units = trigger.unitIds?.length ? await subtreeUnitIds(ctx.db, ctx.orgId, trigger.unitIds) : null;
  const { locale: orgLocale } = await orgPolicy(ctx.db, ctx.orgId);
  const arrivedBy = new Date(now.getTime() - SETTLE_MS);

  for (;;) {
    const more = await ctx.db.transaction(async (tx) => {
      await lockSweep(tx, ctx.orgId, survey.id, 'trigger');
      const cursor = (await readCursor(tx, ctx.orgId, survey.id, 'trigger')) ?? {
        at: freshSince,
        rowId: '00000000-0000-0000-0000-000000000000',
      };
      const batch = await contactsAfter(tx, ctx.orgId, survey.id, cursor, freshSince, arrivedBy, BATCH);
      if (batch.length === 0) return false;
      const customerIds = [...new Set(batch.map((c) => c.customerId))];
      const facts = await customerFacts(tx, ctx.orgId, customerIds);
      const sendTimes = batch.map((c) => Math.max(c.occurredAt.getTime() + delayMs, now.getTime()));
      const window = limits.transactionalDays * DAY_MS;
      const history = await transactionalHistory(
        tx,
        ctx.orgId,
        customerIds,
        new Date(Math.min(...sendTimes) - window),
        new Date(Math.max(...sendTimes) + window),
      );
      const rows: NewInvitation[] = [];
      for (const [k, contact] of batch.entries()) {
        report.considered++;
        if (contact.invited) {
          skip('already_invited');
          continue;
        }
        if (units && !units.has(contact.unitId)) {
          skip('outside_units');
          continue;
        }
        const customer = facts.get(contact.customerId);
        if (!customer) continue;
        const sendAfter = new Date(contact.occurredAt.getTime() + delayMs);
        const ask: Ask = { surveyId: survey.id, kind: 'transactional', at: new Date(sendTimes[k]!) };
        const past = history.get(contact.customerId) ?? [];
        const decision = decideInvitation({
          ask,
          optedOut: customer.optedOut,
          history: past,
          reach: reachOf(ctx.vault, customer),
          channels: trigger.channels,
          limits,
        });
        if (!decision.invite) {
          skip(decision.reason);
          continue;
        }
        history.set(contact.customerId, [...past, ask]);
        rows.push({
          orgId: ctx.orgId,
          surveyId: survey.id,
          customerId: contact.customerId,
          contactId: contact.id,
          unitId: contact.unitId,
          employeeId: contact.employeeId,
          channel: decision.channel,
          locale: customer.locale ?? orgLocale,
          createdAt: now,
          sendAfter,
          expiresAt: new Date(ask.at.getTime() + TRIGGER_EXPIRES_DAYS * DAY_MS),
        });
      }
      report.invited += await insertInvitations(tx, ctx.vault, rows);
      const last = batch.at(-1)!;
      await writeCursor(tx, ctx.orgId, survey.id, 'trigger', last.createdAt, last.id, now);
      return batch.length === BATCH;
    });
    if (!more) return report;
  }
}
