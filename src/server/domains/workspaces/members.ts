import { and, eq, ilike, inArray, ne, or, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { conflict, forbidden, invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { SYSTEM_ROLE_NAMES, translate, type Locale } from "../../lib/i18n.js";
import { defineListing, likeEscape, type ListQuery, type Page } from "../../lib/listing.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { users } from "../identity/schema.js";
import { checkPasswordStrength, createUser, findUserByEmail, hashPassword, issuePasswordResetLink } from "../identity/index.js";
import { departments, memberships, roles, workspaces } from "./schema.js";
import { teamIdsByUser } from "./teams.js";

export interface MemberView {
  id: string;
  email: string;
  name: string;
  locale: string;
  roleId: string;
  roleKey: string;
  roleName: string;
  departmentId: string | null;
  teamIds: string[];
  status: "active" | "disabled";
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

const memberColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  locale: users.locale,
  roleId: memberships.roleId,
  roleKey: roles.key,
  roleCustomName: roles.name,
  roleIsSystem: roles.isSystem,
  departmentId: memberships.departmentId,
  status: memberships.status,
  createdAt: memberships.createdAt,
  updatedAt: memberships.updatedAt,
  version: memberships.version,
};

const listing = defineListing({
  id: users.id,
  defaultSort: "name",
  fields: {
    name: { column: users.name, type: "text", sort: true, filter: true },
    email: { column: users.email, type: "text", sort: true, filter: true },
    createdAt: { column: memberships.createdAt, type: "date", sort: true, filter: true },
    status: { column: memberships.status, type: "enum", filter: true, values: ["active", "disabled"] },
    roleId: { column: memberships.roleId, type: "uuid", filter: true },
    departmentId: { column: memberships.departmentId, type: "uuid", filter: true },
  },
});

function selectMembers(tx: Tx) {
  return tx
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(roles, and(eq(roles.tenantId, memberships.tenantId), eq(roles.id, memberships.roleId)));
}

type MemberRow = Awaited<ReturnType<typeof selectMembers>>[number];

function present(row: MemberRow, teamIds: string[], locale: Locale): MemberView {
  const { roleCustomName, roleIsSystem, ...rest } = row;
  return {
    ...rest,
    roleName: roleIsSystem ? (SYSTEM_ROLE_NAMES[row.roleKey]?.[locale] ?? roleCustomName) : roleCustomName,
    teamIds,
  };
}

async function presentAll(tx: Tx, rows: MemberRow[], locale: Locale): Promise<MemberView[]> {
  const teams = await teamIdsByUser(
    tx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => present(r, teams.get(r.id) ?? [], locale));
}

export async function findMembers(ctx: Ctx, query: ListQuery): Promise<Page<MemberView>> {
  requireAccess(ctx, "user:read");
  const q = query.q?.trim();
  const pattern = q ? `%${likeEscape(q)}%` : "";
  const search = q ? or(ilike(users.name, pattern), ilike(users.email, pattern)) : undefined;
  const built = listing.build(query, [search]);
  return readTenant(ctx, async (tx) => {
    const rows = await selectMembers(tx).where(built.where).orderBy(...built.orderBy).limit(built.fetch);
    const page = built.page(rows);
    return { items: await presentAll(tx, page.items, ctx.locale), nextCursor: page.nextCursor };
  });
}

/**
 * Display names of members, for any member: owners, collaborators and authors
 * appear on records everyone in the workspace reads, even without user:read.
 * Ids that are not members of the workspace are left out.
 */
export async function memberNames(ctx: Ctx, ids: string[]): Promise<{ id: string; name: string; status: "active" | "disabled" }[]> {
  if (ids.length === 0) return [];
  return readTenant(ctx, (tx) =>
    tx
      .select({ id: users.id, name: users.name, status: memberships.status })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(inArray(memberships.userId, ids))
      .orderBy(users.id),
  );
}

async function loadMember(tx: Tx, id: string, lock = false): Promise<MemberRow | undefined> {
  const q = selectMembers(tx).where(eq(memberships.userId, id));
  const [row] = lock ? await q.for("update", { of: memberships }) : await q;
  return row;
}

export async function getMember(ctx: Ctx, id: string): Promise<MemberView> {
  requireAccess(ctx, "user:read");
  return readTenant(ctx, async (tx) => {
    const row = await loadMember(tx, id);
    if (!row) throw notFound("user");
    return (await presentAll(tx, [row], ctx.locale))[0]!;
  });
}

async function checkRoleAndDepartment(tx: Tx, roleId: string | undefined, departmentId: string | null | undefined) {
  if (roleId) {
    const [r] = await tx.select({ id: roles.id }).from(roles).where(eq(roles.id, roleId));
    if (!r) throw invalid("errors.not_found", { object: "role" }, { field: "roleId" });
  }
  if (departmentId) {
    const [d] = await tx.select({ id: departments.id }).from(departments).where(eq(departments.id, departmentId));
    if (!d) throw invalid("errors.not_found", { object: "department" }, { field: "departmentId" });
  }
}

async function setTeams(tx: Tx, tenantId: string, userId: string, teamIds: string[]) {
  await tx.execute(sql`delete from team_members where user_id = ${userId}`);
  const unique = [...new Set(teamIds)];
  if (unique.length === 0) return;
  const found = await tx.execute<{ id: string }>(sql`select id from teams where id in ${unique}`);
  if (found.rows.length !== unique.length) throw invalid("errors.not_found", { object: "team" }, { field: "teamIds" });
  for (const teamId of unique) {
    await tx.execute(sql`insert into team_members (tenant_id, team_id, user_id) values (${tenantId}, ${teamId}, ${userId})`);
  }
}

export interface MemberCreateInput {
  email: string;
  name: string;
  password?: string;
  roleId: string;
  departmentId?: string | null;
  teamIds?: string[];
  /** E-mail a new account without password a link to choose one (default true). */
  invite?: boolean;
}

/**
 * Adds a person to the workspace: an existing Guanxi user joins with the
 * given role; a new one is created. Without a password, a new user gets an
 * e-mail with a link to choose one.
 */
export async function createMember(ctx: Ctx, input: MemberCreateInput): Promise<MemberView> {
  requireAccess(ctx, "user:create");
  if (input.password !== undefined) checkPasswordStrength(input.password, input.email);
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : undefined;
  // One transaction: a refused membership (unknown role, already a member) leaves no stray account.
  const { member, user, created } = await inTenant(ctx, async (tx) => {
    await checkRoleAndDepartment(tx, input.roleId, input.departmentId);
    const existing = await findUserByEmail(ctx.database, input.email, tx);
    const user =
      existing ??
      (await createUser(ctx.database, { email: input.email, name: input.name, passwordHash, locale: ctx.locale }, tx));
    const [dup] = await tx.select({ id: memberships.userId }).from(memberships).where(eq(memberships.userId, user.id));
    if (dup) throw conflict("errors.already_member", { field: "email" });
    await tx.insert(memberships).values({
      tenantId: ctx.tenantId,
      userId: user.id,
      roleId: input.roleId,
      departmentId: input.departmentId ?? null,
    });
    await setTeams(tx, ctx.tenantId, user.id, input.teamIds ?? []);
    const row = await loadMember(tx, user.id);
    const member = (await presentAll(tx, [row!], ctx.locale))[0]!;
    await recordEvent(tx, ctx, {
      action: "user.created",
      objectType: "user",
      objectId: user.id,
      after: { ...member },
      data: { newAccount: !existing },
    });
    return { member, user, created: !existing };
  });
  if (created && !input.password && input.invite !== false) {
    const [ws] = await ctx.database.db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, ctx.tenantId));
    await issuePasswordResetLink(ctx, user.id, {
      subject: translate(user.locale === "en-US" ? "en-US" : "zh-CN", "mail.welcome.subject", { workspace: ws?.name ?? "" }),
      inviteWorkspace: ws?.name ?? "",
    });
  }
  return member;
}

