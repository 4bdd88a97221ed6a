// Key rotation: every encrypted field sealed again and every blind index computed again under a new key, in
// batches, resumable after a crash (progress per organisation and table in key_rotation_progress).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { and, eq, sql } from 'drizzle-orm';
import { type Db, rowsOf, tables } from '../../db/index.js';
import { foldName } from '../imports/text.js';
import { invitationLinkToken, invitationToken } from '../invitations/index.js';
import { createVault, indexKeyOf, keyIdOf, readKeyring, type Vault, writeKeyring } from './vault.js';

type IndexKind = 'email' | 'phone' | 'name';

/** One table's encrypted columns and the blind indexes computed from them. */
interface Target {
  name: string;
  table: string;
  /** The column holding the organisation: org_id, or id for the orgs table itself. */
  org: string;
  /** Columns with ciphertext. */
  sealed: string[];
  /** Blind index columns, each computed from the plain text of a sealed column. */
  indexes: { column: string; from: string; kind: (row: Row) => IndexKind; fold?: (v: string) => string }[];
  /** Other columns the index kinds read. */
  extra?: string[];
}

type Row = Record<string, string | null>;

/**
 * Every encrypted column of the schema (found by grepping vault.encrypt, blindIndex and *_enc columns). Values
 * sealed inside JSON (orgs.settings) and the suppressions, which hold only an index, are handled on their own.
 */
export const ROTATION_TARGETS: Target[] = [
  {
    name: 'customers',
    table: 'customers',
    org: 'org_id',
    sealed: ['name_enc', 'email_enc', 'phone_enc'],
    indexes: [
      { column: 'email_bidx', from: 'email_enc', kind: () => 'email' },
      { column: 'phone_bidx', from: 'phone_enc', kind: () => 'phone' },
    ],
  },
  {
    name: 'users',
    table: 'users',
    org: 'org_id',
    sealed: ['email_enc', 'name_enc', 'totp_secret_enc'],
    indexes: [{ column: 'email_bidx', from: 'email_enc', kind: () => 'email' }],
  },
  {
    name: 'employees',
    table: 'employees',
    org: 'org_id',
    sealed: ['name_enc', 'email_enc'],
    indexes: [
      // As imports compute it (imports/store.ts nameIndex): the folded name.
      { column: 'name_bidx', from: 'name_enc', kind: () => 'name', fold: foldName },
      { column: 'email_bidx', from: 'email_enc', kind: () => 'email' },
    ],
  },
  {
    name: 'messages',
    table: 'messages',
    org: 'org_id',
    sealed: ['to_enc'],
    indexes: [
      { column: 'to_bidx', from: 'to_enc', kind: (r) => (r.channel === 'email' ? 'email' : 'phone') },
    ],
    extra: ['channel'],
  },
  {
    name: 'webhook_endpoints',
    table: 'webhook_endpoints',
    org: 'org_id',
    sealed: ['secret_enc'],
    indexes: [],
  },
];

export interface RotationOptions {
  /** The keyring file (SECRET_KEY_FILE). */
  keyFile: string;
  /** A file with the new key (base64); made with 32 random bytes when it does not exist. */
  newKeyFile?: string;
  /** Rows per batch (one transaction each). */
  batchSize?: number;
  /** Stop after this many batches, as a crash would (tests); the next run resumes. */
  stopAfterBatches?: number;
  onProgress?: (line: string) => void;
  /** The time against which invitations count as expired (tests pass their clock); now by default. */
  now?: Date;
}

export interface RotationResult {
  finished: boolean;
  oldKeyIds: string[];
  newKeyId: string;
  /** Rows sealed or indexed again. */
  rows: number;
  batches: number;
  /** Suppressed addresses whose plain text is held nowhere, so their index could not be computed again. */
  unresolvedSuppressions: number;
  /** Where the retired keys were written (needed only to read backups made before the rotation). */
  retiredKeyFiles: string[];
}

class Interrupted extends Error {}

