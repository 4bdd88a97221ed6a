// Customers: who the business serves, found without reading their personal data.
export { type ReindexResult, reindexPhones } from './reindex.js';
export { customerRoutes } from './routes.js';
export {
  type CustomerView,
  customerIdsByExternalId,
  customersByIds,
  getCustomer,
  listCustomers,
  sealCustomer,
  upsertCustomers,
} from './service.js';
