// Privacy room: encryption at rest, blind indexes, and the analyst's pseudonymised view.
export { maskPii, maskPiiOrNull, PII_MASKS, type PiiKind, piiKindsIn } from '../../domain/pii-mask.js';
export {
  customerLabel,
  customerPseudonym,
  type PseudonymKind,
  pseudonymOf,
  textFor,
} from './pseudonym.js';
export { createVault, loadOrCreateSecret, normaliseEmail, normalisePhone, type Vault } from './vault.js';