/** Starts a rotation (or resumes one under way) and runs it to its end. */
export async function rotateKeys(db: Db, options: RotationOptions): Promise<RotationResult> {
  const batchSize = options.batchSize ?? 500;
  const say = options.onProgress ?? (() => {});
  const file = readKeyring(options.keyFile);
  let ring = file.keys;
  // The stable index key (pseudonyms) is pinned by the first rotation: the index key of the key it replaces (the
  // oldest of the ring, as the vault reads it when none is pinned), so every pseudonym stays what it was.
  const stable = file.stableIndexKey ?? indexKeyOf(ring.at(-1)!);
  const requested = options.newKeyFile ? readOrMakeKey(options.newKeyFile) : null;
  const started = Date.now();
  const now = options.now ?? new Date();
  if (ring.length > 1) {
    // A rotation is under way: resume it (the new key is the keyring's first).
    if (requested && !requested.equals(ring[0]!))
      throw new Error(
        `A rotation to key ${keyIdOf(ring[0]!)} is under way: finish it first (run without --new-key-file)`,
      );
    if (!file.stableIndexKey) writeKeyring(options.keyFile, ring, stable);
    say(`Resuming the rotation to key ${keyIdOf(ring[0]!)}`);
  } else {
    const next = requested ?? randomBytes(32);
    if (next.length < 32) throw new Error('The new key must be at least 32 bytes');
    if (next.equals(ring[0]!)) throw new Error('The new key is the key in use');
    ring = [next, ...ring];
    // From here on, a server reading this file seals with the new key and still opens the old values.
    writeKeyring(options.keyFile, ring, stable);
    say(`Rotating to key ${keyIdOf(next)}`);
  }
  const vault = createVault({ keys: ring, stableIndexKey: stable });
  const keyId = vault.keyId();
  const result: RotationResult = {
    finished: false,
    oldKeyIds: ring.slice(1).map(keyIdOf),
    newKeyId: keyId,
    rows: 0,
    batches: 0,
    unresolvedSuppressions: 0,
    retiredKeyFiles: [],
  };
  const count = (n: number) => {
    result.rows += n;
  };
  const batch = () => {
    result.batches++;
    if (options.stopAfterBatches !== undefined && result.batches > options.stopAfterBatches)
      throw new Interrupted();
  };
  try {
    const orgs = rowsOf<{ id: string }>(await db.execute(sql`select id::text as id from orgs order by id`));
    for (const { id: orgId } of orgs) {
      if (!(await isDone(db, orgId, keyId, 'suppressions'))) {
        batch();
        result.unresolvedSuppressions += await reindexSuppressions(db, vault, orgId);
        await markDone(db, orgId, keyId, 'suppressions', 0);
      }
      if (!(await isDone(db, orgId, keyId, 'org_settings'))) {
        batch();
        result.rows += await resealOrgSettings(db, vault, orgId);
        await markDone(db, orgId, keyId, 'org_settings', 1);
      }
      for (const target of ROTATION_TARGETS)
        await rotateTarget(db, vault, orgId, target, batchSize, batch, count);
      await carryInvitationTokens(db, vault, orgId, now, batchSize, batch, count);
      say(`  organisation ${orgId}: done`);
    }
    // A server reads the keyring file again within a second: an invitation it made before that derived its token
    // under the old key, perhaps after its organisation was done here. Look once more, once every server has
    // surely moved to the new key.
    const settled = started + 2000 - Date.now();
    if (settled > 0) await new Promise((resolve) => setTimeout(resolve, settled));
    for (const { id: orgId } of orgs)
      await carryInvitationTokens(db, vault, orgId, now, batchSize, batch, count, true);
    // A server that had not yet read the new keyring may have sealed a few values under the old key meanwhile.
    for (let pass = 0; pass < 3; pass++) {
      const left = await valuesUnderOldKeys(db, keyId);
      if (left === 0) break;
      say(`  ${left} values were sealed under the old key during the rotation: sealing them again`);
      for (const { id: orgId } of orgs) {
        result.rows += await resealOrgSettings(db, vault, orgId);
        for (const target of ROTATION_TARGETS)
          await rotateTarget(db, vault, orgId, target, batchSize, batch, count, true);
        await carryInvitationTokens(db, vault, orgId, now, batchSize, batch, count, true);
        result.unresolvedSuppressions += await reindexSuppressions(db, vault, orgId);
      }
    }
    const left = await valuesUnderOldKeys(db, keyId);
    if (left > 0) throw new Error(`${left} values are still sealed under an old key: run the rotation again`);
  } catch (error) {
    if (error instanceof Interrupted) return result;
    throw error;
  }
  // Done: the keyring holds the new key only; the old keys go to files of their own, for old backups.
  for (const old of ring.slice(1)) {
    const file = `${options.keyFile}.retired-${keyIdOf(old)}`;
    writeFileSync(file, `${old.toString('base64')}\n`, { mode: 0o600 });
    result.retiredKeyFiles.push(file);
  }
  writeKeyring(options.keyFile, [ring[0]!], stable);
  result.finished = true;
  return result;
}

