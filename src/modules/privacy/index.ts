// Privacy room: encryption at rest, blind indexes, and the analyst's pseudonymised view.
export { maskPii, maskPiiOrNull, PII_MASKS, type PiiKind, piiKindsIn } from '../../domain/pii-mask.js';
export { adminActionLog, listAccessLog, logAccess } from './access-log.js';
export {
  customerLabel,
  customerPseudonym,
  type PseudonymKind,
  pseudonymOf,
  type ReasonMasker,
  reasonMasker,
  textFor,
} from './pseudonym.js';
export {
  applyAllRetention,
  applyRetention,
  getRetention,
  RETENTION_INTERVAL_MS,
  RETENTION_TASK,
  setRetention,
} from './retention.js';
export {
  eraseCustomer,
  erasePerson,
  exportPerson,
  findPeople,
  maskPerson,
  type PersonQuery,
  personQuery,
} from './rights.js';
export { type RotationResult, rotateKeys, valuesUnderOldKeys } from './rotation.js';
export { privacyRoutes } from './routes.js';
export {
  createVault,
  fileVault,
  indexKeyOf,
  type Keyring,
  keyIdOf,
  loadKeyring,
  loadOrCreateSecret,
  normaliseEmail,
  normalisePhone,
  readKeyring,
  type Vault,
  writeKeyring,
} from './vault.js';
