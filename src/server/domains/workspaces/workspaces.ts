import { asc, eq, sql } from "drizzle-orm";
import { withTenant, withUserScope, type Database } from "../../db/client.js";
import { allPermissions, requireAccess } from "../../lib/access.js";
import { systemCtx, type Ctx } from "../../lib/context.js";
import { conflict } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { serverZone } from "../../lib/calendar.js";
import type { Locale } from "../../lib/i18n.js";
import type { Services } from "../../lib/services.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { createUser } from "../identity/users.js";
import { seedSystemRoles } from "./roles.js";
import { memberships, workspaces } from "./schema.js";

export interface WorkspaceView {
  id: string;
  name: string;
  defaultLocale: Locale;
  /** The business calendar's zone as set; null: the server's. */
  timeZone: string | null;
  /** The zone in force: `timeZone`, or the server's. */
  effectiveTimeZone: string;
  /** The server's zone (TZ), which a workspace without its own follows. */
  serverTimeZone: string;
  version: number;
}

const present = (w: typeof workspaces.$inferSelect): WorkspaceView => ({
  id: w.id,
  name: w.name,
  defaultLocale: w.defaultLocale === "en-US" ? "en-US" : "zh-CN",
  timeZone: w.timeZone,
  effectiveTimeZone: w.timeZone ?? serverZone(),
  serverTimeZone: serverZone(),
  version: w.version,
});

/** Creates a workspace with its system roles and the given user as owner. */
export async function createWorkspace(
  database: Database,
  services: Services,
  input: { name: string; ownerId: string; defaultLocale: Locale; actor?: Ctx },
): Promise<WorkspaceView> {
  const [ws] = await database.db
    .insert(workspaces)
    .values({ name: input.name.trim(), defaultLocale: input.defaultLocale })
    .returning();
  const workspace = ws!;
  const ctx = {
    ...systemCtx(database, services, workspace.id, allPermissions(), input.ownerId),
    ...(input.actor ? { requestId: input.actor.requestId, ip: input.actor.ip, userAgent: input.actor.userAgent, actorType: input.actor.actorType } : {}),
  };
  await withTenant(database, { tenantId: workspace.id, userId: input.ownerId }, async (tx) => {
    const roleIds = await seedSystemRoles(tx, workspace.id);
    await tx.insert(memberships).values({ tenantId: workspace.id, userId: input.ownerId, roleId: roleIds.owner! });
    await recordEvent(tx, ctx, { action: "workspace.created", objectType: "workspace", objectId: workspace.id, after: workspace });
    await recordEvent(tx, ctx, {
      action: "user.created",
      objectType: "user",
      objectId: input.ownerId,
      after: { roleKey: "owner" },
      data: { reason: "workspace_owner" },
    });
  });
  return present(workspace);
}

// Serialises first-run set-up: two browsers racing get one workspace.
const SETUP_LOCK = 7_361_003;

export async function needsSetup(database: Database): Promise<boolean> {
  const [row] = await database.db.select({ n: sql<number>`count(*)` }).from(workspaces);
  return (row?.n ?? 0) === 0;
}

/** First run: the first workspace and its owner. Refused once any workspace exists. */
export async function setUp(
  database: Database,
  services: Services,
  input: { workspaceName: string; name: string; email: string; password: string; locale: Locale },
): Promise<{ workspace: WorkspaceView; userId: string }> {
  const client = await database.pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [SETUP_LOCK]);
    if (!(await needsSetup(database))) throw conflict("errors.already_set_up");
    const user = await createUser(database, { email: input.email, name: input.name, password: input.password, locale: input.locale });
    const workspace = await createWorkspace(database, services, {
      name: input.workspaceName,
      ownerId: user.id,
      defaultLocale: input.locale,
    });
    return { workspace, userId: user.id };
  } finally {
    await client.query("select pg_advisory_unlock($1)", [SETUP_LOCK]).catch(() => undefined);
    client.release();
  }
}

/** The workspaces a user belongs to (any status but disabled), oldest first. */
export async function listUserWorkspaces(database: Database, userId: string): Promise<{ id: string; name: string }[]> {
  return withUserScope(database, userId, (tx) =>
    tx
      .select({ id: workspaces.id, name: workspaces.name })
      .from(memberships)
      .innerJoin(workspaces, eq(workspaces.id, memberships.tenantId))
      .where(sql`${memberships.userId} = ${userId} and ${memberships.status} = 'active'`)
      .orderBy(asc(memberships.createdAt)),
    "read",
  );
}

export async function firstWorkspaceOf(database: Database, userId: string): Promise<string | undefined> {
  return (await listUserWorkspaces(database, userId))[0]?.id;
}

export async function getWorkspace(ctx: Ctx): Promise<WorkspaceView> {
  const [row] = await ctx.database.db.select().from(workspaces).where(eq(workspaces.id, ctx.tenantId));
  return present(row!);
}

export async function updateWorkspace(
  ctx: Ctx,
  version: ExpectedVersion,
  input: { name?: string; defaultLocale?: Locale; timeZone?: string | null },
): Promise<WorkspaceView> {
  requireAccess(ctx, "workspace:update");
  return withTenant(ctx.database, ctx, async (tx) => {
    const [current] = await tx.select().from(workspaces).where(eq(workspaces.id, ctx.tenantId)).for("update");
    checkVersion(current, version, "workspace");
    const [row] = await tx
      .update(workspaces)
      .set({
        name: input.name?.trim() ?? current!.name,
        defaultLocale: input.defaultLocale ?? current!.defaultLocale,
        timeZone: input.timeZone === undefined ? current!.timeZone : input.timeZone,
        version: current!.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(workspaces.id, ctx.tenantId))
      .returning();
    await recordEvent(tx, ctx, { action: "workspace.updated", objectType: "workspace", objectId: ctx.tenantId, before: current, after: row });
    return present(row!);
  });
}