function readOrMakeKey(file: string): Buffer {
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length < 32) throw new Error(`The key in ${file} is shorter than 32 bytes`);
  return key;
}

const progress = tables.keyRotationProgress;

async function isDone(db: Db, orgId: string, keyId: string, target: string): Promise<boolean> {
  const [row] = await db
    .select({ doneAt: progress.doneAt })
    .from(progress)
    .where(and(eq(progress.orgId, orgId), eq(progress.keyId, keyId), eq(progress.target, target)));
  return Boolean(row?.doneAt);
}

async function markDone(db: Db, orgId: string, keyId: string, target: string, rows: number): Promise<void> {
  await db
    .insert(progress)
    .values({ orgId, keyId, target, rows, doneAt: new Date() })
    .onConflictDoUpdate({
      target: [progress.orgId, progress.keyId, progress.target],
      set: { doneAt: new Date() },
    });
}

/** A PostgreSQL array literal of texts (NULL for null), passed as one parameter. */
function textArray(values: (string | null)[]): string {
  const items = values.map((v) =>
    v === null ? 'NULL' : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
  );
  return `{${items.join(',')}}`;
}

/** Seals one value again under the current key, if it is not under it already. */
function reseal(vault: Vault, value: string | null): string | null {
  if (value == null || vault.isCurrent(value)) return value;
  return vault.encrypt(vault.decrypt(value));
}

