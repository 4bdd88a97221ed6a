// Customers and their contacts (visits and purchases) as the accounting system knows them.
import {
  bigint,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { employees, units } from './orgs.js';

export const customers = pgTable(
  'customers',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    externalId: text('external_id'),
    nameEnc: text('name_enc'),
    emailEnc: text('email_enc'),
    emailBidx: text('email_bidx'),
    phoneEnc: text('phone_enc'),
    phoneBidx: text('phone_bidx'),
    locale: text('locale', { enum: ['ru', 'en'] }),
    // The club or branch the customer belongs to, when the accounting system says so.
    homeUnitId: uuid('home_unit_id'),
    // The customer asked not to be surveyed again (any channel).
    optedOutAt: timestamp('opted_out_at', { withTimezone: true }),
    // The import that created this row (rollback deletes what it created); null = API or webhook.
    importId: uuid('import_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique('customers_org_external_uq').on(t.orgId, t.externalId),
    foreignKey({ columns: [t.orgId, t.homeUnitId], foreignColumns: [units.orgId, units.id] }),
    index('customers_org_email_idx').on(t.orgId, t.emailBidx),
    index('customers_org_phone_idx').on(t.orgId, t.phoneBidx),
    index('customers_org_import_idx').on(t.orgId, t.importId),
  ],
);

export const contacts = pgTable(
  'contacts',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    externalId: text('external_id'),
    customerId: uuid('customer_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    employeeId: uuid('employee_id'),
    service: text('service'),
    // Money in minor units (kopecks) with its ISO currency.
    amountMinor: bigint('amount_minor', { mode: 'number' }),
    currency: text('currency').notNull().default('RUB'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    // The import that created this row (rollback deletes what it created); null = API or webhook.
    importId: uuid('import_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique('contacts_org_external_uq').on(t.orgId, t.externalId),
    foreignKey({
      columns: [t.orgId, t.customerId],
      foreignColumns: [customers.orgId, customers.id],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.unitId], foreignColumns: [units.orgId, units.id] }),
    foreignKey({ columns: [t.orgId, t.employeeId], foreignColumns: [employees.orgId, employees.id] }),
    index('contacts_org_customer_idx').on(t.orgId, t.customerId, t.occurredAt),
    index('contacts_org_time_idx').on(t.orgId, t.occurredAt),
    // No index on import_id: rollback, the only reader, scans the organisation's contacts (drizzle/0014).
  ],
);