export interface MemberUpdateInput {
  name?: string;
  roleId?: string;
  departmentId?: string | null;
  teamIds?: string[];
  status?: "active" | "disabled";
}

/** A workspace must keep an active owner: refuse changes that would leave none. */
async function assertOtherOwner(tx: Tx, userId: string) {
  const [row] = await tx
    .select({ n: sql<number>`count(*)` })
    .from(memberships)
    .innerJoin(roles, and(eq(roles.tenantId, memberships.tenantId), eq(roles.id, memberships.roleId)))
    .where(and(eq(roles.key, "owner"), eq(memberships.status, "active"), ne(memberships.userId, userId)));
  if (!row || row.n === 0) throw conflict("errors.last_owner");
}

export async function updateMember(ctx: Ctx, id: string, version: ExpectedVersion, input: MemberUpdateInput): Promise<MemberView> {
  requireAccess(ctx, "user:update");
  return inTenant(ctx, async (tx) => {
    const current = checkVersion(await loadMember(tx, id, true), version, "user");
    const before = (await presentAll(tx, [current], ctx.locale))[0]!;
    await checkRoleAndDepartment(tx, input.roleId, input.departmentId);
    if (current.roleKey === "owner" && ((input.roleId && input.roleId !== current.roleId) || input.status === "disabled")) {
      await assertOtherOwner(tx, id);
    }
    if (input.roleId && input.roleId !== current.roleId) {
      // Only an owner may make someone an owner.
      const [target] = await tx.select({ key: roles.key }).from(roles).where(eq(roles.id, input.roleId));
      if (target?.key === "owner" && ctx.roleKey !== "owner") throw forbidden("user:grant_owner");
    }
    await tx
      .update(memberships)
      .set({
        roleId: input.roleId ?? current.roleId,
        departmentId: input.departmentId === undefined ? current.departmentId : input.departmentId,
        status: input.status ?? current.status,
        version: current.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(memberships.userId, id));
    if (input.name !== undefined && input.name !== current.name) {
      await tx.update(users).set({ name: input.name, updatedAt: new Date() }).where(eq(users.id, id));
    }
    if (input.teamIds) await setTeams(tx, ctx.tenantId, id, input.teamIds);
    if (input.status === "disabled") await tx.execute(sql`delete from sessions where user_id = ${id} and workspace_id = ${ctx.tenantId}`);
    const after = (await presentAll(tx, [(await loadMember(tx, id))!], ctx.locale))[0]!;
    await recordEvent(tx, ctx, { action: "user.updated", objectType: "user", objectId: id, before: { ...before }, after: { ...after } });
    return after;
  });
}

/** Removes a person from the workspace (their Guanxi account stays for other workspaces). */
export async function removeMember(ctx: Ctx, id: string): Promise<void> {
  requireAccess(ctx, "user:delete");
  if (id === ctx.userId) throw invalid("errors.self_remove");
  await inTenant(ctx, async (tx) => {
    const current = await loadMember(tx, id, true);
    if (!current) throw notFound("user");
    if (current.roleKey === "owner") await assertOtherOwner(tx, id);
    const before = (await presentAll(tx, [current], ctx.locale))[0]!;
    await tx.delete(memberships).where(eq(memberships.userId, id));
    await tx.execute(sql`delete from sessions where user_id = ${id} and workspace_id = ${ctx.tenantId}`);
    await tx.execute(sql`delete from api_tokens where user_id = ${id}`);
    await recordEvent(tx, ctx, { action: "user.removed", objectType: "user", objectId: id, before: { ...before } });
  });
}