/** One table of one organisation, batch by batch from where the last run stopped. */
async function rotateTarget(
  db: Db,
  vault: Vault,
  orgId: string,
  t: Target,
  batchSize: number,
  batch: () => void,
  count: (rows: number) => void,
  again = false,
): Promise<void> {
  const keyId = vault.keyId();
  const [state] = await db
    .select()
    .from(progress)
    .where(and(eq(progress.orgId, orgId), eq(progress.keyId, keyId), eq(progress.target, t.name)));
  if (state?.doneAt && !again) return;
  let last = again ? null : (state?.lastId ?? null);
  const columns = [...t.sealed, ...t.indexes.map((i) => i.column), ...(t.extra ?? [])];
  const list = sql.raw(columns.map((c) => `"${c}"`).join(', '));
  const table = sql.raw(`"${t.table}"`);
  const org = sql.raw(`"${t.org}"`);
  // Fresh statistics, so each batch reads its rows through the primary key, not by scanning the organisation.
  if (!state?.lastId || again) await db.execute(sql`analyze ${table}`);
  for (;;) {
    batch();
    const rows = rowsOf<Row & { id: string }>(
      await db.execute(sql`select id::text as id, ${list} from ${table}
        where ${org} = ${orgId} ${last ? sql`and id > ${last}::uuid` : sql``}
        order by id limit ${batchSize}`),
    );
    if (rows.length === 0) break;
    // Each row's columns as they must be: sealed under the current key, indexes under it too.
    const changedRows: Row[] = [];
    for (const row of rows) {
      const next: Row = { ...row };
      let differs = false;
      for (const c of t.sealed) {
        next[c] = reseal(vault, row[c] ?? null);
        if (next[c] !== row[c]) differs = true;
      }
      for (const i of t.indexes) {
        if (row[i.column] == null || row[i.from] == null) continue;
        const plain = vault.decrypt(row[i.from]!);
        next[i.column] = vault.blindIndex(i.kind(row), i.fold ? i.fold(plain) : plain);
        if (next[i.column] !== row[i.column]) differs = true;
      }
      if (differs) changedRows.push(next);
    }
    const written = [...t.sealed, ...t.indexes.map((i) => i.column)];
    const before = new Map(rows.map((r) => [r.id, r]));
    await db.transaction(async (tx) => {
      if (changedRows.length) {
        // One statement for the batch: the new values as parallel arrays, unnested and joined on the id. A row the
        // server changed meanwhile (its old values differ) is left alone: it was sealed under the new key anyway,
        // and the final check would find it otherwise.
        const arrays = sql.join(
          [
            sql`${textArray(changedRows.map((r) => r.id!))}::uuid[]`,
            ...written.map((c) => sql`${textArray(changedRows.map((r) => r[c] ?? null))}::text[]`),
            ...written.map(
              (c) => sql`${textArray(changedRows.map((r) => before.get(r.id!)?.[c] ?? null))}::text[]`,
            ),
          ],
          sql`, `,
        );
        const names = sql.raw(
          ['id', ...written, ...written.map((c) => `old_${c}`)].map((c) => `"${c}"`).join(', '),
        );
        const assignments = sql.raw(written.map((c) => `"${c}" = v."${c}"`).join(', '));
        const unchanged = sql.raw(
          written.map((c) => `t."${c}" is not distinct from v."old_${c}"`).join(' and '),
        );
        await tx.execute(sql`update ${table} t set ${assignments}
          from unnest(${arrays}) as v(${names})
          where t.${org} = ${orgId} and t.id = v.id and ${unchanged}`);
        count(changedRows.length);
      }
      last = rows.at(-1)!.id;
      await tx
        .insert(progress)
        .values({ orgId, keyId, target: t.name, lastId: last, rows: rows.length })
        .onConflictDoUpdate({
          target: [progress.orgId, progress.keyId, progress.target],
          set: { lastId: last, rows: sql`${progress.rows} + ${rows.length}` },
        });
    });
    if (rows.length < batchSize) break;
  }
  await markDone(db, orgId, keyId, t.name, 0);
}

/**
 * The link tokens of an organisation's invitations that can still be sent or reminded (pending, not expired) and
 * were derived under an old key: each is sealed into token_enc under the new key, as the old key will be gone when
 * a reminder needs the link. Tokens carried by an earlier rotation are sealed again. Resumable by id; `again`
 * looks at every row once more.
 */
