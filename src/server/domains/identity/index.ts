// What other domains may use of identity: accounts, sessions, authentication.
export { authenticate, forgetCredentials } from "./authenticate.js";
export { issuePasswordResetLink } from "./password-reset.js";
export { identityRoutes, startSession } from "./routes.js";
export { createSession, purgeExpiredSessions, SESSION_COOKIE } from "./sessions.js";
export { createUser, findUserByEmail, getUserById } from "./users.js";
export { purgeThrottle } from "./login.js";
export { checkPasswordStrength, hashPassword } from "./passwords.js";
