// bench/audit: seconds and peak RSS of the readiness audit on a synthetic base inserted directly (CUSTOMERS, default
// 200,000, with VISITS per customer, default 5), on PGlite in memory and on PostgreSQL when BENCH_DATABASE_URL is set.
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { type Database, openDatabase } from '../src/db/index.js';
import { auditBase } from '../src/modules/audit/index.js';
import type { Ctx } from '../src/modules/kernel/index.js';
import { createOrg } from '../src/modules/orgs/index.js';
import { createVault } from '../src/modules/privacy/index.js';

const CUSTOMERS = Number(process.env.CUSTOMERS ?? 200_000);
const VISITS = Number(process.env.VISITS ?? 5);
const vault = createVault(randomBytes(32));

/** A base with the usual faults: gaps, typos, role boxes, landlines, broken numbers and duplicates. */
function customerRow(i: number) {
  const r = (i * 2654435761) % 1000; // a cheap deterministic spread over 0..999
  const email =
    r < 300
      ? null
      : r < 310
        ? `client${i}@gmial.com`
        : r < 320
          ? `info${i % 50}@company${i % 50}.ru`
          : r < 330
            ? `client${i}@@mail.ru`
            : r < 350
              ? `client${i - (i % 2)}@mail.ru` // pairs sharing an address
              : `client${i}@mail.ru`;
  const phone =
    r % 7 === 0
      ? null
      : r % 41 === 0
        ? `+7 495 ${String(1_000_000 + (i % 8_999_999)).slice(-7)}`
        : r % 53 === 0
          ? '8 (000) 000-00-00'
          : `+7 9${String(160_000_000 + i).padStart(9, '0')}`;
  return {
    email_enc: vault.encrypt(email),
    email_bidx: email ? vault.blindIndex('email', email) : null,
    phone_enc: vault.encrypt(phone),
    phone_bidx: phone ? vault.blindIndex('phone', phone) : null,
  };
}

async function seed(database: Database): Promise<Ctx> {
  const org = await createOrg(database.db, { name: 'Bench' });
  const ctx: Ctx = {
    db: database.db,
    orgId: org.id,
    actor: { kind: 'system' },
    clock: () => new Date(),
    log: pino({ level: 'warn' }),
    vault,
  };
  const branch = randomUUID();
  await database.db.execute(
    sql`insert into units (org_id, id, kind, name, path) values (${org.id}, ${branch}, 'branch', 'Branch', ${`/${branch}/`})`,
  );
  const started = performance.now();
  for (let from = 0; from < CUSTOMERS; from += 2_000) {
    const rows = [];
    for (let i = from; i < Math.min(CUSTOMERS, from + 2_000); i++) {
      const c = customerRow(i);
      rows.push(
        sql`(${org.id}, ${`c${i}`}, ${c.email_enc}, ${c.email_bidx}, ${c.phone_enc}, ${c.phone_bidx}, ${branch})`,
      );
    }
    await database.db.execute(
      sql`insert into customers (org_id, external_id, email_enc, email_bidx, phone_enc, phone_bidx, home_unit_id) values ${sql.join(rows, sql`, `)}`,
    );
  }
  // Visits over the last 18 months; every third without an employee-free service, some without an amount.
  await database.db.execute(sql`
    insert into contacts (org_id, customer_id, unit_id, service, amount_minor, occurred_at)
    select c.org_id, c.id, ${branch}, case when v % 3 = 0 then null else 'Service' end,
      case when v % 4 = 0 then null else 100000 end,
      now() - (((hashtext(c.id::text || v) & 2147483647) % 540) || ' days')::interval
    from customers c, generate_series(1, ${VISITS}) v where c.org_id = ${org.id}`);
  console.log(
    `seeded ${CUSTOMERS} customers, ${CUSTOMERS * VISITS} visits in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return ctx;
}

async function run(label: string, database: Database) {
  const ctx = await seed(database);
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  const findings = await auditBase(ctx);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  console.log(
    `${label}: ${CUSTOMERS.toLocaleString('en-US')} customers, ${findings.contacts.total.toLocaleString('en-US')} visits — audit ${seconds.toFixed(1)} s (${Math.round(CUSTOMERS / seconds).toLocaleString('en-US')} customers/s), peak RSS ${Math.round(peak / 2 ** 20)} MB; recommends ${findings.recommendation.method}; e-mail valid ${(findings.email.valid.share * 100).toFixed(1)}%, mobile ${(findings.phone.mobile.share * 100).toFixed(1)}%, duplicates ${findings.customers.duplicates.count}`,
  );
  await database.close();
}

await run('PGlite (in memory)', await openDatabase());
if (process.env.BENCH_DATABASE_URL)
  await run('PostgreSQL', await openDatabase({ url: process.env.BENCH_DATABASE_URL }));
