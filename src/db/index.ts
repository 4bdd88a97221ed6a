// The database room's public surface.
export { type Database, type Db, openDatabase, rowsOf } from './client.js';
export { analyzeGrownTables } from './maintenance.js';
export { type JsonStatement, jsonStatement, runJson } from './prepared.js';
export * as tables from './schema/index.js';
