// Contacts: visits and purchases, the events after which customers are surveyed.
export { contactRoutes } from './routes.js';
export { type ContactView, contactsByIds, getContact, listContacts, recordContacts } from './service.js';
