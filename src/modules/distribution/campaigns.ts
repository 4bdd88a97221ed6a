// Relationship (blitz) campaigns: a whole base or a seeded sample of it, a dry-run preview, then the invitations.
import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { rowsOf, tables } from '../../db/index.js';
import type { CampaignCounts } from '../../db/schema/delivery.js';
import {
  type Ask,
  decideInvitation,
  type Exclusion,
  exclusions,
  type SendChannel,
} from '../../domain/contact-policy.js';
import { localDay } from '../../domain/period.js';
import { sampleSizeOf, seededRandom, simpleSample, stratifiedSample } from '../../domain/sampling.js';
import { AppError, type Ctx, canWrite, notFound, requireRole } from '../kernel/index.js';
import { findSurvey, type Survey } from '../surveys/index.js';
import {
  type CustomerFacts,
  campaignBase,
  insertInvitations,
  invitedByCampaign,
  knownUnitIds,
  lockSweep,
  type NewInvitation,
  orgPolicy,
  subtreeUnitIds,
  surveyHistory,
} from './queries.js';
import { reachOf } from './reach.js';
import { type CampaignInput, campaignInput } from './schemas.js';
import { getContactPolicy } from './service.js';

const { campaigns, invitations } = tables;
type CampaignRow = typeof campaigns.$inferSelect;

const DAY_MS = 86_400_000;
/** Invitations written per transaction. */
const BATCH = 1000;

export interface CampaignPlan {
  seed: string;
  sendAt: string | null;
  /** Customers the audience filter names. */
  base: number;
  /** Of those, the ones that may be asked. */
  eligible: number;
  /** Of those, the ones the sample picks (= eligible without a sample). */
  selected: number;
  excluded: Record<Exclusion, number>;
  /** The selected, by the channel each would get. */
  byChannel: Record<SendChannel, number>;
  /** A fingerprint of who is selected: equal in the preview and the run when the same people are picked. */
  selectionDigest: string;
}

interface Chosen {
  customer: CustomerFacts;
  channel: SendChannel;
}

type Settings = Pick<CampaignRow, 'audience' | 'sample' | 'channels'> & { sendAt: Date | null };

function zeroCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

/**
 * Who a campaign would invite: the audience, minus everyone the contact policy, an opt-out, a suppression or a
 * missing address excludes (each counted under one reason), then the seeded sample. Deterministic for the same
 * base and seed, so the preview a user saw is what the real run sends.
 */
async function plan(
  ctx: Ctx,
  survey: Survey,
  s: Settings,
  now: Date,
  campaignId: string | null,
): Promise<{ plan: CampaignPlan; picks: Chosen[] }> {
  const limits = await getContactPolicy(ctx);
  const at = s.sendAt && s.sendAt > now ? s.sendAt : now;
  const units = s.audience.unitIds?.length
    ? await subtreeUnitIds(ctx.db, ctx.orgId, s.audience.unitIds)
    : null;
  const base = await campaignBase(ctx.db, ctx.orgId, {
    units,
    activeSince: s.audience.activeWithinDays
      ? new Date(now.getTime() - s.audience.activeWithinDays * DAY_MS)
      : null,
    minVisits: s.audience.minVisits ?? null,
  });
  const window = limits.relationshipDays * DAY_MS;
  const history = await surveyHistory(
    ctx.db,
    ctx.orgId,
    survey.id,
    new Date(at.getTime() - window),
    new Date(at.getTime() + window),
    campaignId,
  );
  const ask: Ask = { surveyId: survey.id, kind: 'relationship', at };
  const excluded = zeroCounts(exclusions);
  const eligible: Chosen[] = [];
  for (const customer of base) {
    const decision = decideInvitation({
      ask,
      optedOut: customer.optedOut,
      history: history.get(customer.id) ?? [],
      reach: reachOf(ctx.vault, customer),
      channels: s.channels,
      limits,
    });
    if (decision.invite) eligible.push({ customer, channel: decision.channel });
    else excluded[decision.reason]++;
  }
  const seed = s.sample?.seed ?? '';
  const size = sampleSizeOf(eligible.length, s.sample ?? undefined);
  const random = seededRandom(seed);
  const picks =
    size === eligible.length
      ? eligible
      : s.sample?.stratifyByUnit
        ? stratifiedSample(eligible, (p) => p.customer.unitId ?? '', size, random)
        : simpleSample(eligible, size, random);
  const byChannel = zeroCounts<SendChannel>(['email', 'sms', 'phone']);
  for (const p of picks) byChannel[p.channel]++;
  return {
    plan: {
      seed,
      sendAt: s.sendAt?.toISOString() ?? null,
      base: base.length,
      eligible: eligible.length,
      selected: picks.length,
      excluded,
      byChannel,
      selectionDigest: selectionDigest(picks.map((p) => p.customer.id)),
    },
    picks,
  };
}

