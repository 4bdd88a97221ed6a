// Accounts and access: users, roles, sessions, API keys with scopes, log-in throttling, two-step verification.
export { hashPassword, verifyPassword } from './password.js';
export { authRoutes, type PublicAuthOptions, publicAuthRoutes, SESSION_COOKIE } from './routes.js';
export { areaOf, rememberKeyScopes, scopesAllow } from './scopes.js';
export {
  apiKeyPrincipal,
  createApiKey,
  createUser,
  type Identity,
  listUsers,
  type PublicUser,
} from './service.js';
export { SESSION_IDLE_MS, SESSION_MAX_MS, sessionPrincipal } from './sessions.js';
export { defaultLoginLimits, type LoginLimits, LoginThrottle, TooManyRequests } from './throttle.js';
export { totpCodeAt } from './totp.js';
