import type { FastifyRequest } from "fastify";
import { and, eq, isNull, sql } from "drizzle-orm";
import { withTenant, type Database } from "../../db/client.js";
import { scopeCovers } from "../../lib/access.js";
import type { Ctx } from "../../lib/context.js";
import { randomToken, sha256 } from "../../lib/crypto.js";
import { unauthenticated } from "../../lib/errors.js";
import { pickLocale, type Locale } from "../../lib/i18n.js";
import type { Services } from "../../lib/services.js";
import { loadAccess } from "../workspaces/access.js";
import { apiTokens, users } from "./schema.js";
import { resolveSession, SESSION_COOKIE } from "./sessions.js";

/**
 * API tokens read "gx_" + base64url(workspace uuid bytes + 32 random bytes):
 * the workspace part lets the lookup run under that tenant's row security.
 */
export function mintApiToken(tenantId: string): string {
  const tenant = Buffer.from(tenantId.replace(/-/g, ""), "hex");
  return `gx_${Buffer.concat([tenant, Buffer.from(randomToken(32), "base64url")]).toString("base64url")}`;
}

function tenantOfApiToken(token: string): string | undefined {
  if (!token.startsWith("gx_")) return undefined;
  const raw = Buffer.from(token.slice(3), "base64url");
  if (raw.length !== 48) return undefined;
  const hex = raw.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

interface Principal {
  userId: string;
  tenantId: string;
  userLocale: string;
  actorType: "user" | "api_token";
  permissions: Set<string>;
  roleKey: string;
  visibility: Ctx["visibility"];
  departmentId: string | null;
  tokenId: string | null;
  sessionId: string | null;
}

/**
 * A few seconds of memory for resolved credentials: most requests then need
 * no extra queries. Logout clears it at once in this process; role changes
 * reach every process within CACHE_MS.
 */
const CACHE_MS = 3_000;
const cache = new Map<string, { until: number; principal: Principal }>();

export function forgetCredentials(key?: string): void {
  if (key) cache.delete(key);
  else cache.clear();
}

async function fromSession(database: Database, token: string): Promise<Principal | undefined> {
  const session = await resolveSession(database, token);
  if (!session) return undefined;
  const access = await loadAccess(database, session.workspaceId, session.userId);
  if (!access) return undefined;
  return {
    userId: session.userId,
    tenantId: session.workspaceId,
    userLocale: session.locale,
    actorType: "user",
    permissions: new Set(access.permissions),
    roleKey: access.roleKey,
    visibility: access.visibility,
    departmentId: access.departmentId,
    tokenId: null,
    sessionId: session.tokenHash,
  };
}

async function fromApiToken(database: Database, token: string): Promise<Principal | undefined> {
  const tenantId = tenantOfApiToken(token);
  if (!tenantId) return undefined;
  const hash = sha256(token);
  const [row] = await withTenant(database, { tenantId }, (tx) =>
    tx
      .update(apiTokens)
      .set({ lastUsedAt: new Date() })
      .where(
        and(
          eq(apiTokens.tokenHash, hash),
          isNull(apiTokens.revokedAt),
          sql`(${apiTokens.expiresAt} is null or ${apiTokens.expiresAt} > now())`,
        ),
      )
      .returning({ id: apiTokens.id, userId: apiTokens.userId, scopes: apiTokens.scopes }),
  );
  if (!row) return undefined;
  const access = await loadAccess(database, tenantId, row.userId);
  if (!access) return undefined;
  const [user] = await database.db.select({ locale: users.locale }).from(users).where(eq(users.id, row.userId));
  return {
    userId: row.userId,
    tenantId,
    userLocale: user?.locale ?? "zh-CN",
    actorType: "api_token",
    // A token never exceeds its owner's current role.
    permissions: new Set(access.permissions.filter((p) => row.scopes.some((s) => scopeCovers(s, p)))),
    roleKey: access.roleKey,
    visibility: access.visibility,
    departmentId: access.departmentId,
    tokenId: row.id,
    sessionId: null,
  };
}

export function requestLocale(req: FastifyRequest, userLocale?: string): Locale {
  const fallback: Locale = userLocale === "en-US" ? "en-US" : "zh-CN";
  return pickLocale(req.headers["accept-language"], fallback);
}

/** Builds the request's context from its session cookie or bearer token; throws UNAUTHENTICATED. */
export async function authenticate(req: FastifyRequest, database: Database, services: Services): Promise<Ctx> {
  const header = req.headers.authorization;
  let principal: Principal | undefined;
  let key: string;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw unauthenticated("errors.invalid_token");
    key = `t:${m[1]}`;
    principal = cache.get(key)?.principal;
    if (!principal || (cache.get(key)?.until ?? 0) < Date.now()) {
      principal = await fromApiToken(database, m[1]!);
      if (!principal) throw unauthenticated("errors.invalid_token");
    }
  } else {
    const cookie = req.cookies[SESSION_COOKIE];
    if (!cookie) throw unauthenticated();
    key = `s:${cookie}`;
    const hit = cache.get(key);
    principal = hit && hit.until > Date.now() ? hit.principal : await fromSession(database, cookie);
    if (!principal) throw unauthenticated();
  }
  if (cache.size > 10_000) cache.clear();
  if (!cache.get(key) || cache.get(key)!.until < Date.now()) cache.set(key, { until: Date.now() + CACHE_MS, principal });

  return {
    database,
    services,
    tenantId: principal.tenantId,
    userId: principal.userId,
    actorType: principal.actorType,
    permissions: principal.permissions,
    roleKey: principal.roleKey,
    visibility: principal.visibility,
    departmentId: principal.departmentId,
    tokenId: principal.tokenId,
    sessionId: principal.sessionId,
    requestId: req.id,
    ip: req.ip,
    userAgent: req.headers["user-agent"]?.slice(0, 500) ?? null,
    locale: requestLocale(req, principal.userLocale),
  };
}
