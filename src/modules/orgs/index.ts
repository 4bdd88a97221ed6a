// Organisations: the tenant and its settings.
export { createOrg, getOrg, type Org, type OrgSettings, orgSettings, updateOrg } from './service.js';