function countsOf(p: CampaignPlan, created: number): CampaignCounts {
  const { base, eligible, selected, excluded, byChannel, selectionDigest } = p;
  return { base, eligible, selected, excluded, byChannel, selectionDigest, created };
}

/** SHA-256 of the sorted customer ids, shortened: enough to tell two selections apart, reveals no one. */
export function selectionDigest(customerIds: readonly string[]): string {
  return createHash('sha256')
    .update([...customerIds].sort().join(','))
    .digest('base64url')
    .slice(0, 16);
}

async function checkedSettings(ctx: Ctx, survey: Survey, input: CampaignInput) {
  const c = campaignInput.parse(input);
  if (survey.audience !== 'customer' || survey.kind !== 'relationship') {
    throw new AppError('invalid_input', 'Campaigns send relationship surveys to customers', {
      errors: [
        {
          path: '(body)',
          message: 'Choose a relationship customer survey; transactional ones use a trigger',
        },
      ],
    });
  }
  if (survey.status !== 'active') throw new AppError('conflict', 'The survey is closed');
  const asked = c.audience.unitIds ?? [];
  const known = await knownUnitIds(ctx.db, ctx.orgId, asked);
  const errors = asked.flatMap((id, k) =>
    known.has(id)
      ? []
      : [{ path: `audience.unitIds.${k}`, message: 'No unit with this id in your organisation' }],
  );
  if (errors.length) throw new AppError('invalid_input', 'Unknown unit', { errors });
  const sample = typeof c.sample === 'number' ? { size: c.sample } : (c.sample ?? {});
  const settings: Settings = {
    audience: c.audience,
    // A seed is always drawn, even for the whole base: a later run with a sample reuses it.
    sample: {
      ...sample,
      seed: c.seed ?? randomBytes(6).toString('base64url'),
      stratifyByUnit: c.stratifyByUnit,
    },
    channels: c.channels,
    sendAt: c.sendAt ? new Date(c.sendAt) : null,
  };
  return { c, settings };
}

export interface CampaignView {
  id: string;
  surveyId: string;
  name: string;
  status: CampaignRow['status'];
  audience: CampaignRow['audience'];
  sample: { size: number | null; share: number | null; seed: string; stratifyByUnit: boolean };
  channels: SendChannel[];
  sendAt: string | null;
  createdAt: string;
  finishedAt: string | null;
  counts: CampaignCounts | null;
  /** Live counts of its invitations. */
  invited: number;
  sent: number;
  answered: number;
}

function viewOf(r: CampaignRow, live = { invited: 0, sent: 0, answered: 0 }): CampaignView {
  return {
    id: r.id,
    surveyId: r.surveyId,
    name: r.name,
    status: r.status,
    audience: r.audience,
    sample: {
      size: r.sample?.size ?? null,
      share: r.sample?.share ?? null,
      seed: r.sample?.seed ?? '',
      stratifyByUnit: r.sample?.stratifyByUnit ?? false,
    },
    channels: r.channels,
    sendAt: r.sendAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    counts: r.counts,
    ...live,
  };
}

