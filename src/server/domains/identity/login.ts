import { eq, sql } from "drizzle-orm";
import * as OTPAuth from "otpauth";
import type { Database } from "../../db/client.js";
import { AppError, rateLimited, unauthenticated } from "../../lib/errors.js";
import type { Services } from "../../lib/services.js";
import { systemCtx } from "../../lib/context.js";
import { loadAccess } from "../workspaces/access.js";
import { changeAccount } from "./profile.js";
import { firstWorkspaceOf } from "../workspaces/workspaces.js";
import { decoyHash, verifyPassword } from "./passwords.js";
import { authThrottle, users } from "./schema.js";
import { createSession } from "./sessions.js";
import type { UserRow } from "./users.js";

/** Counts a login attempt from an IP in a 5-minute window; throws RATE_LIMITED past the limit. */
async function throttleIp(database: Database, ip: string, limit: number): Promise<void> {
  const { rows } = await database.pool.query<{ count: number; reset_at: Date }>(
    `insert into auth_throttle (key, count, reset_at) values ($1, 1, now() + interval '5 minutes')
     on conflict (key) do update set
       count = case when auth_throttle.reset_at < now() then 1 else auth_throttle.count + 1 end,
       reset_at = case when auth_throttle.reset_at < now() then now() + interval '5 minutes' else auth_throttle.reset_at end
     returning count, reset_at`,
    [`login-ip:${ip}`],
  );
  const row = rows[0];
  if (row && row.count > limit) {
    throw rateLimited(Math.max(1, Math.ceil((row.reset_at.getTime() - Date.now()) / 1000)));
  }
}

export function verifyTotp(secret: string, code: string): boolean {
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" });
  return totp.validate({ token: code.replace(/\s/g, ""), window: 1 }) !== null;
}

export interface LoginInput {
  email: string;
  password: string;
  totpCode?: string | undefined;
  ip: string | null;
  userAgent: string | null;
}

/**
 * Checks credentials and opens a new session (a fresh token on every login:
 * session ids rotate). Wrong passwords count towards a temporary lockout.
 */
export async function login(database: Database, services: Services, input: LoginInput): Promise<{ token: string; user: UserRow; workspaceId: string }> {
  const { lockout, sessionDays } = services.config;
  if (input.ip) await throttleIp(database, input.ip, lockout.ipLimit);
  const [user] = await database.db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${input.email.trim()})`);
  if (!user) {
    await verifyPassword(await decoyHash(), input.password);
    throw unauthenticated("errors.invalid_credentials");
  }
  if (user.lockedUntil && user.lockedUntil > new Date()) {
    const minutes = Math.ceil((user.lockedUntil.getTime() - Date.now()) / 60_000);
    throw new AppError("RATE_LIMITED", "errors.account_locked", { minutes }, { lockedUntil: user.lockedUntil.toISOString() });
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    const failed = user.failedLogins + 1;
    const lock = failed >= lockout.attempts;
    if (!lock) {
      await database.db.update(users).set({ failedLogins: failed }).where(eq(users.id, user.id));
      throw unauthenticated("errors.invalid_credentials");
    }
    // A lockout is a security event: the administrators of each of the user's workspaces see it.
    const lockedUntil = new Date(Date.now() + lockout.minutes * 60_000);
    const ctx = { ...systemCtx(database, services, "", [], user.id), ip: input.ip, userAgent: input.userAgent };
    await changeAccount(database, ctx, user.id, async (tx) => {
      await tx.update(users).set({ failedLogins: 0, lockedUntil }).where(eq(users.id, user.id));
      return {
        result: undefined,
        event: { action: "user.locked", objectType: "user", objectId: user.id, data: { failedAttempts: failed, lockedUntil: lockedUntil.toISOString() } },
      };
    });
    throw new AppError("RATE_LIMITED", "errors.account_locked", { minutes: lockout.minutes });
  }
  if (user.totpEnabled && user.totpSecret) {
    if (!input.totpCode) throw unauthenticated("errors.totp_required", { totpRequired: true });
    if (!verifyTotp(services.cipher.decrypt(user.totpSecret), input.totpCode)) {
      throw unauthenticated("errors.totp_invalid", { totpRequired: true });
    }
  }
  let workspaceId = user.lastWorkspaceId;
  if (!workspaceId || !(await loadAccess(database, workspaceId, user.id))) {
    workspaceId = (await firstWorkspaceOf(database, user.id)) ?? null;
  }
  if (!workspaceId) throw unauthenticated("errors.invalid_credentials");
  await database.db
    .update(users)
    .set({ failedLogins: 0, lockedUntil: null, lastWorkspaceId: workspaceId })
    .where(eq(users.id, user.id));
  const token = await createSession(database, {
    userId: user.id,
    workspaceId,
    ip: input.ip,
    userAgent: input.userAgent,
    days: sessionDays,
  });
  return { token, user, workspaceId };
}

export async function purgeThrottle(database: Database): Promise<void> {
  await database.db.delete(authThrottle).where(sql`${authThrottle.resetAt} < now()`);
}
