import { and, eq, gt, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { Ctx } from "../../lib/context.js";
import { randomToken, sha256 } from "../../lib/crypto.js";
import { forbidden, notFound } from "../../lib/errors.js";
import { loadAccess } from "../workspaces/access.js";
import { sessions, users } from "./schema.js";

export const SESSION_COOKIE = "gx_session";

export interface SessionInfo {
  tokenHash: string;
  userId: string;
  workspaceId: string;
  locale: string;
}

/** Starts a session; returns the cookie value (only its hash is stored). */
export async function createSession(
  database: Database,
  input: { userId: string; workspaceId: string; ip: string | null; userAgent: string | null; days: number },
): Promise<string> {
  const token = randomToken(32);
  await database.db.insert(sessions).values({
    tokenHash: sha256(token),
    userId: input.userId,
    workspaceId: input.workspaceId,
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 500) ?? null,
    expiresAt: new Date(Date.now() + input.days * 86_400_000),
  });
  return token;
}

export async function resolveSession(database: Database, token: string): Promise<SessionInfo | undefined> {
  const tokenHash = sha256(token);
  const [row] = await database.db
    .select({ tokenHash: sessions.tokenHash, userId: sessions.userId, workspaceId: sessions.workspaceId, locale: users.locale, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, new Date())));
  if (!row) return undefined;
  // Touch at most once a minute: keeps "last seen" useful without a write per request.
  if (Date.now() - row.lastSeenAt.getTime() > 60_000) {
    await database.db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.tokenHash, tokenHash));
  }
  return { tokenHash: row.tokenHash, userId: row.userId, workspaceId: row.workspaceId, locale: row.locale };
}

export async function deleteSession(database: Database, tokenHash: string): Promise<void> {
  await database.db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteUserSessions(database: Database, userId: string, exceptTokenHash?: string): Promise<number> {
  const res = await database.db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), exceptTokenHash ? sql`${sessions.tokenHash} <> ${exceptTokenHash}` : undefined))
    .returning({ t: sessions.tokenHash });
  return res.length;
}

/** Points the session at another workspace the user is an active member of. */
export async function switchWorkspace(ctx: Ctx, workspaceId: string): Promise<void> {
  if (!ctx.sessionId || !ctx.userId) throw forbidden();
  if (!(await loadAccess(ctx.database, workspaceId, ctx.userId))) throw notFound("workspace");
  await ctx.database.db.update(sessions).set({ workspaceId }).where(eq(sessions.tokenHash, ctx.sessionId));
  await ctx.database.db.update(users).set({ lastWorkspaceId: workspaceId }).where(eq(users.id, ctx.userId));
}

export async function purgeExpiredSessions(database: Database): Promise<void> {
  await database.db.delete(sessions).where(sql`${sessions.expiresAt} < now()`);
}
