// The readiness audit of the client database: what the base is fit for and what the accounting system must add.
import { z } from 'zod';
import { addDays, localDay, startOfLocalDay } from '../../domain/period.js';
import {
  CALLS_PER_OPERATOR_HOUR,
  EXPECTED_SPLIT,
  MIN_COVERAGE,
  PRECISE_MOE,
  RESPONSE_RATES,
  type Recommendation,
  recommendSurveyMethod,
  TARGET_MOE,
} from '../../domain/survey-method.js';
import { type Ctx, requireRole, seesPersonalData } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { assertUnitVisible, unitsById, visibleUnitIds } from '../units/index.js';
import { ContactPointTally, type ProblemExample } from './contact-points.js';
import {
  contactFacts,
  customerFacts,
  customerHistory,
  sealedPointsAfter,
  sharedKeys,
  type UnitScope,
} from './queries.js';
import { type Requirement, requirementsOf, type Share, shareOf } from './requirements.js';

export const auditQuery = z.object({
  unitId: z.uuid().optional().openapi({ description: 'Audit only this unit and the units under it' }),
});

export interface AuditOptions {
  unitId?: string;
  /** Customers decrypted per batch. */
  batchSize?: number;
  /** Called after each batch with the customers checked so far (the CLI's progress). */
  onProgress?: (done: number, total: number) => void;
}

export interface FrequencyBucket {
  /** '0', '1', '2-4', '5-12', '13-52', '53+' contacts in the last 365 days. */
  bucket: string;
  count: number;
  share: number;
}

/** Everything the audit found: counts and shares, the recommended survey method, and the requirements. */
export interface AuditFindings {
  orgId: string;
  unitId: string | null;
  generatedAt: string;
  timeZone: string;
  /** Wall time the audit took. */
  durationMs: number;
  customers: {
    total: number;
    optedOut: Share;
    withExternalId: Share;
    withContacts: Share;
    /** Sharing an e-mail or phone with another customer. */
    duplicates: Share;
    /** Neither a valid e-mail nor a valid phone. */
    neitherChannel: Share;
  };
  email: {
    present: Share;
    valid: Share;
    invalid: Share;
    disposable: Share;
    role: Share;
    typo: Share;
    duplicate: Share;
    suppressed: Share;
    /** Distinct addresses a survey may go to. */
    reachable: number;
  };
  phone: {
    present: Share;
    valid: Share;
    mobile: Share;
    landline: Share;
    invalid: Share;
    duplicate: Share;
    suppressed: Share;
    smsReachable: number;
    callReachable: number;
  };
  contacts: {
    total: number;
    withBranch: Share;
    withEmployee: Share;
    withService: Share;
    withAmount: Share;
    withTime: Share;
    withExternalId: Share;
  };
  history: {
    firstContactAt: string | null;
    lastContactAt: string | null;
    /** Whole months between the first and the last contact of the base. */
    months: number | null;
    daysSinceLastContact: number | null;
    /** Of customers with contacts: first and last contact at least 12 months apart. */
    span12Months: Share;
    /** Of the base: last contact within 30, 90, 365 days (local days of the organisation). */
    recent30: Share;
    recent90: Share;
    recent365: Share;
    frequency: FrequencyBucket[];
  };
  recommendation: Recommendation;
  requirements: Requirement[];
  /** The planning assumptions behind the recommendation, shown with it. */
  assumptions: {
    responseRates: typeof RESPONSE_RATES;
    callsPerOperatorHour: number;
    expectedSplit: typeof EXPECTED_SPLIT;
    targetMoe: number;
    preciseMoe: number;
    minCoverage: number;
  };
  /** A few customers with each problem, to fix them; absent for analysts (no personal data). */
  examples?: ProblemExample[];
}

const MS_PER_DAY = 86_400_000;

