// Imports from accounting systems: dry run, bad lines by number, idempotent re-import, resume, rollback, webhook, CLI.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/index.js';
import {
  createImport,
  dryRun,
  listImportErrors,
  resumeImport,
  rollbackImport,
  runImport,
  signHook,
} from '../src/modules/imports/index.js';
import { bodyOf, buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

const execFileAsync = promisify(execFile);
let world: World;
let org: TestOrg;
const dir = mkdtempSync(join(tmpdir(), 'sarafan-imports-'));

function file(name: string, text: string, encoding = 'utf-8'): string {
  const path = join(dir, name);
  writeFileSync(path, encoding === 'utf-8' ? text : iconv.encode(text, encoding));
  return path;
}

async function count(
  table: 'customers' | 'contacts' | 'units' | 'employees',
  orgId = org.orgId,
): Promise<number> {
  const r = rowsOf<{ n: string }>(
    await world.runtime.database.db.execute(
      sql`select count(*) as n from ${sql.raw(table)} where org_id = ${orgId}`,
    ),
  );
  return Number(r[0]!.n);
}

const header = 'Номер визита;Дата визита;ID клиента;Клиент;Телефон;E-mail;Филиал;Сотрудник;Услуга;Сумма';
const good = [
  'V1;24.11.2026 18:05;C1;Иванова Анна;8 (916) 123-45-67;anna@example.ru;Центральный;Петров Пётр;Стрижка;1 500,50',
  'V2;24.11.2026 19:00;C2;Сидоров Олег;+7 903 000-11-22;;Центральный;Петров Пётр;Маникюр;2000',
  'V3;25.11.2026 10:00;C1;Иванова Анна;8 (916) 123-45-67;anna@example.ru;Северный;;"Окрашивание, ""сложное""";3 000',
];

beforeAll(async () => {
  world = await startWorld();
  org = await buildOrg(world);
  await expectJson(org.api('POST', '/api/v1/units', { name: 'Центральный', kind: 'branch' }), 201);
});
afterAll(() => world.close());

describe('an import of contacts', () => {
  it('dry run: reads cp1251 with ; and Russian headers, maps them, and lists every problem by line', async () => {
    const path = file(
      'dry.csv',
      [header, ...good, 'V4;31.02.2026 10:00;C3;Кто-то;123;bad@;Центральный;;Услуга;abc', ''].join('\r\n'),
      'windows-1251',
    );
    const ctx = world.contextFor(org.orgId);
    const report = await dryRun(ctx, {
      kind: 'contacts',
      path,
      fileName: 'dry.csv',
      options: { createUnits: true, createEmployees: true },
    });
    expect(report.file.encoding).toBe('windows-1251');
    expect(report.file.delimiter).toBe(';');
    expect(report.mapping).toMatchObject({
      occurredAt: 'Дата визита',
      phone: 'Телефон',
      email: 'E-mail',
      unit: 'Филиал',
      amount: 'Сумма',
    });
    expect(report.preview[0]!.values).toMatchObject({
      amount: 150050,
      phone: '+79161234567',
      occurredAt: '2026-11-24T15:05:00.000Z',
    });
    expect(report.totals).toMatchObject({ rows: 4, ok: 3, bad: 1, unitsToCreate: 1, employeesToCreate: 1 });
    const line5 = report.problems.filter((p) => p.line === 5).map((p) => p.field);
    expect(line5).toEqual(expect.arrayContaining(['occurredAt', 'amount', 'phone', 'email']));
    expect(await count('contacts')).toBe(0);
  });

  it('real run: keeps the good rows, reports each bad line by number and reason, and a re-run changes nothing', async () => {
    const path = file(
      'run.csv',
      [
        `\ufeff${header.replaceAll(';', ',')}`,
        ...good.map((l) =>
          l
            .replaceAll(';', ',')
            .replace('1 500,50', '"1 500,50"')
            .replace(/"Окрашивание, ""сложное"""/, '"Окрашивание, ""сложное"""'),
        ),
        'V5,,C4,Без даты,,,Центральный,,,100',
        'V6,26.11.2026 09:00,C5,Чужой филиал,,,Дальний,,,100',
      ].join('\n'),
    );
    const ctx = world.contextFor(org.orgId);
    const job = await createImport(ctx, {
      kind: 'contacts',
      path,
      fileName: 'run.csv',
      options: { createUnits: false, createEmployees: true },
    });
    const done = await runImport(ctx, job.id);
    expect(done).toMatchObject({ status: 'completed', rowsRead: 5, rowsOk: 2, rowsBad: 3, rowsCreated: 2 });
    const errors = await listImportErrors(ctx, job.id, { level: 'error' });
    expect(errors.items.map((e) => [e.line, e.errors[0]!.field])).toEqual([
      [4, 'unit'],
      [5, 'occurredAt'],
      [6, 'unit'],
    ]);
    expect(errors.items[0]!.errors[0]!.message).toMatch(/Unknown branch "Северный"/);
    expect(await count('contacts')).toBe(2);
    expect(await count('customers')).toBe(2);
    // 24.11.2026 18:05 and 19:00 in Moscow (UTC+3), to the millisecond.
    const stored = rowsOf<{ external_id: string; at: string }>(
      await world.runtime.database.db.execute(sql`
        select external_id, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as at
        from contacts where org_id = ${org.orgId} order by external_id`),
    );
    expect(stored).toEqual([
      { external_id: 'V1', at: '2026-11-24T15:05:00.000000' },
      { external_id: 'V2', at: '2026-11-24T16:00:00.000000' },
    ]);

    const again = await runImport(
      ctx,
      (
        await createImport(ctx, {
          kind: 'contacts',
          path,
          fileName: 'run.csv',
          options: { createUnits: false, createEmployees: true },
        })
      ).id,
    );
    expect(again).toMatchObject({ status: 'completed', rowsOk: 2, rowsCreated: 0 });
    expect(await count('contacts')).toBe(2);
    expect(await count('customers')).toBe(2);
    expect(await count('employees')).toBe(1);
  });
});

describe('resume and rollback', () => {
  it('an import stopped after two batches resumes from its checkpoint and ends with every row exactly once', async () => {
    const other = await buildOrg(world);
    const ctx = world.contextFor(other.orgId);
    const lines = Array.from(
      { length: 95 },
      (_, i) =>
        `${i},2026-11-${String((i % 28) + 1).padStart(2, '0')} 10:00,c${i % 30},Клиент ${i % 30},,,Филиал ${i % 3},,Услуга,${i}`,
    );
    const path = file(
      'resume.csv',
      ['Visit ID,Date,Customer ID,Customer,Phone,Email,Branch,Employee,Service,Amount', ...lines].join('\n'),
    );
    const job = await createImport(ctx, {
      kind: 'contacts',
      path,
      fileName: 'resume.csv',
      options: { createUnits: true },
    });
    const crashed = await runImport(ctx, job.id, { batchSize: 20, crashAfterBatches: 2 });
    expect(crashed.status).toBe('running');
    expect(crashed.checkpointLine).toBe(41);
    expect(await count('contacts', other.orgId)).toBe(40);
    world.advance(120_000);
    const listed = await expectJson(other.api('GET', `/api/v1/imports/${job.id}`), 200);
    expect(listed.status).toBe('interrupted');
    const done = await resumeImport(ctx, job.id, { batchSize: 20 });
    expect(done).toMatchObject({ status: 'completed', rowsRead: 95, rowsOk: 95, rowsCreated: 95 });
    expect(await count('contacts', other.orgId)).toBe(95);
    expect(await count('customers', other.orgId)).toBe(30);
    expect(await count('units', other.orgId)).toBe(3);

    const rolled = await rollbackImport(ctx, job.id);
    expect(rolled).toMatchObject({ contactsDeleted: 95, customersDeleted: 30 });
    expect(rolled.import.status).toBe('rolled_back');
    expect(await count('contacts', other.orgId)).toBe(0);
    expect(await count('customers', other.orgId)).toBe(0);
    expect(await count('contacts')).toBe(2); // the first organisation's rows are untouched
  });

  it('reads a file in a worker thread with the same outcome as in-thread: bad lines with their text, resume, rollback', async () => {
    // 61 rows in cp1251: a bad date, an unknown branch, a quoted field with a line break, a stray quote.
    const rows = Array.from({ length: 60 }, (_, i) =>
      i === 7
        ? `W${i};31.02.2026 10:00;k${i % 9};Клиент ${i % 9};;;Филиал ${i % 2};;Услуга;${i}`
        : i === 23
          ? `W${i};03.11.2026 10:00;k${i % 9};Клиент ${i % 9};;;Неизвестный;;Услуга;${i}`
          : i === 31
            ? `W${i};03.11.2026 10:00;k${i % 9};Клиент ${i % 9};;;Филиал ${i % 2};;"Две\r\nстроки";${i}`
            : `W${i};${String((i % 28) + 1).padStart(2, '0')}.11.2026 10:00;k${i % 9};Клиент ${i % 9};;;Филиал ${i % 2};;Услуга;${i}`,
    );
    rows.push('W60;03.11.2026 10:00;k1;"Сломанная "кавычка;;;Филиал 1;;Услуга;1');
    const path = file('worker.csv', [header, ...rows, ''].join('\r\n'), 'windows-1251');
    const outcome = async (readInWorker: boolean) => {
      const o = await buildOrg(world);
      const ctx = world.contextFor(o.orgId);
      await expectJson(o.api('POST', '/api/v1/units', { name: 'Филиал 0', kind: 'branch' }), 201);
      await expectJson(o.api('POST', '/api/v1/units', { name: 'Филиал 1', kind: 'branch' }), 201);
      const job = await createImport(ctx, { kind: 'contacts', path, fileName: 'worker.csv' });
      const crashed = await runImport(ctx, job.id, { batchSize: 25, crashAfterBatches: 1, readInWorker });
      world.advance(120_000);
      const done = await resumeImport(ctx, job.id, { batchSize: 25, readInWorker });
      const errors = await listImportErrors(ctx, job.id, { level: 'all' });
      const contacts = await count('contacts', o.orgId);
      const rolled = await rollbackImport(ctx, job.id);
      return {
        checkpoint: crashed.checkpointLine,
        done: { status: done.status, rowsRead: done.rowsRead, rowsOk: done.rowsOk, rowsBad: done.rowsBad },
        errors: errors.items.map((e) => ({ line: e.line, fields: e.errors.map((x) => x.field), raw: e.raw })),
        contacts,
        deleted: rolled.contactsDeleted,
        left: await count('contacts', o.orgId),
      };
    };
    const here = await outcome(false);
    const there = await outcome(true);
    expect(there).toEqual(here);
    expect(here.checkpoint).toBe(26);
    expect(here.done).toEqual({ status: 'completed', rowsRead: 61, rowsOk: 59, rowsBad: 2 });
    expect(here.errors).toEqual([
      { line: 9, fields: ['occurredAt'], raw: 'W7;31.02.2026 10:00;k7;Клиент 7;;;Филиал 1;;Услуга;7' },
      { line: 25, fields: ['unit'], raw: 'W23;03.11.2026 10:00;k5;Клиент 5;;;Неизвестный;;Услуга;23' },
      {
        line: 33,
        fields: ['service'],
        raw: 'W31;03.11.2026 10:00;k4;Клиент 4;;;Филиал 1;;"Две\r\nстроки";31',
      },
    ]);
    expect(here.contacts).toBe(59);
    expect(here.deleted).toBe(59);
    expect(here.left).toBe(0);
  }, 180_000);
});

describe('the fast path for contacts', () => {
  it('never skips a trigger of contacts: with one, every imported row still fires it', async () => {
    const o = await buildOrg(world);
    const ctx = world.contextFor(o.orgId);
    const db = world.runtime.database.db;
    await db.execute(sql`create table contact_trigger_seen (external_id text)`);
    await db.execute(sql`
      create function contact_trigger_note() returns trigger language plpgsql as $$
      begin insert into contact_trigger_seen values (new.external_id); return new; end $$`);
    await db.execute(sql`
      create trigger contact_trigger_note after insert on contacts
      for each row execute function contact_trigger_note()`);
    try {
      const path = file(
        'trigger.csv',
        [
          'Visit ID,Date,Customer ID,Branch,Amount',
          't1,2026-11-24 10:00,k1,Юг,1',
          't2,2026-11-24 11:00,k2,Юг,2',
        ].join('\n'),
      );
      const job = await createImport(ctx, {
        kind: 'contacts',
        path,
        fileName: 'trigger.csv',
        options: { createUnits: true },
      });
      expect(await runImport(ctx, job.id)).toMatchObject({ status: 'completed', rowsCreated: 2 });
      const seen = rowsOf<{ external_id: string }>(
        await db.execute(sql`select external_id from contact_trigger_seen order by external_id`),
      );
      expect(seen.map((r) => r.external_id)).toEqual(['t1', 't2']);
    } finally {
      await db.execute(sql`drop trigger contact_trigger_note on contacts`);
      await db.execute(sql`drop function contact_trigger_note`);
      await db.execute(sql`drop table contact_trigger_seen`);
    }
  });

  it('keeps the economics running sums of every imported row (their triggers fire ALWAYS, on the fast path too)', async () => {
    const o = await buildOrg(world);
    const ctx = world.contextFor(o.orgId);
    const db = world.runtime.database.db;
    // A refresh starts the organisation's running sums; from then on the triggers add each insert to them.
    await expectJson(o.api('POST', '/api/v1/economics/refresh'), 200);
    const visits = Array.from(
      { length: 30 },
      (_, i) =>
        `e${i},2026-11-${String(10 + (i % 9)).padStart(2, '0')} 10:00,k${i % 7},Юг,${['Йога', 'Бокс', ''][i % 3]},${100 * (i + 1)}`,
    );
    const path = file(
      'economics.csv',
      ['Visit ID,Date,Customer ID,Branch,Service,Amount', ...visits].join('\n'),
    );
    const job = await createImport(ctx, {
      kind: 'contacts',
      path,
      fileName: 'economics.csv',
      options: { createUnits: true },
    });
    expect(await runImport(ctx, job.id, { batchSize: 8 })).toMatchObject({
      status: 'completed',
      rowsCreated: 30,
    });
    // Each customer's sums, services in name order (an insert appends a customer's new service at the end).
    const running = async (tx: Pick<typeof db, 'execute'>) =>
      rowsOf<{ contacts_total: number; services: string[]; service_visits: number[]; spend: string[] }>(
        await tx.execute(sql`
          select customer_id, contacts_total, contacts_window, revenue_window_minor::text as revenue, services,
                 service_visits, service_spend::text[] as spend
          from economics_customer_running where org_id = ${o.orgId} order by customer_id`),
      ).map(({ services, service_visits, spend, ...sums }) => ({
        ...sums,
        services: services.map((s, i) => [s, service_visits[i], spend[i]]).sort(),
      }));
    const kept = await running(db);
    expect(kept).toHaveLength(7);
    expect(kept.reduce((n, r) => n + r.contacts_total, 0)).toBe(30);
    // The same sums counted again from the contacts themselves (in a transaction rolled back).
    let counted: unknown[] = [];
    await db
      .transaction(async (tx) => {
        await tx.execute(sql`select economics_running_count(${o.orgId}::uuid, null)`);
        counted = await running(tx);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect(counted).toHaveLength(7);
    expect(kept).toEqual(counted);
  });
});

describe('the API', () => {
  it('uploads a raw body for a dry run, then starts it by uploadId in the background, and polls it to the end', async () => {
    const o = await buildOrg(world);
    const csv = [
      'Дата визита\tКлиент\tТелефон\tФилиал\tСумма',
      '2026-11-24 18:05\tАнна\t+7 916 111-22-33\tЮг\t1 200,00',
      '2026-11-24 18:07\t=HYPERLINK("http://x")\t+7 916 111-22-34\tЮг\t10',
    ].join('\n');
    const dry = await expectJson(
      world.app.request('/api/v1/imports?kind=contacts&dryRun=true&fileName=visits.tsv&createUnits=true', {
        method: 'POST',
        headers: { authorization: `Bearer ${o.key}`, 'content-type': 'text/csv' },
        body: csv,
      }),
      200,
    );
    expect(dry.file).toMatchObject({ encoding: 'utf-8', delimiter: '\t', name: 'visits.tsv' });
    expect(dry.totals).toMatchObject({ rows: 2, ok: 2, unitsToCreate: 1 });
    expect(dry.preview[1].values.customerName).toBe('\'=HYPERLINK("http://x")');
    const started = await expectJson(
      o.api('POST', '/api/v1/imports', {
        uploadId: dry.uploadId,
        kind: 'contacts',
        fileName: 'visits.tsv',
        options: { createUnits: true },
      }),
      202,
    );
    let job = started;
    for (let i = 0; i < 100 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      job = await expectJson(o.api('GET', `/api/v1/imports/${started.id}`), 200);
    }
    expect(job).toMatchObject({ status: 'completed', rowsOk: 2, progress: 1 });
    const list = await expectJson(o.api('GET', '/api/v1/imports'), 200);
    expect(list.items.map((j: { id: string }) => j.id)).toEqual([started.id]);
    const warnings = await expectJson(o.api('GET', `/api/v1/imports/${started.id}/errors`), 200);
    expect(warnings.items[0]).toMatchObject({ line: 3, bad: false });
  });

  it('refuses a PNG, a ZIP that is not a workbook, and a file without valid rows, with a clear message', async () => {
    const o = await buildOrg(world);
    const send = (body: Uint8Array | string) =>
      world.app.request('/api/v1/imports?dryRun=true', {
        method: 'POST',
        headers: { authorization: `Bearer ${o.key}` },
        body,
      });
    const png = await send(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    expect(png.status).toBe(415);
    expect((await bodyOf(png)).detail).toMatch(/PNG/);
    const zip = await send(Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(200, 1)]));
    expect(zip.status).toBe(415);
    expect((await bodyOf(zip)).detail).toMatch(/not a readable XLSX/);
    const none = await expectJson(send('Дата визита;Телефон;Филиал\nвчера;123;\n'), 200);
    expect(none.totals.ok).toBe(0);
    expect(none.verdict).toMatch(/No valid rows/);
  });

  it('takes a multipart/form-data upload, streaming the file part to disk', async () => {
    const o = await buildOrg(world);
    const form = new FormData();
    form.append('note', 'ignored');
    form.append(
      'file',
      new Blob(['Дата визита,Телефон,Филиал\n01.11.2026 10:00,+7 916 000 00 01,Клуб\n']),
      'из 1С.csv',
    );
    const dry = await expectJson(
      world.app.request('/api/v1/imports?dryRun=true&createUnits=true', {
        method: 'POST',
        headers: { authorization: `Bearer ${o.key}` },
        body: form,
      }),
      200,
    );
    expect(dry.file.name).toBe('из 1С.csv');
    expect(dry.totals).toMatchObject({ rows: 1, ok: 1 });
  });

  it('refuses unknown employees unless creating them is allowed', async () => {
    const o = await buildOrg(world);
    const body = 'Дата визита;Телефон;Филиал;Сотрудник\n01.11.2026 10:00;+7 916 000 00 01;Клуб;Ёлкина Анна\n';
    const ask = (createEmployees: boolean) =>
      expectJson(
        world.app.request(`/api/v1/imports?dryRun=true&createUnits=true&createEmployees=${createEmployees}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${o.key}` },
          body,
        }),
        200,
      );
    const refused = await ask(false);
    expect(refused.totals).toMatchObject({ ok: 0, bad: 1 });
    expect(refused.problems[0]).toMatchObject({
      line: 2,
      field: 'employee',
      message: expect.stringMatching(/Unknown employee/),
    });
    expect((await ask(true)).totals).toMatchObject({ ok: 1, employeesToCreate: 1 });
  });

  it('saves a mapping by name and uses it', async () => {
    const o = await buildOrg(world);
    const saved = await expectJson(
      o.api('POST', '/api/v1/import-mappings', {
        kind: 'contacts',
        name: '1C',
        mapping: { occurredAt: 'Когда', unit: 'Где', customerExternalId: 'Кто' },
      }),
      201,
    );
    expect(saved.name).toBe('1C');
    const dry = await expectJson(
      world.app.request('/api/v1/imports?dryRun=true&mapping=1C&createUnits=true', {
        method: 'POST',
        headers: { authorization: `Bearer ${o.key}` },
        body: 'Когда,Где,Кто\n01.11.2026,Клуб,42\n',
      }),
      200,
    );
    expect(dry.mapping).toMatchObject({ occurredAt: 'Когда', unit: 'Где', customerExternalId: 'Кто' });
    expect(dry.totals.ok).toBe(1);
  });
});

