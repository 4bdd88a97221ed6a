// Accounts and access: users, roles, sessions, API keys.
export { hashPassword, verifyPassword } from './password.js';
export { authRoutes, publicAuthRoutes, SESSION_COOKIE } from './routes.js';
export {
  createApiKey,
  createUser,
  type Identity,
  identityFromApiKey,
  identityFromSession,
  listUsers,
  logIn,
  type PublicUser,
} from './service.js';
