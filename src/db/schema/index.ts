// The whole schema: the single source of truth for tables, types and migrations.
export * from './access.js';
export * from './analytics.js';
export * from './benchmarks.js';
export * from './customers.js';
export * from './delivery.js';
export * from './economics.js';
export * from './goals.js';
export * from './imports.js';
export * from './loop.js';
export * from './orgs.js';
export * from './privacy-rights.js';
export * from './reports.js';
export * from './surveys.js';
export * from './themes.js';
