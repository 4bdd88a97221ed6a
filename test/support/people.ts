// Test factories for people: a user of a role (with their own API key) and a loop event written as the loop core
// writes it, so alerts, webhooks and digests can be tested on their own.
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../src/db/index.js';
import { createApiKey } from '../../src/modules/auth/index.js';
import type { TestOrg, World } from './world.js';

export interface TestUser {
  id: string;
  email: string;
  api(method: string, path: string, body?: unknown): Promise<Response>;
}

let userCounter = 0;

/** A user created through the API by the org's owner, and an API key acting as them. */
export async function buildUser(
  world: World,
  org: TestOrg,
  fields: {
    role: 'owner' | 'admin' | 'manager' | 'frontline' | 'analyst';
    locale?: 'ru' | 'en';
    unitIds?: string[];
    name?: string;
  },
): Promise<TestUser> {
  const email = `${fields.role}${++userCounter}-${Math.random().toString(36).slice(2, 7)}@example.com`;
  const response = await org.api('POST', '/api/v1/users', {
    email,
    password: 'correct horse battery',
    name: fields.name ?? `${fields.role} ${userCounter}`,
    role: fields.role,
    locale: fields.locale ?? 'ru',
    unitIds: fields.unitIds ?? [],
  });
  if (response.status !== 201) throw new Error(`user: HTTP ${response.status} ${await response.text()}`);
  const { id } = (await response.json()) as { id: string };
  const ctx = {
    ...world.contextFor(org.orgId),
    actor: { kind: 'user' as const, userId: id, role: 'owner' as const, unitIds: null },
  };
  const { key } = await createApiKey(ctx, { userId: id, name: 'test' });
  return {
    id,
    email,
    api: (method, path, body) =>
      Promise.resolve(
        world.app.request(path, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      ),
  };
}

/** A loop event as the loop core writes it (undispatched). */
export async function insertLoopEvent(
  world: World,
  orgId: string,
  e: {
    kind: string;
    recipients?: string[];
    payload?: Record<string, unknown>;
    caseId?: string | null;
    unitId?: string | null;
  },
): Promise<string> {
  const [row] = rowsOf<{ id: string }>(
    await world.runtime.database.db.execute(sql`
      insert into loop_events (org_id, kind, case_id, unit_id, recipients, payload, created_at)
      values (${orgId}, ${e.kind}, ${e.caseId ?? null}, ${e.unitId ?? null}, ${JSON.stringify(e.recipients ?? [])}::jsonb,
              ${JSON.stringify(e.payload ?? {})}::jsonb, ${world.now.toISOString()}::timestamptz)
      returning id`),
  );
  return row!.id;
}
