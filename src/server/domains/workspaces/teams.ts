import { asc, eq, sql } from "drizzle-orm";
import { anyUuid } from "../../lib/listing.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { conflict, invalid, isUniqueViolation, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import type { Tx } from "../../db/client.js";
import { memberships, teamMembers, teams } from "./schema.js";

export interface TeamView {
  id: string;
  name: string;
  description: string;
  memberIds: string[];
  version: number;
}

async function membersOf(tx: Tx, teamIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(teamIds.map((id) => [id, []]));
  if (teamIds.length === 0) return map;
  const rows = await tx.select().from(teamMembers).where(anyUuid(teamMembers.teamId, teamIds));
  for (const r of rows) map.get(r.teamId)?.push(r.userId);
  return map;
}

const present = (t: typeof teams.$inferSelect, memberIds: string[]): TeamView => ({
  id: t.id,
  name: t.name,
  description: t.description,
  memberIds: [...memberIds].sort(),
  version: t.version,
});

export async function findTeams(ctx: Ctx): Promise<TeamView[]> {
  requireAccess(ctx, "team:read");
  return readTenant(ctx, async (tx) => {
    const rows = await tx.select().from(teams).orderBy(asc(teams.name));
    const members = await membersOf(
      tx,
      rows.map((r) => r.id),
    );
    return rows.map((r) => present(r, members.get(r.id) ?? []));
  });
}

export async function getTeam(ctx: Ctx, id: string): Promise<TeamView> {
  requireAccess(ctx, "team:read");
  return readTenant(ctx, async (tx) => {
    const [row] = await tx.select().from(teams).where(eq(teams.id, id));
    if (!row) throw notFound("team");
    return present(row, (await membersOf(tx, [id])).get(id) ?? []);
  });
}

/** Replaces a team's members; every id must be a member of the workspace. */
async function setMembers(tx: Tx, tenantId: string, teamId: string, userIds: string[]): Promise<void> {
  const unique = [...new Set(userIds)];
  if (unique.length > 0) {
    const found = await tx.select({ id: memberships.userId }).from(memberships).where(anyUuid(memberships.userId, unique));
    if (found.length !== unique.length) throw invalid("errors.not_found", { object: "user" }, { field: "memberIds" });
  }
  await tx.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
  if (unique.length > 0) await tx.insert(teamMembers).values(unique.map((userId) => ({ tenantId, teamId, userId })));
}

export interface TeamInput {
  name: string;
  description?: string;
  memberIds?: string[];
}

export async function createTeam(ctx: Ctx, input: TeamInput): Promise<TeamView> {
  requireAccess(ctx, "team:create");
  try {
    return await inTenant(ctx, async (tx) => {
      const [row] = await tx
        .insert(teams)
        .values({ tenantId: ctx.tenantId, name: input.name, description: input.description ?? "" })
        .returning();
      await setMembers(tx, ctx.tenantId, row!.id, input.memberIds ?? []);
      const view = present(row!, input.memberIds ?? []);
      await recordEvent(tx, ctx, { action: "team.created", objectType: "team", objectId: row!.id, after: { ...view } });
      return view;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("errors.name_taken", { field: "name" });
    throw err;
  }
}

export async function updateTeam(ctx: Ctx, id: string, version: ExpectedVersion, input: Partial<TeamInput>): Promise<TeamView> {
  requireAccess(ctx, "team:update");
  try {
    return await inTenant(ctx, async (tx) => {
      const [current] = await tx.select().from(teams).where(eq(teams.id, id)).for("update");
      checkVersion(current, version, "team");
      const before = present(current!, (await membersOf(tx, [id])).get(id) ?? []);
      const [row] = await tx
        .update(teams)
        .set({
          name: input.name ?? current!.name,
          description: input.description ?? current!.description,
          version: current!.version + 1,
          updatedAt: new Date(),
        })
        .where(eq(teams.id, id))
        .returning();
      if (input.memberIds) await setMembers(tx, ctx.tenantId, id, input.memberIds);
      const after = present(row!, input.memberIds ?? before.memberIds);
      await recordEvent(tx, ctx, { action: "team.updated", objectType: "team", objectId: id, before: { ...before }, after: { ...after } });
      return after;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("errors.name_taken", { field: "name" });
    throw err;
  }
}

export async function deleteTeam(ctx: Ctx, id: string): Promise<void> {
  requireAccess(ctx, "team:delete");
  await inTenant(ctx, async (tx) => {
    const [current] = await tx.select().from(teams).where(eq(teams.id, id)).for("update");
    if (!current) throw notFound("team");
    await tx.delete(teams).where(eq(teams.id, id));
    await recordEvent(tx, ctx, { action: "team.deleted", objectType: "team", objectId: id, before: current });
  });
}

/** Team ids of each user, for presenting users. */
export async function teamIdsByUser(tx: Tx, userIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (userIds.length === 0) return map;
  const rows = await tx
    .select({ userId: teamMembers.userId, teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(anyUuid(teamMembers.userId, userIds))
    .orderBy(sql`${teamMembers.teamId}`);
  for (const r of rows) map.set(r.userId, [...(map.get(r.userId) ?? []), r.teamId]);
  return map;
}
