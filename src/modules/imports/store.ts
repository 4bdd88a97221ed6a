/**
 * @module Writes checked rows to the database a batch at a time: matches or creates units and employees, upserts
 * customers (personal fields sealed with the vault) and contacts, idempotently, with array (`unnest`) statements.
 *
 * Why this room writes customers and contacts rows itself rather than through `upsertCustomers`/`recordContacts`:
 * a million rows must go in at tens of thousands a second, which needs one statement per batch with arrays,
 * an update only where something changed (so a second run of the same file changes nothing), and `import_id`
 * set on the rows an import creates (for rollback). The sealing itself is the customers room's (`sealCustomer`).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/index.js';
import { sealCustomer } from '../customers/index.js';
import type { Ctx } from '../kernel/index.js';
import type { ContactFields, CustomerFields, Problem, RowRecord, UnitRef } from './fields.js';
import { foldName } from './text.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** A PostgreSQL array literal for one `$n::type[]` parameter: fewer parameters, and PGlite-safe (see claimInvitations). */
export function pgArray(values: (string | number | null | undefined)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) out += ',';
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'number') out += String(v);
    else out += `"${NEEDS_ESCAPE.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : v}"`;
  }
  return `${out}}`;
}
const NEEDS_ESCAPE = /["\\]/;

/**
 * Ids of the contacts an import creates: UUIDv7 (RFC 9562: milliseconds since 1970, then a counter and random
 * bits), so a batch's new rows go to the right end of the primary key instead of all over it, and PGlite does
 * not call back into JavaScript for random bytes once per row as `gen_random_uuid()` does.
 */
export function contactIds(count: number, now = Date.now()): string[] {
  const ms = now.toString(16).padStart(12, '0').slice(-12);
  const head = `${ms.slice(0, 8)}-${ms.slice(8)}-7`;
  const ids: string[] = new Array(count);
  let tail = '';
  for (let i = 0; i < count; i++) {
    // rand_a holds the row's place among 4,096 (they sort in file order); 62 random bits, new every 4,096 rows.
    if (i % 4096 === 0) {
      const r = randomBytes(8).toString('hex');
      tail = `${((Number.parseInt(r[0]!, 16) & 0x3) | 0x8).toString(16)}${r.slice(1, 4)}-${r.slice(4)}`;
    }
    ids[i] = `${head}${(i % 4096).toString(16).padStart(3, '0')}-${tail}`;
  }
  return ids;
}

/** What the import knows of the organisation, kept across batches: units, employees, customers already written. */
export interface Directory {
  unitsByExternalId: Map<string, string>;
  unitsByName: Map<string, string>;
  /** Parent of the units an import creates: the organisation's root unit, if it has one. */
  rootUnit: { id: string; path: string } | null;
  employeesByName: Map<string, string>;
  /** Blind indexes computed lately: `kind:value` → index. */
  indexes: Map<string, string>;
  /** Customers this import has written, with a hash of the fields written: see `CustomerCache`. */
  customers: CustomerCache;
  /** Contacts may be inserted with their row triggers off after a set-based check of what they reference. */
  bulkContacts: boolean;
  /** PGlite: this is the database's only connection, so what a batch checked cannot be deleted before it commits. */
  alone: boolean;
}

const CUSTOMER_CACHE = 200_000;

/**
 * A 53-bit hash of a customer's fields as the import wrote them (cyrb53, a public-domain string hash: two 32-bit
 * multiply-xorshift lanes). The cache compares it instead of the fields' text: a customer's name, phone and e-mail
 * (Cyrillic names are two bytes a character in V8) were ~150 bytes a customer held for the whole import, and a
 * collection after each batch marks them all (bench/import: 100,000 customers at 1,000,000 rows). Two different
 * sets of fields under one key with equal hashes (odds ~2^-53 per changed customer) would skip that one update.
 */
export function fieldsHash(fields: readonly (string | null | undefined)[]): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const field of fields) {
    const s = field ?? '';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    // A separator that no UTF-16 code unit equals, so ('ab', '') and ('a', 'b') differ.
    h1 = Math.imul(h1 ^ 0x10000, 2654435761);
    h2 = Math.imul(h2 ^ 0x10000, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * Customers this import has written, by key (`ext:…`, `phone:<index>`, `email:<index>`): each as one string, its id
 * (a UUID, 36 characters) then the hash of its fields, so an entry is three small strings and no object.
 */
export class CustomerCache {
  private readonly entries = new Map<string, string>();

  /** The customer's id when this import wrote it with fields of this hash. */
  idOf(key: string, hash: number): string | undefined {
    const entry = this.entries.get(key);
    return entry !== undefined && entry.length > 36 && Number(entry.slice(36)) === hash
      ? entry.slice(0, 36)
      : undefined;
  }

  set(key: string, id: string, hash: number): void {
    if (this.entries.size >= CUSTOMER_CACHE && !this.entries.has(key)) this.entries.clear();
    this.entries.set(key, `${id}${hash}`);
  }

  get size(): number {
    return this.entries.size;
  }
}

export async function loadDirectory(ctx: Ctx): Promise<Directory> {
  const units = rowsOf<{
    id: string;
    name: string;
    external_id: string | null;
    path: string;
    parent_id: string | null;
  }>(
    await ctx.db.execute(
      sql`select id, name, external_id, path, parent_id from units where org_id = ${ctx.orgId} order by created_at`,
    ),
  );
  const dir: Directory = {
    unitsByExternalId: new Map(),
    unitsByName: new Map(),
    rootUnit: null,
    employeesByName: new Map(),
    indexes: new Map(),
    customers: new CustomerCache(),
    ...(await bulkContactsAllowed(ctx)),
  };
  for (const u of units) {
    if (u.external_id) dir.unitsByExternalId.set(u.external_id, u.id);
    const folded = foldName(u.name);
    if (!dir.unitsByName.has(folded)) dir.unitsByName.set(folded, u.id);
  }
  const roots = units.filter((u) => u.parent_id === null);
  if (roots.length === 1) dir.rootUnit = { id: roots[0]!.id, path: roots[0]!.path };
  // Employees created before name_bidx existed get it now (decrypt once, index the folded name).
  const employees = rowsOf<{ id: string; name_enc: string; name_bidx: string | null }>(
    await ctx.db.execute(sql`select id, name_enc, name_bidx from employees where org_id = ${ctx.orgId}`),
  );
  const missing = employees.filter((e) => !e.name_bidx);
  if (missing.length) {
    const bidx = missing.map((e) => nameIndex(ctx, ctx.vault.decrypt(e.name_enc)));
    await ctx.db.execute(sql`
      update employees e set name_bidx = k.bidx
      from unnest(${pgArray(missing.map((e) => e.id))}::uuid[], ${pgArray(bidx)}::text[]) as k(id, bidx)
      where e.org_id = ${ctx.orgId} and e.id = k.id`);
    missing.forEach((e, i) => {
      e.name_bidx = bidx[i]!;
    });
  }
  for (const e of employees)
    if (e.name_bidx && !dir.employeesByName.has(e.name_bidx)) dir.employeesByName.set(e.name_bidx, e.id);
  return dir;
}

/**
 * Whether a batch may insert its contacts with `session_replication_role = replica`: only a superuser may set it
 * (PGlite's user is one; a PostgreSQL deployment may be, or not: then the triggers stay on), and only while every
 * trigger of contacts' own fires under it too (`ENABLE ALWAYS`, as the economics running sums' do: drizzle/0017),
 * so that what is switched off is exactly the three foreign-key checks, which `lockReferences` makes once per batch
 * instead of once per row. A trigger added later without ALWAYS (or one that fires only in replica) turns this off.
 */
async function bulkContactsAllowed(ctx: Ctx): Promise<{ bulkContacts: boolean; alone: boolean }> {
  const [row] = rowsOf<{ superuser: string; triggers: boolean; alone: boolean }>(
    await ctx.db.execute(sql`
      select current_setting('is_superuser') as superuser,
             exists (select 1 from pg_trigger where tgrelid = 'contacts'::regclass and not tgisinternal
                       and tgenabled in ('O', 'R')) as triggers,
             version() like '%PGlite%' as alone`),
  );
  return { bulkContacts: row?.superuser === 'on' && !row.triggers, alone: row?.alone === true };
}

/**
 * The foreign-key checks of a batch of contacts, set-based: each distinct customer, unit and employee it names is
 * looked up and locked `for key share` (what PostgreSQL's per-row check does), so none can be deleted before the
 * batch commits; on PGlite, the only connection, looking is enough. True when all are there; false leaves the row
 * checks on, which then raise the usual error.
 */
async function lockReferences(
  ctx: Ctx,
  tx: Tx,
  dir: Directory,
  refs: { customers: Set<string>; units: Set<string>; employees: Set<string> },
): Promise<boolean> {
  const lock = dir.alone ? sql`` : sql`for key share`;
  const [row] = rowsOf<{ customers: number | string; units: number | string; employees: number | string }>(
    await tx.execute(sql`
      select
        (select count(*) from (select 1 from customers where org_id = ${ctx.orgId}
           and id = any(${pgArray([...refs.customers])}::uuid[]) ${lock}) c) as customers,
        (select count(*) from (select 1 from units where org_id = ${ctx.orgId}
           and id = any(${pgArray([...refs.units])}::uuid[]) ${lock}) u) as units,
        (select count(*) from (select 1 from employees where org_id = ${ctx.orgId}
           and id = any(${pgArray([...refs.employees])}::uuid[]) ${lock}) e) as employees`),
  );
  return (
    Number(row?.customers) === refs.customers.size &&
    Number(row?.units) === refs.units.size &&
    Number(row?.employees) === refs.employees.size
  );
}

export const nameIndex = (ctx: Ctx, name: string) => ctx.vault.blindIndex('name', foldName(name));

/** Blind indexes of the values seen lately in this import (employee names, phones, e-mails), each hashed once. */
function cachedIndex(ctx: Ctx, dir: Directory, kind: 'name' | 'phone' | 'email', value: string): string {
  const key = `${kind}:${value}`;
  let bidx = dir.indexes.get(key);
  if (!bidx) {
    bidx = kind === 'name' ? nameIndex(ctx, value) : ctx.vault.blindIndex(kind, value);
    if (dir.indexes.size > 50_000) dir.indexes.clear();
    dir.indexes.set(key, bidx);
  }
  return bidx;
}

export interface BatchOptions {
  kind: 'customers' | 'contacts';
  importId: string | null;
  createUnits: boolean;
  createEmployees: boolean;
  /** Check only: resolve against the database, write nothing. */
  dryRun?: boolean;
}

export interface BatchResult {
  ok: number;
  bad: RowRecord[];
  /** Rows with problems (bad ones and kept ones with warnings). */
  flagged: RowRecord[];
  created: number;
  updated: number;
  unitsCreated: number;
  employeesCreated: number;
}

/** The row's unit: known by external id or name, created (when allowed), or a problem. */
function unitOf(
  dir: Directory,
  ref: UnitRef,
  pending: Map<string, { id: string; name: string; externalId: string | null }>,
  create: boolean,
): string | null {
  const known =
    (ref.externalId && dir.unitsByExternalId.get(ref.externalId)) ||
    (ref.name && dir.unitsByName.get(foldName(ref.name)));
  if (known) return known;
  const key = ref.externalId ? `x:${ref.externalId}` : `n:${foldName(ref.name ?? '')}`;
  const already = pending.get(key);
  if (already) return already.id;
  if (!create) return null;
  const unit = { id: randomUUID(), name: ref.name ?? ref.externalId!, externalId: ref.externalId ?? null };
  pending.set(key, unit);
  return unit.id;
}

/**
 * Writes one batch in one transaction: `extra` runs inside it (the job's progress and bad lines), so a batch
 * and its checkpoint commit together or not at all.
 */
export async function applyBatch(
  ctx: Ctx,
  dir: Directory,
  records: RowRecord[],
  o: BatchOptions,
  extra?: (tx: Tx, result: BatchResult) => Promise<void>,
): Promise<BatchResult> {
  const newUnits = new Map<string, { id: string; name: string; externalId: string | null }>();
  const newEmployees = new Map<string, { id: string; unitId: string; name: string }>();
  const resolved: {
    r: RowRecord;
    unitId: string | null;
    employeeId: string | null;
  }[] = [];
  const fail = (r: RowRecord, p: Omit<Problem, 'level'>, level: Problem['level'] = 'error') =>
    r.problems.push({ ...p, level });

  for (const r of records) {
    if (r.problems.some((p) => p.level === 'error')) {
      resolved.push({ r, unitId: null, employeeId: null });
      continue;
    }
    let unitId: string | null = null;
    const ref = r.contact?.unit ?? r.customer.homeUnit;
    if (ref) {
      unitId = unitOf(dir, ref, newUnits, o.createUnits);
      if (!unitId) {
        const what = ref.externalId ? `id "${ref.externalId}"` : `"${ref.name}"`;
        if (r.contact)
          fail(r, { field: 'unit', message: `Unknown branch ${what}: add it, or allow creating branches` });
        else fail(r, { field: 'unit', message: `Unknown branch ${what}: home branch left empty` }, 'warning');
      }
    }
    let employeeId: string | null = null;
    const employee = r.contact?.employee;
    if (employee && unitId) {
      const bidx = cachedIndex(ctx, dir, 'name', employee);
      employeeId = dir.employeesByName.get(bidx) ?? newEmployees.get(bidx)?.id ?? null;
      if (!employeeId && o.createEmployees) {
        employeeId = randomUUID();
        newEmployees.set(bidx, { id: employeeId, unitId, name: employee });
      }
      if (!employeeId)
        fail(r, {
          field: 'employee',
          message: `Unknown employee "${employee}": add them, or allow creating employees`,
        });
    }
    resolved.push({ r, unitId, employeeId });
  }

  const good = resolved.filter((x) => !x.r.problems.some((p) => p.level === 'error'));
  const result: BatchResult = {
    ok: good.length,
    bad: resolved.filter((x) => x.r.problems.some((p) => p.level === 'error')).map((x) => x.r),
    flagged: records.filter((r) => r.problems.length > 0),
    created: 0,
    updated: 0,
    unitsCreated: newUnits.size,
    employeesCreated: newEmployees.size,
  };
  if (o.dryRun) {
    // A dry run remembers the units and employees it would create, so later batches do not count them again.
    remember(dir, newUnits, newEmployees);
    return result;
  }

  const cacheUpdates: [key: string, id: string, hash: number][] = [];
  await ctx.db.transaction(async (tx) => {
    const now = ctx.clock();
    if (newUnits.size) {
      const list = [...newUnits.values()];
      const root = dir.rootUnit;
      await tx.execute(sql`
        insert into units (org_id, id, parent_id, kind, name, path, external_id, created_at)
        select ${ctx.orgId}, u.id, ${root?.id ?? null}::uuid, 'branch', u.name, ${root?.path ?? '/'} || u.id || '/', u.ext, ${now}
        from unnest(${pgArray(list.map((u) => u.id))}::uuid[], ${pgArray(list.map((u) => u.name))}::text[],
                    ${pgArray(list.map((u) => u.externalId))}::text[]) as u(id, name, ext)`);
    }
    if (newEmployees.size) {
      const list = [...newEmployees.entries()];
      await tx.execute(sql`
        insert into employees (org_id, id, unit_id, name_enc, name_bidx, created_at)
        select ${ctx.orgId}, e.id, e.unit_id, e.name_enc, e.bidx, ${now}
        from unnest(${pgArray(list.map(([, e]) => e.id))}::uuid[], ${pgArray(list.map(([, e]) => e.unitId))}::uuid[],
                    ${pgArray(list.map(([, e]) => ctx.vault.encrypt(e.name)))}::text[],
                    ${pgArray(list.map(([b]) => b))}::text[]) as e(id, unit_id, name_enc, bidx)`);
    }

    const customerIds = await writeCustomers(ctx, tx, dir, good, o, result, cacheUpdates, now);

    if (o.kind === 'contacts') {
      const byKey = new Map<
        string,
        { c: ContactFields; customerId: string; unitId: string; employeeId: string | null }
      >();
      for (const x of good) {
        const c = x.r.contact!;
        const customerId = customerIds.get(x.r)!;
        const externalId =
          c.externalId ??
          `sarafan-auto:${createHash('sha256')
            .update(
              `${customerId}|${c.occurredAt.toISOString()}|${x.unitId}|${c.service ?? ''}|${c.amountMinor ?? ''}`,
            )
            .digest('base64url')
            .slice(0, 32)}`;
        // The same visit twice in one batch: the later line wins (as it would in the next batch).
        byKey.set(externalId, { c, customerId, unitId: x.unitId!, employeeId: x.employeeId });
      }
      if (byKey.size) {
        const list = [...byKey.entries()];
        // Row triggers off for this one statement when every customer, unit and employee is there and locked.
        const bulk =
          dir.bulkContacts &&
          (await lockReferences(ctx, tx, dir, {
            customers: new Set(list.map(([, v]) => v.customerId)),
            units: new Set(list.map(([, v]) => v.unitId)),
            employees: new Set(list.flatMap(([, v]) => (v.employeeId ? [v.employeeId] : []))),
          }));
        if (bulk) await tx.execute(sql`set local session_replication_role = replica`);
        // Counted in the database: 10,000 `{ inserted }` rows a batch were 10,000 objects to make and drop here.
        // Times go as milliseconds since 1970: no ISO text made here nor parsed there for each row, and a double of
        // ms / 1000 rounds to the exact microsecond in to_timestamp (checked on 2M values from 1875 to 2160).
        const [counts] = rowsOf<{ created: number | string; written: number | string }>(
          await tx.execute(sql`
            with written as (
            insert into contacts (org_id, id, external_id, customer_id, unit_id, employee_id, service, amount_minor,
                                  currency, occurred_at, import_id, created_at)
            select ${ctx.orgId}, k.id, k.ext, k.customer_id, k.unit_id, k.employee_id, k.service, k.amount, k.currency,
                   to_timestamp(k.ms::float8 / 1000),
                   ${o.importId}::uuid, ${now}
            from unnest(${pgArray(contactIds(list.length, now.getTime()))}::uuid[],
                        ${pgArray(list.map(([k]) => k))}::text[], ${pgArray(list.map(([, v]) => v.customerId))}::uuid[],
                        ${pgArray(list.map(([, v]) => v.unitId))}::uuid[], ${pgArray(list.map(([, v]) => v.employeeId))}::uuid[],
                        ${pgArray(list.map(([, v]) => v.c.service))}::text[], ${pgArray(list.map(([, v]) => v.c.amountMinor))}::bigint[],
                        ${pgArray(list.map(([, v]) => v.c.currency))}::text[],
                        ${pgArray(list.map(([, v]) => v.c.occurredAt.getTime()))}::bigint[])
                 as k(id, ext, customer_id, unit_id, employee_id, service, amount, currency, ms)
            on conflict (org_id, external_id) do update set
              customer_id = excluded.customer_id, unit_id = excluded.unit_id, employee_id = excluded.employee_id,
              service = excluded.service, amount_minor = excluded.amount_minor, currency = excluded.currency,
              occurred_at = excluded.occurred_at
            where (contacts.customer_id, contacts.unit_id, contacts.employee_id, contacts.service, contacts.amount_minor,
                   contacts.currency, contacts.occurred_at)
              is distinct from (excluded.customer_id, excluded.unit_id, excluded.employee_id, excluded.service,
                   excluded.amount_minor, excluded.currency, excluded.occurred_at)
            returning (xmax = 0) as inserted)
            select count(*) filter (where inserted) as created, count(*) as written from written`),
        );
        if (bulk) await tx.execute(sql`set local session_replication_role = origin`);
        result.created = Number(counts?.created ?? 0);
        result.updated = Number(counts?.written ?? 0) - result.created;
      }
    }
    await extra?.(tx, result);
  });
  // Only what committed enters the directory.
  remember(dir, newUnits, newEmployees);
  for (const [key, id, hash] of cacheUpdates) dir.customers.set(key, id, hash);
  return result;
}

function remember(
  dir: Directory,
  units: Map<string, { id: string; name: string; externalId: string | null }>,
  employees: Map<string, { id: string }>,
) {
  for (const u of units.values()) {
    if (u.externalId) dir.unitsByExternalId.set(u.externalId, u.id);
    dir.unitsByName.set(foldName(u.name), u.id);
  }
  for (const [bidx, e] of employees) dir.employeesByName.set(bidx, e.id);
}

interface Existing {
  id: string;
  external_id: string | null;
  name_enc: string | null;
  phone_bidx: string | null;
  email_bidx: string | null;
  home_unit_id: string | null;
}

/**
 * Finds or creates each row's customer: by external id, else by phone, else by e-mail (blind indexes).
 * Existing customers are updated only where the file says something new, so a second run writes nothing.
 */
async function writeCustomers(
  ctx: Ctx,
  tx: Tx,
  dir: Directory,
  good: { r: RowRecord; unitId: string | null }[],
  o: BatchOptions,
  result: BatchResult,
  cacheUpdates: [key: string, id: string, hash: number][],
  now: Date,
): Promise<Map<RowRecord, string>> {
  const idOf = new Map<RowRecord, string>();
  interface Wanted {
    key: string;
    kind: 'ext' | 'phone' | 'email';
    f: CustomerFields;
    homeUnitId: string | null;
    phoneBidx: string | null;
    emailBidx: string | null;
    hash: number;
    rows: RowRecord[];
  }
  const wanted = new Map<string, Wanted>();
  for (const { r, unitId } of good) {
    const f = r.customer;
    const homeUnitId = o.kind === 'customers' ? unitId : null;
    const hash = fieldsHash([f.name, f.phone, f.email, homeUnitId]);
    // Blind indexes are computed only where needed: the key of a customer with no id, and (below) once per
    // customer the batch writes; a row whose customer this import already wrote as-is needs none.
    const [kind, value] = f.externalId
      ? (['ext', f.externalId] as const)
      : f.phone
        ? (['phone', cachedIndex(ctx, dir, 'phone', f.phone)] as const)
        : (['email', cachedIndex(ctx, dir, 'email', f.email!)] as const);
    const key = `${kind}:${value}`;
    const cached = dir.customers.idOf(key, hash);
    if (cached) {
      idOf.set(r, cached);
      continue;
    }
    const w = wanted.get(key);
    if (w) {
      // The same customer twice in a batch: later non-empty fields win.
      w.f = {
        externalId: w.f.externalId,
        name: f.name ?? w.f.name,
        phone: f.phone ?? w.f.phone,
        email: f.email ?? w.f.email,
      };
      w.homeUnitId = homeUnitId ?? w.homeUnitId;
      w.hash = fieldsHash([w.f.name, w.f.phone, w.f.email, w.homeUnitId]);
      w.rows.push(r);
    } else
      wanted.set(key, {
        key,
        kind,
        f,
        homeUnitId,
        phoneBidx: null,
        emailBidx: null,
        hash,
        rows: [r],
      });
  }
  // The key of a customer with no id is its index; others get theirs when compared (sealing makes new ones).
  for (const w of wanted.values()) {
    if (w.kind === 'phone') w.phoneBidx = w.key.slice('phone:'.length);
    if (w.kind === 'email') w.emailBidx = w.key.slice('email:'.length);
  }
  if (wanted.size === 0) return idOf;
  const all = [...wanted.values()];
  const ext = all.filter((w) => w.kind === 'ext').map((w) => w.f.externalId!);
  const phones = all.filter((w) => w.kind === 'phone').map((w) => w.phoneBidx!);
  const emails = all.filter((w) => w.kind === 'email').map((w) => w.emailBidx!);
  const found = async (): Promise<Map<string, Existing>> => {
    const rows = rowsOf<Existing>(
      await tx.execute(sql`
        select id, external_id, name_enc, phone_bidx, email_bidx, home_unit_id from customers
        where org_id = ${ctx.orgId} and (external_id = any(${pgArray(ext)}::text[])
          or phone_bidx = any(${pgArray(phones)}::text[]) or email_bidx = any(${pgArray(emails)}::text[]))
        order by created_at`),
    );
    const map = new Map<string, Existing>();
    for (const e of rows) {
      if (e.external_id) map.set(`ext:${e.external_id}`, e);
      if (e.phone_bidx && !map.has(`phone:${e.phone_bidx}`)) map.set(`phone:${e.phone_bidx}`, e);
      if (e.email_bidx && !map.has(`email:${e.email_bidx}`)) map.set(`email:${e.email_bidx}`, e);
    }
    return map;
  };
  let existing = await found();
  const fresh = all.filter((w) => !existing.has(w.key));
  if (fresh.length) {
    const sealed = fresh.map((w) => ({ id: randomUUID(), ...sealCustomer(ctx, w.f) }));
    const inserted = rowsOf<{ id: string }>(
      await tx.execute(sql`
        insert into customers (org_id, id, external_id, name_enc, email_enc, email_bidx, phone_enc, phone_bidx,
                               home_unit_id, import_id, created_at, updated_at)
        select ${ctx.orgId}, c.id, c.ext, c.name_enc, c.email_enc, c.email_bidx, c.phone_enc, c.phone_bidx, c.home,
               ${o.importId}::uuid, ${now}, ${now}
        from unnest(${pgArray(sealed.map((s) => s.id))}::uuid[], ${pgArray(fresh.map((w) => w.f.externalId))}::text[],
                    ${pgArray(sealed.map((s) => s.nameEnc))}::text[], ${pgArray(sealed.map((s) => s.emailEnc))}::text[],
                    ${pgArray(sealed.map((s) => s.emailBidx))}::text[], ${pgArray(sealed.map((s) => s.phoneEnc))}::text[],
                    ${pgArray(sealed.map((s) => s.phoneBidx))}::text[], ${pgArray(fresh.map((w) => w.homeUnitId))}::uuid[])
             as c(id, ext, name_enc, email_enc, email_bidx, phone_enc, phone_bidx, home)
        on conflict (org_id, external_id) do nothing
        returning id`),
    );
    const done = new Set(inserted.map((r) => r.id));
    fresh.forEach((w, i) => {
      const id = sealed[i]!.id;
      if (!done.has(id)) return; // another writer created it meanwhile: found below and updated
      for (const r of w.rows) idOf.set(r, id);
      cacheUpdates.push([w.key, id, w.hash]);
      wanted.delete(w.key);
    });
    if (o.kind === 'customers') result.created += inserted.length;
    if (wanted.size) existing = await found();
  }
  // Existing customers: only the fields the file changes.
  const changes: { id: string; name?: string; phone?: string; email?: string; homeUnitId?: string }[] = [];
  for (const w of wanted.values()) {
    const e = existing.get(w.key)!;
    const change: (typeof changes)[number] = { id: e.id };
    if (w.f.name && ctx.vault.decrypt(e.name_enc) !== w.f.name) change.name = w.f.name;
    if (w.f.phone && (w.phoneBidx ?? cachedIndex(ctx, dir, 'phone', w.f.phone)) !== e.phone_bidx)
      change.phone = w.f.phone;
    if (w.f.email && (w.emailBidx ?? cachedIndex(ctx, dir, 'email', w.f.email)) !== e.email_bidx)
      change.email = w.f.email;
    if (w.homeUnitId && w.homeUnitId !== e.home_unit_id) change.homeUnitId = w.homeUnitId;
    if (Object.keys(change).length > 1) changes.push(change);
    for (const r of w.rows) idOf.set(r, e.id);
    cacheUpdates.push([w.key, e.id, w.hash]);
  }
  if (changes.length) {
    const sealed = changes.map((c) => sealCustomer(ctx, { name: c.name, phone: c.phone, email: c.email }));
    await tx.execute(sql`
      update customers c set
        name_enc = coalesce(k.name_enc, c.name_enc), email_enc = coalesce(k.email_enc, c.email_enc),
        email_bidx = coalesce(k.email_bidx, c.email_bidx), phone_enc = coalesce(k.phone_enc, c.phone_enc),
        phone_bidx = coalesce(k.phone_bidx, c.phone_bidx), home_unit_id = coalesce(k.home, c.home_unit_id),
        updated_at = ${now}
      from unnest(${pgArray(changes.map((c) => c.id))}::uuid[], ${pgArray(sealed.map((s) => s.nameEnc))}::text[],
                  ${pgArray(sealed.map((s) => s.emailEnc))}::text[], ${pgArray(sealed.map((s) => s.emailBidx))}::text[],
                  ${pgArray(sealed.map((s) => s.phoneEnc))}::text[], ${pgArray(sealed.map((s) => s.phoneBidx))}::text[],
                  ${pgArray(changes.map((c) => c.homeUnitId))}::uuid[])
           as k(id, name_enc, email_enc, email_bidx, phone_enc, phone_bidx, home)
      where c.org_id = ${ctx.orgId} and c.id = k.id`);
    if (o.kind === 'customers') result.updated += changes.length;
  }
  return idOf;
}