/** A dry run: what a campaign with these settings would do now, changing nothing. */
export async function previewCampaign(
  ctx: Ctx,
  surveyId: string,
  input: CampaignInput,
): Promise<CampaignPlan> {
  requireRole(ctx, ...canWrite);
  const survey = await findSurvey(ctx, surveyId);
  const { settings } = await checkedSettings(ctx, survey, input);
  return (await plan(ctx, survey, settings, ctx.clock(), null)).plan;
}

/**
 * Starts a campaign: stores it, and unless it is scheduled for later, creates its invitations at once in
 * batches (delivery sends e-mail and SMS; phone invitations join the call queue). A scheduled one is run by
 * the periodic sweep when its time comes.
 */
export async function startCampaign(
  ctx: Ctx,
  surveyId: string,
  input: CampaignInput,
): Promise<{ campaign: CampaignView; plan: CampaignPlan }> {
  requireRole(ctx, ...canWrite);
  const survey = await findSurvey(ctx, surveyId);
  const { c, settings } = await checkedSettings(ctx, survey, input);
  const now = ctx.clock();
  const { timeZone } = await orgPolicy(ctx.db, ctx.orgId);
  const due = !settings.sendAt || settings.sendAt <= now;
  // A scheduled campaign shows what it would do today; one that runs now reports what it did.
  const preview = due ? null : (await plan(ctx, survey, settings, now, null)).plan;
  const [row] = await ctx.db
    .insert(campaigns)
    .values({
      orgId: ctx.orgId,
      surveyId,
      name: c.name ?? `${survey.name} · ${localDay(settings.sendAt ?? now, timeZone)}`,
      audience: settings.audience,
      sample: settings.sample,
      channels: settings.channels,
      expiresInDays: c.expiresInDays,
      status: due ? 'running' : 'scheduled',
      counts: preview && countsOf(preview, 0),
      sendAt: settings.sendAt,
      createdBy: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
      createdAt: now,
    })
    .returning();
  const done = due ? await runCampaign(ctx, row!, now) : { campaign: row!, plan: preview! };
  if (!done.plan) throw new AppError('conflict', 'The survey was closed while the campaign started');
  return { campaign: viewOf(done.campaign, await liveCounts(ctx, row!.id)), plan: done.plan };
}

/**
 * Creates a campaign's invitations. Safe to run again after a crash: the campaign's own invitations are left out
 * of the contact history and those it already invited are skipped, so the same seed picks the same customers
 * and nobody gets two.
 */
export async function runCampaign(
  ctx: Ctx,
  campaign: CampaignRow,
  now: Date,
): Promise<{ campaign: CampaignRow; plan: CampaignPlan | null }> {
  const survey = await findSurvey(ctx, campaign.surveyId).catch(() => null);
  if (survey?.status !== 'active') {
    // Deleted or closed while it waited: nothing to send, and nothing to retry.
    const [failed] = await ctx.db
      .update(campaigns)
      .set({ status: 'failed', finishedAt: ctx.clock() })
      .where(and(eq(campaigns.orgId, ctx.orgId), eq(campaigns.id, campaign.id)))
      .returning();
    return { campaign: failed!, plan: null };
  }
  const { plan: p, picks } = await plan(ctx, survey, campaign, now, campaign.id);
  const { locale: orgLocale } = await orgPolicy(ctx.db, ctx.orgId);
  const sendAt = campaign.sendAt && campaign.sendAt > now ? campaign.sendAt : now;
  const expiresAt = new Date(sendAt.getTime() + campaign.expiresInDays * DAY_MS);
  const rows: NewInvitation[] = picks.map((pick) => ({
    orgId: ctx.orgId,
    surveyId: campaign.surveyId,
    campaignId: campaign.id,
    customerId: pick.customer.id,
    unitId: pick.customer.unitId,
    channel: pick.channel,
    locale: pick.customer.locale ?? orgLocale,
    createdAt: now,
    sendAfter: campaign.sendAt,
    expiresAt,
  }));
  for (let k = 0; k < rows.length; k += BATCH) {
    await ctx.db.transaction(async (tx) => {
      // Two runs of one campaign (a request and a sweep resuming it) take turns per batch and re-check, so
      // no customer gets two invitations from it.
      await lockSweep(tx, ctx.orgId, campaign.id, 'campaign');
      const batch = rows.slice(k, k + BATCH);
      const taken = await invitedByCampaign(
        tx,
        ctx.orgId,
        campaign.id,
        batch.map((r) => r.customerId!),
      );
      await insertInvitations(
        tx,
        ctx.vault,
        batch.filter((r) => !taken.has(r.customerId!)),
      );
    });
  }
  const { invited } = await liveCounts(ctx, campaign.id);
  const [done] = await ctx.db
    .update(campaigns)
    .set({ status: 'done', counts: countsOf(p, invited), finishedAt: ctx.clock() })
    .where(and(eq(campaigns.orgId, ctx.orgId), eq(campaigns.id, campaign.id)))
    .returning();
  return { campaign: done!, plan: p };
}