describe('the contacts webhook', () => {
  async function send(
    orgId: string,
    secret: string,
    body: unknown,
    at = Math.floor(world.now.getTime() / 1000),
    id = 'msg_1',
  ) {
    const text = JSON.stringify(body);
    return world.app.request(`/api/v1/hooks/contacts/${orgId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(at),
        'webhook-signature': signHook(secret, id, at, text),
      },
      body: text,
    });
  }

  it('accepts a signed contact once (a replay changes nothing), refuses bad or old signatures, and never touches another org', async () => {
    const a = await buildOrg(world);
    const b = await buildOrg(world);
    await expectJson(
      a.api('POST', '/api/v1/units', { name: 'Клуб', kind: 'branch', externalId: 'club-1' }),
      201,
    );
    const { secret, url } = await expectJson(a.api('POST', '/api/v1/hooks/secret'), 200);
    expect(url).toContain(`/api/v1/hooks/contacts/${a.orgId}`);
    const contact = {
      externalId: 'sale-9',
      occurredAt: '2026-11-20T12:00:00+03:00',
      customerExternalId: 'k-1',
      customerName: 'Анна\r\nBcc: x@evil.test',
      customerPhone: '8 916 555 44 33',
      unitExternalId: 'club-1',
      amountMinor: 150000,
    };
    const first = await expectJson(send(a.orgId, secret, contact), 200);
    expect(first).toMatchObject({ accepted: 1, created: 1 });
    // The same signed delivery again (its webhook-id already taken): refused, nothing changes (security room).
    const replay = await send(a.orgId, secret, contact);
    expect(replay.status).toBe(409);
    // Sent again as a new delivery, the same contact is recognised by its external id: nothing duplicated.
    const again = await expectJson(send(a.orgId, secret, contact, undefined, 'msg_again'), 200);
    expect(again).toMatchObject({ accepted: 1, created: 0, updated: 0 });
    const customers = await expectJson(a.api('GET', '/api/v1/customers'), 200);
    expect(customers.items[0].name).toBe('Анна Bcc: x@evil.test');

    expect((await send(a.orgId, `whsec_${Buffer.alloc(32, 7).toString('base64')}`, contact)).status).toBe(
      401,
    );
    expect((await send(a.orgId, secret, contact, Math.floor(world.now.getTime() / 1000) - 301)).status).toBe(
      401,
    );
    // Org A's secret does not open org B, and a forged org id gets the same 401.
    expect((await send(b.orgId, secret, contact)).status).toBe(401);
    expect(await count('contacts', b.orgId)).toBe(0);
    expect(await count('contacts', a.orgId)).toBe(1);
    const bad = await send(a.orgId, secret, { ...contact, unitExternalId: 'nowhere' }, undefined, 'msg_bad');
    expect(bad.status).toBe(422);
  });
});

describe('the CLI', () => {
  it('imports a file with a progress bar, prints the summary and the first bad lines, and lists the import', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sarafan-cli-'));
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' };
    // As `npm run sarafan` runs it: compiled to dist/ and run by Node with the import's own flags.
    const run = (...args: string[]) =>
      execFileAsync(process.execPath, ['bin/sarafan.mjs', ...args], { env, timeout: 300_000 });
    await run(
      'init',
      '--org',
      'CLI Org',
      '--email',
      'cli@example.com',
      '--password',
      'correct horse battery',
    );
    const path = file('cli.csv', [header, ...good, 'V9;когда-то;C9;Кто;;;Центральный;;;1'].join('\n'));
    const out = await run('import', 'contacts', path, '--create-units', '--create-employees').catch(
      (e: { stdout: string }) => e,
    );
    expect(out.stdout).toMatch(/completed\. 4 rows read, 3 imported \(3 new\), 1 bad/);
    expect(out.stdout).toMatch(/line 5: occurredAt: Not a date/);
    const list = await run('import', 'list');
    expect(list.stdout).toMatch(/contacts\s+completed\s+3 ok\s+1 bad\s+cli\.csv/);
  }, 900_000);
});
