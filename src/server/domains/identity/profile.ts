import { eq, sql } from "drizzle-orm";
import * as OTPAuth from "otpauth";
import { withTenant, type Database } from "../../db/client.js";
import type { Ctx } from "../../lib/context.js";
import { invalid, unauthenticated } from "../../lib/errors.js";
import { recordEvent, type EventInput } from "../../lib/events.js";
import type { Locale } from "../../lib/i18n.js";
import { listUserWorkspaces } from "../workspaces/workspaces.js";
import { forgetCredentials } from "./authenticate.js";
import { verifyTotp } from "./login.js";
import { checkPasswordStrength, hashPassword, verifyPassword } from "./passwords.js";
import { sessions, users } from "./schema.js";
import { getUserById, type UserRow } from "./users.js";

/**
 * A user's account is shared by their workspaces, so a change to it is
 * written to the event log of each of them.
 */
export async function recordUserEvent(database: Database, ctx: Ctx, userId: string, input: EventInput): Promise<void> {
  for (const ws of await listUserWorkspaces(database, userId)) {
    await withTenant(database, { tenantId: ws.id, userId: ctx.userId }, (tx) => recordEvent(tx, { ...ctx, tenantId: ws.id }, input));
  }
}

function me(ctx: Ctx): string {
  if (!ctx.userId) throw unauthenticated();
  return ctx.userId;
}

async function updateUser(ctx: Ctx, values: Partial<typeof users.$inferInsert>, action: string): Promise<UserRow> {
  const userId = me(ctx);
  const before = await getUserById(ctx.database, userId);
  const [after] = await ctx.database.db
    .update(users)
    .set({ ...values, updatedAt: new Date(), version: sql`${users.version} + 1` })
    .where(eq(users.id, userId))
    .returning();
  await recordUserEvent(ctx.database, ctx, userId, { action, objectType: "user", objectId: userId, before, after });
  forgetCredentials();
  return after!;
}

export async function updateProfile(ctx: Ctx, input: { name?: string; locale?: Locale }): Promise<UserRow> {
  return updateUser(ctx, { ...(input.name ? { name: input.name.trim() } : {}), ...(input.locale ? { locale: input.locale } : {}) }, "user.profile_updated");
}

/** Changes the password; every other session of the user ends. */
export async function changePassword(ctx: Ctx, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const user = await getUserById(ctx.database, me(ctx));
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw invalid("errors.wrong_password", {}, { field: "currentPassword" });
  }
  checkPasswordStrength(input.newPassword, user.email);
  await updateUser(ctx, { passwordHash: await hashPassword(input.newPassword) }, "user.password_changed");
  await ctx.database.db
    .delete(sessions)
    .where(sql`${sessions.userId} = ${user.id} and ${sessions.tokenHash} <> ${ctx.sessionId ?? ""}`);
}

/** Starts two-factor set-up: a new secret, stored encrypted, enabled only once a code from it is shown. */
export async function setUpTotp(ctx: Ctx): Promise<{ secret: string; otpauthUrl: string }> {
  const user = await getUserById(ctx.database, me(ctx));
  if (!user) throw unauthenticated();
  const secret = new OTPAuth.Secret({ size: 20 });
  const totp = new OTPAuth.TOTP({ issuer: "Guanxi", label: user.email, secret, digits: 6, period: 30, algorithm: "SHA1" });
  await ctx.database.db
    .update(users)
    .set({ totpSecret: ctx.services.cipher.encrypt(secret.base32), totpEnabled: false })
    .where(eq(users.id, user.id));
  return { secret: secret.base32, otpauthUrl: totp.toString() };
}

export async function enableTotp(ctx: Ctx, code: string): Promise<void> {
  const user = await getUserById(ctx.database, me(ctx));
  if (!user?.totpSecret) throw invalid("errors.totp_not_setup");
  if (!verifyTotp(ctx.services.cipher.decrypt(user.totpSecret), code)) throw invalid("errors.totp_invalid", {}, { field: "code" });
  await updateUser(ctx, { totpEnabled: true }, "user.totp_enabled");
}

export async function disableTotp(ctx: Ctx, password: string): Promise<void> {
  const user = await getUserById(ctx.database, me(ctx));
  if (!user || !(await verifyPassword(user.passwordHash, password))) throw invalid("errors.wrong_password", {}, { field: "password" });
  await updateUser(ctx, { totpEnabled: false, totpSecret: null }, "user.totp_disabled");
}
