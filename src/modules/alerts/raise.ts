// Alerts raised outside the closed loop (an NPS drop): written as a loop event, so dispatch delivers them to the
// bell, e-mail and webhooks like any other, by each person's preferences and exactly once.
import { tables } from '../../db/index.js';
import type { AlertKind } from '../../domain/alert-channels.js';
import type { Ctx } from '../kernel/index.js';
import type { AlertPayload } from './render.js';

/** Queues an alert for `recipients` (user ids) in the caller's transaction (`ctx.db`); returns the event id. */
export async function raiseAlert(
  ctx: Ctx,
  alert: { kind: AlertKind; unitId: string | null; recipients: string[]; payload: AlertPayload },
): Promise<string> {
  const [row] = await ctx.db
    .insert(tables.loopEvents)
    .values({
      orgId: ctx.orgId,
      kind: alert.kind,
      unitId: alert.unitId,
      recipients: [...new Set(alert.recipients)],
      payload: alert.payload as Record<string, unknown>,
      createdAt: ctx.clock(),
    })
    .returning({ id: tables.loopEvents.id });
  return row!.id;
}