async function liveCounts(ctx: Ctx, campaignId: string) {
  const all = await liveCountsBy(ctx, sql`${invitations.campaignId} = ${campaignId}`);
  return all.get(campaignId) ?? { invited: 0, sent: 0, answered: 0 };
}

async function liveCountsBy(ctx: Ctx, where: ReturnType<typeof sql>) {
  const rows = rowsOf<{ campaign_id: string; invited: number; sent: number; answered: number }>(
    await ctx.db.execute(sql`
      select campaign_id, count(*)::int as invited,
             count(*) filter (where sent_at is not null or status = 'answered')::int as sent,
             count(*) filter (where status = 'answered')::int as answered
      from invitations
      where org_id = ${ctx.orgId} and ${where}
      group by campaign_id`),
  );
  return new Map(
    rows.map((r) => [r.campaign_id, { invited: r.invited, sent: r.sent, answered: r.answered }]),
  );
}

/** A survey's campaigns, newest first, each with what it found and how its invitations are doing. */
export async function listCampaigns(ctx: Ctx, surveyId: string): Promise<CampaignView[]> {
  await findSurvey(ctx, surveyId);
  const rows = await ctx.db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.orgId, ctx.orgId), eq(campaigns.surveyId, surveyId)))
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(200);
  const live = await liveCountsBy(
    ctx,
    sql`${invitations.surveyId} = ${surveyId} and ${invitations.campaignId} is not null`,
  );
  return rows.map((r) => viewOf(r, live.get(r.id)));
}

export async function getCampaign(ctx: Ctx, surveyId: string, id: string): Promise<CampaignView> {
  const [row] = await ctx.db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.orgId, ctx.orgId), eq(campaigns.surveyId, surveyId), eq(campaigns.id, id)));
  if (!row) throw notFound('Campaign');
  return viewOf(row, await liveCounts(ctx, id));
}

/** A campaign still 'running' this long after it started was interrupted (a crash, a restart): resume it. */
const STALE_RUN_MS = 10 * 60_000;

/** Campaigns whose time has come (scheduled) or that a crash left half-done (running), across organisations. */
export async function dueCampaigns(db: Ctx['db'], now: Date): Promise<CampaignRow[]> {
  const stale = new Date(now.getTime() - STALE_RUN_MS).toISOString();
  return db
    .select()
    .from(campaigns)
    .where(
      sql`(${campaigns.status} = 'scheduled' and (${campaigns.sendAt} is null or ${campaigns.sendAt} <= ${now.toISOString()}))
          or (${campaigns.status} = 'running' and ${campaigns.createdAt} <= ${stale})`,
    )
    .orderBy(campaigns.createdAt);
}

/** Marks a scheduled campaign as running (so the sweep knows it started) and runs it. */
export async function runDueCampaign(ctx: Ctx, campaign: CampaignRow, now: Date) {
  if (campaign.status === 'scheduled') {
    await ctx.db
      .update(campaigns)
      .set({ status: 'running' })
      .where(and(eq(campaigns.orgId, ctx.orgId), eq(campaigns.id, campaign.id)));
  }
  return runCampaign(ctx, campaign, now);
}
