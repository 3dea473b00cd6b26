import { eq, sql } from "drizzle-orm";
import * as OTPAuth from "otpauth";
import { withUserScope, type Database, type Tx } from "../../db/client.js";
import type { Ctx } from "../../lib/context.js";
import { invalid, unauthenticated } from "../../lib/errors.js";
import { recordEvent, type EventInput } from "../../lib/events.js";
import type { Locale } from "../../lib/i18n.js";
import { memberships } from "../workspaces/schema.js";
import { forgetCredentials } from "./authenticate.js";
import { verifyTotp } from "./login.js";
import { checkPasswordStrength, hashPassword, verifyPassword } from "./passwords.js";
import { sessions, users } from "./schema.js";
import { getUserById, type UserRow } from "./users.js";

/**
 * Changes a user's account (a global row) and writes the event to the log of
 * each of their workspaces, all in one transaction: the transaction starts
 * scoped to the user (so it sees their memberships), then scopes itself to
 * each workspace in turn for that workspace's event.
 */
export async function changeAccount<T>(
  database: Database,
  ctx: Ctx,
  userId: string,
  change: (tx: Tx) => Promise<{ result: T; event: EventInput }>,
): Promise<T> {
  return withUserScope(database, userId, async (tx) => {
    const { result, event } = await change(tx);
    const workspaceIds = await tx.select({ id: memberships.tenantId }).from(memberships).where(eq(memberships.userId, userId));
    for (const { id } of workspaceIds) {
      await tx.execute(sql`select set_config('app.tenant_id', ${id}, true)`);
      await recordEvent(tx, { ...ctx, tenantId: id }, event);
    }
    await tx.execute(sql`select set_config('app.tenant_id', '', true)`);
    return result;
  });
}

function me(ctx: Ctx): string {
  if (!ctx.userId) throw unauthenticated();
  return ctx.userId;
}

async function updateUser(ctx: Ctx, values: Partial<typeof users.$inferInsert>, action: string): Promise<UserRow> {
  const userId = me(ctx);
  const after = await changeAccount(ctx.database, ctx, userId, async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
    const [row] = await tx
      .update(users)
      .set({ ...values, updatedAt: new Date(), version: sql`${users.version} + 1` })
      .where(eq(users.id, userId))
      .returning();
    return { result: row!, event: { action, objectType: "user", objectId: userId, before, after: row } };
  });
  forgetCredentials();
  return after;
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
