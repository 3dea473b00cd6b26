import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { Ctx } from "../../lib/context.js";
import { randomToken, sha256 } from "../../lib/crypto.js";
import { invalid } from "../../lib/errors.js";
import { translate, type Locale } from "../../lib/i18n.js";
import type { Services } from "../../lib/services.js";
import { checkPasswordStrength, hashPassword } from "./passwords.js";
import { passwordResets, sessions, users } from "./schema.js";
import { findUserByEmail, getUserById } from "./users.js";
import { forgetCredentials } from "./authenticate.js";
import { changeAccount } from "./profile.js";
import { systemCtx } from "../../lib/context.js";

const RESET_TTL_MS = 60 * 60 * 1000;

async function sendResetMail(
  database: Database,
  services: Services,
  userId: string,
  invite?: { subject: string; inviteWorkspace: string; inviter: string },
): Promise<void> {
  const user = await getUserById(database, userId);
  if (!user) return;
  const token = randomToken(32);
  await database.db.insert(passwordResets).values({
    tokenHash: sha256(token),
    userId,
    expiresAt: new Date(Date.now() + (invite ? 7 * 24 : 1) * RESET_TTL_MS),
  });
  const locale: Locale = user.locale === "en-US" ? "en-US" : "zh-CN";
  const link = `${services.config.publicUrl}/reset-password?token=${token}`;
  await services.mailer.send(
    invite
      ? {
          to: user.email,
          subject: invite.subject,
          text: translate(locale, "mail.welcome.body", { name: user.name, inviter: invite.inviter, workspace: invite.inviteWorkspace, link }),
        }
      : {
          to: user.email,
          subject: translate(locale, "mail.reset.subject"),
          text: translate(locale, "mail.reset.body", { name: user.name, link }),
        },
  );
}

/** Always succeeds from the caller's point of view, so it never reveals whether an e-mail is registered. */
export async function requestPasswordReset(database: Database, services: Services, email: string): Promise<void> {
  const user = await findUserByEmail(database, email);
  if (!user) return;
  // At most 3 open links per hour per user: the form cannot be used to flood an inbox.
  const [recent] = await database.db
    .select({ n: sql<number>`count(*)` })
    .from(passwordResets)
    .where(and(eq(passwordResets.userId, user.id), gt(passwordResets.createdAt, new Date(Date.now() - RESET_TTL_MS))));
  if ((recent?.n ?? 0) >= 3) return;
  await sendResetMail(database, services, user.id);
}

/** Invitation of a new member without a password: a longer-lived link to choose one. */
export async function issuePasswordResetLink(ctx: Ctx, userId: string, invite: { subject: string; inviteWorkspace: string }): Promise<void> {
  const inviter = ctx.userId ? ((await getUserById(ctx.database, ctx.userId))?.name ?? "") : "";
  await sendResetMail(ctx.database, ctx.services, userId, { ...invite, inviter });
}

/** Sets a new password from a reset link; every session of the user ends. */
export async function confirmPasswordReset(
  database: Database,
  services: Services,
  token: string,
  password: string,
  request: { requestId: string; ip: string; userAgent: string | null },
): Promise<void> {
  const tokenHash = sha256(token);
  const [reset] = await database.db
    .select()
    .from(passwordResets)
    .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, new Date())));
  if (!reset) throw invalid("errors.reset_token_invalid", {}, { field: "token" });
  const user = await getUserById(database, reset.userId);
  if (!user) throw invalid("errors.reset_token_invalid", {}, { field: "token" });
  checkPasswordStrength(password, user.email);
  const passwordHash = await hashPassword(password);
  const ctx = { ...systemCtx(database, services, "", [], user.id), actorType: "user" as const, ...request };
  await changeAccount(database, ctx, user.id, async (tx) => {
    const used = await tx
      .update(passwordResets)
      .set({ usedAt: new Date() })
      .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt)))
      .returning();
    if (used.length === 0) throw invalid("errors.reset_token_invalid", {}, { field: "token" });
    await tx
      .update(users)
      .set({ passwordHash, failedLogins: 0, lockedUntil: null, updatedAt: new Date(), version: sql`${users.version} + 1` })
      .where(eq(users.id, user.id));
    await tx.delete(sessions).where(eq(sessions.userId, user.id));
    return { result: undefined, event: { action: "user.password_reset", objectType: "user", objectId: user.id, data: { sessionsEnded: true } } };
  });
  forgetCredentials();
}
