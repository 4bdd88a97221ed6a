// Sending digests: each person's daily and weekly digest at their local time, once per period. A `digest_runs` row
// is written in the same transaction as the queued e-mail (its dedupe key names the person, kind and period), so a
// restart, a second server or a retried round never sends one twice. Muted people and those who turned a digest
// off get none; an empty digest is recorded but not sent.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { type Db, tables } from '../../db/index.js';
import {
  DEFAULT_DIGEST_AT,
  DEFAULT_DIGEST_WEEKDAY,
  type DigestKind,
  dueDigestPeriod,
} from '../../domain/digest-schedule.js';
import { localDay } from '../../domain/period.js';
import { digestsOn, type NotificationPrefs } from '../alerts/index.js';
import { queueMessage } from '../delivery/index.js';
import type { Ctx, Deps, Role } from '../kernel/index.js';
import { buildDigest, isEmpty } from './content.js';
import { renderDigest } from './render.js';

const { orgs, users, userUnits, notificationPrefs, digestRuns } = tables;

export const DIGESTS_TASK = 'digests.send';
export const DIGESTS_INTERVAL_MS = 60_000;
const KINDS: DigestKind[] = ['daily', 'weekly'];

export interface Person {
  id: string;
  role: Role;
  locale: 'ru' | 'en';
  emailEnc: string;
  prefs: NotificationPrefs;
}

/** A context acting as the person: the digest shows what they may see (their units' subtree). */
export async function contextAs(ctx: Ctx, person: { id: string; role: Role }): Promise<Ctx> {
  const scoped = person.role === 'manager' || person.role === 'frontline';
  const unitIds = scoped
    ? (
        await ctx.db
          .select({ unitId: userUnits.unitId })
          .from(userUnits)
          .where(and(eq(userUnits.orgId, ctx.orgId), eq(userUnits.userId, person.id)))
      ).map((r) => r.unitId)
    : null;
  return { ...ctx, actor: { kind: 'user', userId: person.id, role: person.role, unitIds } };
}

export function digestTime(prefs: NotificationPrefs, orgTimeZone: string) {
  return {
    at: prefs.digest?.at ?? DEFAULT_DIGEST_AT,
    weekday: prefs.digest?.weekday ?? DEFAULT_DIGEST_WEEKDAY,
    timeZone: prefs.digest?.timeZone ?? orgTimeZone,
  };
}

/** Sends every digest due at `now`; returns how many were queued. */
export async function sendDueDigests(deps: Deps, now: Date): Promise<number> {
  let sent = 0;
  const all = await deps.db.select({ id: orgs.id, name: orgs.name, timeZone: orgs.timeZone }).from(orgs);
  for (const org of all) {
    const ctx: Ctx = { ...deps, orgId: org.id, actor: { kind: 'system' } };
    const people = await ctx.db
      .select({
        id: users.id,
        role: users.role,
        locale: users.locale,
        emailEnc: users.emailEnc,
        prefs: notificationPrefs.prefs,
      })
      .from(users)
      .leftJoin(
        notificationPrefs,
        and(eq(notificationPrefs.orgId, users.orgId), eq(notificationPrefs.userId, users.id)),
      )
      .where(and(eq(users.orgId, org.id), isNull(users.disabledAt)));
    const due: { person: Person; kind: DigestKind; period: string }[] = [];
    for (const p of people) {
      const prefs = p.prefs ?? {};
      if (prefs.muted) continue;
      const on = digestsOn(p.role, prefs);
      for (const kind of KINDS) {
        if (!on[kind]) continue;
        const period = dueDigestPeriod(now, kind, digestTime(prefs, org.timeZone));
        if (period) due.push({ person: { ...p, prefs }, kind, period });
      }
    }
    if (due.length === 0) continue;
    const done = await ctx.db
      .select({ userId: digestRuns.userId, kind: digestRuns.kind, period: digestRuns.period })
      .from(digestRuns)
      .where(
        and(
          eq(digestRuns.orgId, org.id),
          inArray(digestRuns.userId, [...new Set(due.map((d) => d.person.id))]),
        ),
      );
    const doneKeys = new Set(done.map((d) => `${d.userId}|${d.kind}|${d.period}`));
    for (const d of due) {
      if (doneKeys.has(`${d.person.id}|${d.kind}|${d.period}`)) continue;
      try {
        if (await sendOne(ctx, org, d.person, d.kind, d.period, now)) sent++;
      } catch (error) {
        deps.log.error(
          { err: error, orgId: org.id, userId: d.person.id, kind: d.kind },
          'could not send a digest',
        );
      }
    }
  }
  return sent;
}

async function sendOne(
  ctx: Ctx,
  org: { name: string; timeZone: string },
  person: Person,
  kind: DigestKind,
  period: string,
  now: Date,
): Promise<boolean> {
  const digest = await buildDigest(
    await contextAs(ctx, person),
    kind,
    localDay(now, org.timeZone),
    org.timeZone,
  );
  const empty = isEmpty(digest);
  const email = empty
    ? null
    : renderDigest(digest, { locale: person.locale, orgName: org.name, dashboardUrl: ctx.publicUrl ?? null });
  return ctx.db.transaction(async (tx) => {
    const txCtx: Ctx = { ...ctx, db: tx as unknown as Db };
    const [run] = await tx
      .insert(digestRuns)
      .values({ orgId: ctx.orgId, userId: person.id, kind, period, createdAt: now })
      .onConflictDoNothing()
      .returning({ period: digestRuns.period });
    if (!run || !email) return false;
    const queued = await queueMessage(txCtx, {
      dedupeKey: `digest:${kind}:${period}:${person.id}`,
      kind: 'digest',
      to: ctx.vault.decrypt(person.emailEnc) ?? '',
      locale: person.locale,
      ...email,
    });
    if (queued.messageId)
      await tx
        .update(digestRuns)
        .set({ messageId: queued.messageId })
        .where(
          and(
            eq(digestRuns.orgId, ctx.orgId),
            eq(digestRuns.userId, person.id),
            eq(digestRuns.kind, kind),
            eq(digestRuns.period, period),
          ),
        );
    return queued.queued;
  });
}
