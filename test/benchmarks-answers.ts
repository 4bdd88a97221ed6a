// A factory for the benchmarks and drops tests: customer answers recorded on a past day, through the same
// writer the survey link uses (invitations claimed, rollups kept), without the closed loop.
import { writeBatch } from '../src/modules/answers/index.js';
import { createInvitations } from '../src/modules/invitations/index.js';
import type { World } from './support/world.js';

/** `p` promoters (10), `a` passives (8) and `d` detractors (3) answering on `day` (09:00 UTC) in `unitId`. */
export async function recordAnswers(
  world: World,
  orgId: string,
  surveyId: string,
  answers: { unitId: string | null; day: string; p: number; a: number; d: number },
): Promise<void> {
  const at = new Date(`${answers.day}T09:00:00Z`);
  const ctx = { ...world.contextFor(orgId), clock: () => at };
  const scores = [
    ...Array(answers.p).fill(10),
    ...Array(answers.a).fill(8),
    ...Array(answers.d).fill(3),
  ] as number[];
  const invited = await createInvitations(
    ctx,
    surveyId,
    { count: scores.length, ...(answers.unitId ? { unitId: answers.unitId } : {}) },
    'http://sarafan.test',
  );
  await writeBatch(
    world.runtime.database.db,
    scores.map((score, i) => ({
      audience: 'customer' as const,
      orgId,
      surveyId,
      invitationId: invited[i]!.id,
      customerId: null,
      contactId: null,
      unitId: answers.unitId,
      employeeId: null,
      channel: 'link' as const,
      locale: 'ru' as const,
      score,
      reason: null,
      answeredAt: at,
      day: answers.day,
    })),
    { toLoop: false },
  );
}