/** Whole calendar months from one local day to another ('2025-03-15' → '2026-03-14' is 11). */
function monthsBetween(from: string, to: string): number {
  const [y1, m1, d1] = from.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = to.split('-').map(Number) as [number, number, number];
  return Math.max(0, (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0));
}

/** The units measured: the requested subtree, within what the actor may see; null = the whole organisation. */
async function scopeOf(ctx: Ctx, unitId: string | undefined): Promise<UnitScope> {
  const visible = await visibleUnitIds(ctx);
  if (!unitId) return visible === null ? null : [...visible];
  await assertUnitVisible(ctx, unitId);
  const units = await unitsById(ctx);
  const root = units.get(unitId)!;
  return [...units.values()].filter((u) => u.path.startsWith(root.path)).map((u) => u.id);
}

/**
 * Measures the base (or a unit's subtree) and says what it is fit for. Aggregates run in SQL; e-mails and phones
 * are decrypted in keyset-paginated batches and checked one by one, so memory stays flat at any size.
 */
export async function auditBase(ctx: Ctx, options: AuditOptions = {}): Promise<AuditFindings> {
  requireRole(ctx, 'owner', 'admin', 'manager', 'analyst');
  const started = performance.now();
  const input = auditQuery.parse({ unitId: options.unitId });
  const scope = await scopeOf(ctx, input.unitId);
  const org = await getOrg(ctx);
  const now = ctx.clock();
  const today = localDay(now, org.timeZone);
  // "Within 30 days" = this local day and the 29 before it.
  const cut = (days: number) => startOfLocalDay(addDays(today, -(days - 1)), org.timeZone);

  const [facts, contacts, history, shared] = await Promise.all([
    customerFacts(ctx, scope),
    contactFacts(ctx, scope, org.timeZone),
    customerHistory(ctx, scope, { d30: cut(30), d90: cut(90), d365: cut(365) }),
    sharedKeys(ctx, scope),
  ]);

  const tally = new ContactPointTally(shared.email, shared.phone);
  const batchSize = options.batchSize ?? 5000;
  let after: string | null = null;
  let done = 0;
  for (;;) {
    const batch = await sealedPointsAfter(ctx, scope, after, batchSize);
    for (const row of batch) {
      tally.add({
        id: row.id,
        email: ctx.vault.decrypt(row.emailEnc),
        emailKey: row.emailBidx,
        emailSuppressed: row.emailSuppressed,
        phone: ctx.vault.decrypt(row.phoneEnc),
        phoneKey: row.phoneBidx,
        phoneSuppressed: row.phoneSuppressed,
        optedOut: row.optedOut,
      });
    }
    done += batch.length;
    options.onProgress?.(done, facts.customers);
    if (batch.length < batchSize) break;
    after = batch.at(-1)!.id;
  }
  const { counts, examples } = tally.result();

  const base = facts.customers;
  const ofBase = (n: number) => shareOf(n, base);
  const ofContacts = (n: number) => shareOf(n, contacts.contacts);
  // Customers never streamed (no e-mail, no phone) have neither channel.
  const neither = base - counts.customers + counts.neither;
  const firstAt = contacts.firstAt === null ? null : new Date(contacts.firstAt * 1000);
  const lastAt = contacts.lastAt === null ? null : new Date(contacts.lastAt * 1000);
  const months =
    firstAt && lastAt ? monthsBetween(localDay(firstAt, org.timeZone), localDay(lastAt, org.timeZone)) : null;
  const daysSinceLast = lastAt
    ? Math.max(0, Math.floor((now.getTime() - lastAt.getTime()) / MS_PER_DAY))
    : null;
  const yearActive =
    history.visits1 + history.visits2to4 + history.visits5to12 + history.visits13to52 + history.visits53plus;
  const frequency: FrequencyBucket[] = [
    ['0', base - yearActive],
    ['1', history.visits1],
    ['2-4', history.visits2to4],
    ['5-12', history.visits5to12],
    ['13-52', history.visits13to52],
    ['53+', history.visits53plus],
  ].map(([bucket, count]) => ({
    bucket: bucket as string,
    count: count as number,
    ...pick(ofBase(count as number)),
  }));

  const recommendation = recommendSurveyMethod({
    base,
    contactable: base - facts.optedOut,
    email: counts.email.reachable,
    sms: counts.phone.smsReachable,
    phone: counts.phone.callReachable,
    smsOnly: counts.smsOnly,
    phoneOnly: counts.phoneOnly,
  });

  const findings: AuditFindings = {
    orgId: ctx.orgId,
    unitId: input.unitId ?? null,
    generatedAt: now.toISOString(),
    timeZone: org.timeZone,
    durationMs: 0,
    customers: {
      total: base,
      optedOut: ofBase(facts.optedOut),
      withExternalId: ofBase(facts.withExternalId),
      withContacts: ofBase(history.withContacts),
      duplicates: ofBase(counts.duplicateCustomers),
      neitherChannel: ofBase(neither),
    },
    email: {
      present: ofBase(counts.email.present),
      valid: ofBase(counts.email.valid),
      invalid: ofBase(counts.email.invalid),
      disposable: ofBase(counts.email.disposable),
      role: ofBase(counts.email.role),
      typo: ofBase(counts.email.typo),
      duplicate: ofBase(counts.email.duplicate),
      suppressed: ofBase(counts.email.suppressed),
      reachable: counts.email.reachable,
    },
    phone: {
      present: ofBase(counts.phone.present),
      valid: ofBase(counts.phone.valid),
      mobile: ofBase(counts.phone.mobile),
      landline: ofBase(counts.phone.landline),
      invalid: ofBase(counts.phone.invalid),
      duplicate: ofBase(counts.phone.duplicate),
      suppressed: ofBase(counts.phone.suppressed),
      smsReachable: counts.phone.smsReachable,
      callReachable: counts.phone.callReachable,
    },
    contacts: {
      total: contacts.contacts,
      withBranch: ofContacts(contacts.withBranch),
      withEmployee: ofContacts(contacts.withEmployee),
      withService: ofContacts(contacts.withService),
      withAmount: ofContacts(contacts.withAmount),
      withTime: ofContacts(contacts.withTime),
      withExternalId: ofContacts(contacts.withExternalId),
    },
    history: {
      firstContactAt: firstAt?.toISOString() ?? null,
      lastContactAt: lastAt?.toISOString() ?? null,
      months,
      daysSinceLastContact: daysSinceLast,
      span12Months: shareOf(history.span12Months, history.withContacts),
      recent30: ofBase(history.recent30),
      recent90: ofBase(history.recent90),
      recent365: ofBase(history.recent365),
      frequency,
    },
    recommendation,
    requirements: [],
    assumptions: {
      responseRates: RESPONSE_RATES,
      callsPerOperatorHour: CALLS_PER_OPERATOR_HOUR,
      expectedSplit: EXPECTED_SPLIT,
      targetMoe: TARGET_MOE,
      preciseMoe: PRECISE_MOE,
      minCoverage: MIN_COVERAGE,
    },
    ...(seesPersonalData(ctx) && { examples }),
  };
  findings.requirements = requirementsOf({
    customers: base,
    contacts: contacts.contacts,
    validEmail: findings.email.valid,
    mobilePhone: findings.phone.mobile,
    neitherChannel: findings.customers.neitherChannel,
    customerExternalId: findings.customers.withExternalId,
    duplicateCustomers: findings.customers.duplicates,
    branch: findings.contacts.withBranch,
    employee: findings.contacts.withEmployee,
    service: findings.contacts.withService,
    amount: findings.contacts.withAmount,
    time: findings.contacts.withTime,
    contactExternalId: findings.contacts.withExternalId,
    historyMonths: months,
    daysSinceLastContact: daysSinceLast,
  });
  findings.durationMs = Math.round(performance.now() - started);
  return findings;
}

const pick = (s: Share) => ({ share: s.share });
