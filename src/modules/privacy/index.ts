// Privacy room: encryption at rest and blind indexes.
export { createVault, loadOrCreateSecret, normaliseEmail, normalisePhone, type Vault } from './vault.js';
