import { withTenant, type Database, type Tx } from "../db/client.js";
import type { Locale } from "./i18n.js";
import type { Services } from "./services.js";

export type Visibility = "own" | "team" | "department" | "all";

/** Who is acting, in which workspace, with what rights: built once per request (lib/auth.ts). */
export interface Ctx {
  database: Database;
  services: Services;
  tenantId: string;
  userId: string | null;
  actorType: "user" | "api_token" | "system";
  /** Effective permissions: the role's, narrowed by an API token's scopes. */
  permissions: ReadonlySet<string>;
  roleKey: string;
  visibility: Visibility;
  departmentId: string | null;
  tokenId: string | null;
  sessionId: string | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  locale: Locale;
}

/** Runs `fn` in a transaction scoped to the context's tenant (row-level security). */
export function inTenant<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withTenant(ctx.database, { tenantId: ctx.tenantId, userId: ctx.userId }, fn);
}

/** `fn` in the caller's transaction when there is one (an import writes many records and its own rows in one), else in a new one. */
export function inTenantOr<T>(ctx: Ctx, tx: Tx | undefined, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return tx ? fn(tx) : inTenant(ctx, fn);
}

/** Reads scoped to the context's tenant: no transaction, and any write inside fails. */
export function readTenant<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withTenant(ctx.database, { tenantId: ctx.tenantId, userId: ctx.userId }, fn, "read");
}

/** A context for work done by Guanxi itself (setup, CLI, jobs) with every permission. */
export function systemCtx(
  database: Database,
  services: Services,
  tenantId: string,
  permissions: Iterable<string>,
  userId: string | null = null,
): Ctx {
  return {
    database,
    services,
    tenantId,
    userId,
    actorType: "system",
    permissions: new Set(permissions),
    roleKey: "owner",
    visibility: "all",
    departmentId: null,
    tokenId: null,
    sessionId: null,
    requestId: null,
    ip: null,
    userAgent: null,
    locale: "zh-CN",
  };
}