async function carryInvitationTokens(
  db: Db,
  vault: Vault,
  orgId: string,
  now: Date,
  batchSize: number,
  batch: () => void,
  count: (rows: number) => void,
  again = false,
): Promise<void> {
  const keyId = vault.keyId();
  const target = 'invitation_tokens';
  const [state] = await db
    .select()
    .from(progress)
    .where(and(eq(progress.orgId, orgId), eq(progress.keyId, keyId), eq(progress.target, target)));
  if (state?.doneAt && !again) return;
  let last = again ? null : (state?.lastId ?? null);
  const current = `v2.${keyId}.%`;
  for (;;) {
    batch();
    const rows = rowsOf<{ id: string; token_hash: string; token_enc: string | null }>(
      await db.execute(sql`select id::text as id, token_hash, token_enc from invitations
        where org_id = ${orgId} ${last ? sql`and id > ${last}::uuid` : sql``}
          and ((token_enc is null and status = 'pending' and expires_at > ${now.toISOString()}::timestamptz)
            or (token_enc is not null and token_enc not like ${current}))
        order by id limit ${batchSize}`),
    );
    if (rows.length === 0) break;
    const changed: { id: string; tokenEnc: string; old: string | null }[] = [];
    for (const r of rows) {
      if (r.token_enc) {
        changed.push({ id: r.id, tokenEnc: reseal(vault, r.token_enc)!, old: r.token_enc });
        continue;
      }
      const token = invitationLinkToken(vault, { orgId, id: r.id, tokenHash: r.token_hash });
      // Derived under the new key already (made since the rotation began), or random: nothing to carry.
      if (token === null || token === invitationToken(vault, orgId, r.id)) continue;
      changed.push({ id: r.id, tokenEnc: vault.encrypt(token), old: null });
    }
    last = rows.at(-1)!.id;
    await db.transaction(async (tx) => {
      if (changed.length) {
        await tx.execute(sql`update invitations t set token_enc = v.token_enc
          from unnest(${textArray(changed.map((c) => c.id))}::uuid[], ${textArray(changed.map((c) => c.tokenEnc))}::text[],
            ${textArray(changed.map((c) => c.old))}::text[]) as v(id, token_enc, old)
          where t.org_id = ${orgId} and t.id = v.id and t.token_enc is not distinct from v.old`);
        count(changed.length);
      }
      await tx
        .insert(progress)
        .values({ orgId, keyId, target, lastId: last, rows: rows.length })
        .onConflictDoUpdate({
          target: [progress.orgId, progress.keyId, progress.target],
          set: { lastId: last, rows: sql`${progress.rows} + ${rows.length}` },
        });
    });
    if (rows.length < batchSize) break;
  }
  await markDone(db, orgId, keyId, target, 0);
}

/** The secrets sealed inside an organisation's settings (the contacts webhook secret, SMS gateway headers). */
async function resealOrgSettings(db: Db, vault: Vault, orgId: string): Promise<number> {
  const { orgs } = tables;
  const [org] = await db.select({ settings: orgs.settings }).from(orgs).where(eq(orgs.id, orgId));
  if (!org) return 0;
  const s = org.settings;
  const hook = reseal(vault, s.hookSecretEnc ?? null);
  const headers = reseal(vault, s.sms?.headersEnc ?? null);
  if (hook === (s.hookSecretEnc ?? null) && headers === (s.sms?.headersEnc ?? null)) return 0;
  const next = {
    ...s,
    ...(hook && { hookSecretEnc: hook }),
    ...(s.sms && headers && { sms: { ...s.sms, headersEnc: headers } }),
  };
  await db.update(orgs).set({ settings: next }).where(eq(orgs.id, orgId));
  return 1;
}

/**
 * Suppressions move to the address's index under the new key, computed from the address sealed beside it; one
 * suppressed before addresses were kept there finds its plain text where the same index stands beside a sealed
 * address (customers, messages, users), and keeps it sealed from now on. Returns how many stay unresolved.
 */
