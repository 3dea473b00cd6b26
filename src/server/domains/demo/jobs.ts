import { eq } from "drizzle-orm";
import { inTenant } from "../../lib/context.js";
import { defineJob } from "../../lib/jobs.js";
import { departments, memberships, roles, teams } from "../workspaces/schema.js";
import { createDepartment, createMember, createTeam, findTeams, updateTeam } from "../workspaces/index.js";
import { users } from "../identity/schema.js";
import { createRng, DEMO_DEPARTMENTS, DEMO_STAFF, DEMO_TEAMS, fakePerson } from "./demo-data.js";

export const DEMO_JOB = "demo_fill";

/**
 * Fills a workspace with an organisation: departments, teams and staff with
 * Chinese and English names. Idempotent (it skips what exists), so a retry
 * after a crash completes the set without duplicates. Later domains extend it.
 */
defineJob(DEMO_JOB, async ({ ctx, tenantId, input }, tools) => {
  const zh = input.locale !== "en-US";
  const rng = createRng(Number(input.seed ?? 2026));
  const total = DEMO_DEPARTMENTS.length + DEMO_TEAMS.length + DEMO_STAFF.length;
  let done = 0;
  const step = async () => tools.progress(++done, total);

  const existingDepts = await inTenant(ctx, (tx) => tx.select().from(departments));
  const deptIds: Record<string, string> = {};
  for (const d of DEMO_DEPARTMENTS) {
    const name = zh ? d.zh : d.en;
    const found = existingDepts.find((e) => e.name === name);
    deptIds[d.key] = found ? found.id : (await createDepartment(ctx, { name, parentId: d.parent ? deptIds[d.parent] : null })).id;
    await step();
  }

  const roleRows = await inTenant(ctx, (tx) => tx.select({ id: roles.id, key: roles.key }).from(roles));
  const roleIds = Object.fromEntries(roleRows.map((r) => [r.key, r.id]));
  const domain = `demo-${tenantId.slice(0, 8)}.example.com`;
  const staffIds: { id: string; dept: string }[] = [];
  for (const [i, s] of DEMO_STAFF.entries()) {
    const person = fakePerson(rng, i + 1, domain);
    const [existing] = await ctx.database.db.select({ id: users.id }).from(users).where(eq(users.email, person.email));
    const member = existing
      ? await inTenant(ctx, (tx) => tx.select({ id: memberships.userId }).from(memberships).where(eq(memberships.userId, existing.id)))
      : [];
    const id = member[0]
      ? member[0].id
      : (await createMember(ctx, { email: person.email, name: person.name, roleId: roleIds[s.role]!, departmentId: deptIds[s.dept] ?? null, invite: false })).id;
    staffIds.push({ id, dept: s.dept });
    await step();
  }

  const existingTeams = await inTenant(ctx, (tx) => tx.select({ id: teams.id, name: teams.name }).from(teams));
  for (const t of DEMO_TEAMS) {
    const name = zh ? t.zh : t.en;
    const memberIds = staffIds.filter((s) => t.members.includes(s.dept)).map((s) => s.id);
    const found = existingTeams.find((e) => e.name === name);
    if (!found) await createTeam(ctx, { name, memberIds });
    else {
      const current = (await findTeams(ctx)).find((x) => x.id === found.id)!;
      await updateTeam(ctx, found.id, current.version, { memberIds });
    }
    await step();
  }
  await tools.progress(total, total, true);
  return { departments: DEMO_DEPARTMENTS.length, teams: DEMO_TEAMS.length, users: DEMO_STAFF.length };
});