async function reindexSuppressions(db: Db, vault: Vault, orgId: string): Promise<number> {
  const rows = rowsOf<{ channel: 'email' | 'sms'; address_bidx: string; address_enc: string | null }>(
    await db.execute(
      sql`select channel, address_bidx, address_enc from suppressions where org_id = ${orgId}`,
    ),
  );
  let unresolved = 0;
  for (let start = 0; start < rows.length; start += 1000) {
    const chunk = rows.slice(start, start + 1000);
    // "kind:index under any key" → the new index and the address sealed under the new key.
    const found = new Map<string, { index: string; sealed: string }>();
    const learn = (kind: IndexKind, plain: string | null) => {
      if (!plain) return;
      const [current, ...old] = vault.blindIndexes(kind, plain);
      const next = { index: current!, sealed: vault.encrypt(plain) };
      for (const o of old) found.set(`${kind}:${o}`, next);
      found.set(`${kind}:${current}`, next);
    };
    for (const r of chunk)
      if (r.address_enc) learn(r.channel === 'email' ? 'email' : 'phone', vault.decrypt(r.address_enc));
    const emails = chunk.filter((r) => r.channel === 'email' && !r.address_enc).map((r) => r.address_bidx);
    const phones = chunk.filter((r) => r.channel === 'sms' && !r.address_enc).map((r) => r.address_bidx);
    const list = (values: string[]) =>
      sql`array[${sql.join(values.length ? values.map((v) => sql`${v}`) : [sql`''`], sql`, `)}]::text[]`;
    for (const r of rowsOf<{ e: string }>(
      await db.execute(sql`select email_enc as e from customers where org_id = ${orgId} and email_bidx = any(${list(emails)})
        union all select to_enc from messages where org_id = ${orgId} and channel = 'email' and to_bidx = any(${list(emails)})
        union all select email_enc from users where org_id = ${orgId} and email_bidx = any(${list(emails)})`),
    ))
      learn('email', vault.decrypt(r.e));
    for (const r of rowsOf<{ p: string }>(
      await db.execute(sql`select phone_enc as p from customers where org_id = ${orgId} and phone_bidx = any(${list(phones)})
        union all select to_enc from messages where org_id = ${orgId} and channel = 'sms' and to_bidx = any(${list(phones)})`),
    ))
      learn('phone', vault.decrypt(r.p));
    await db.transaction(async (tx) => {
      for (const r of chunk) {
        const next = found.get(`${r.channel === 'email' ? 'email' : 'phone'}:${r.address_bidx}`);
        if (!next) {
          unresolved++;
          continue;
        }
        if (next.index === r.address_bidx) {
          if (r.address_enc === null || !vault.isCurrent(r.address_enc))
            await tx.execute(sql`update suppressions set address_enc = ${next.sealed}
              where org_id = ${orgId} and channel = ${r.channel} and address_bidx = ${r.address_bidx}`);
          continue;
        }
        await tx.execute(sql`insert into suppressions (org_id, channel, address_bidx, address_enc, reason, detail, created_at)
          select org_id, channel, ${next.index}, ${next.sealed}, reason, detail, created_at from suppressions
          where org_id = ${orgId} and channel = ${r.channel} and address_bidx = ${r.address_bidx}
          on conflict do nothing`);
        await tx.execute(
          sql`delete from suppressions where org_id = ${orgId} and channel = ${r.channel} and address_bidx = ${r.address_bidx}`,
        );
      }
    });
  }
  return unresolved;
}

/** How many values in the whole database are not sealed under the key `keyId`. */
export async function valuesUnderOldKeys(db: Db, keyId: string): Promise<number> {
  const prefix = `v2.${keyId}.%`;
  let total = 0;
  for (const t of ROTATION_TARGETS) {
    const conditions = sql.join(
      t.sealed.map(
        (c) => sql`(${sql.raw(`"${c}"`)} is not null and ${sql.raw(`"${c}"`)} not like ${prefix})`,
      ),
      sql` or `,
    );
    const [row] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from ${sql.raw(`"${t.table}"`)} where ${conditions}`),
    );
    total += Number(row?.n ?? 0);
  }
  const [other] = rowsOf<{ n: number }>(
    await db.execute(sql`select (select count(*)::int from invitations
        where token_enc is not null and token_enc not like ${prefix})
      + (select count(*)::int from suppressions where address_enc is not null and address_enc not like ${prefix})
      as n`),
  );
  total += Number(other?.n ?? 0);
  const [org] = rowsOf<{ n: number }>(
    await db.execute(sql`select count(*)::int as n from orgs where
      (settings->>'hookSecretEnc' is not null and settings->>'hookSecretEnc' not like ${prefix})
      or (settings->'sms'->>'headersEnc' is not null and settings->'sms'->>'headersEnc' not like ${prefix})`),
  );
  return total + Number(org?.n ?? 0);
}
