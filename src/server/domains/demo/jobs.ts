import { eq } from "drizzle-orm";
import { inTenant } from "../../lib/context.js";
import { defineJob } from "../../lib/jobs.js";
import { departments, memberships, roles, teams } from "../workspaces/schema.js";
import { createDepartment, createMember, createTeam, findTeams, updateTeam } from "../workspaces/index.js";
import { users } from "../identity/schema.js";
import { createRng, DEMO_DEPARTMENTS, DEMO_STAFF, DEMO_TEAMS, fakePerson, type Rng } from "./demo-data.js";
import type { Ctx } from "../../lib/context.js";
import { createContact } from "../customers/contacts.js";
import { createCustomer } from "../customers/customers.js";
import { contacts as contactsTable, customerContacts, customers as customersTable } from "../customers/schema.js";
import { createActivity } from "../timeline/activities.js";
import { activities } from "../timeline/schema.js";
import {
  fakeAddress,
  fakeChinesePerson,
  fakeCompany,
  fakeCreditCode,
  fakeDepartment,
  fakeEmail,
  fakeEnglishPerson,
  fakeLandline,
  fakeMobile,
  fakeTitle,
  LIFECYCLE_WEIGHTS,
  SOURCES,
  TAGS,
} from "./fake-customers.js";

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
  const customers = await fillCustomers(ctx, createRng(Number(input.seed ?? 2026) + 1), staffIds, zh, async (n) => tools.progress(done + n, total + DEMO_CUSTOMERS));
  await tools.progress(total + DEMO_CUSTOMERS, total + DEMO_CUSTOMERS, true);
  return { departments: DEMO_DEPARTMENTS.length, teams: DEMO_TEAMS.length, users: DEMO_STAFF.length, customers };
});

const DEMO_CUSTOMERS = 48;

/**
 * Customers with contacts, a timeline and a few in the public pool, through
 * the same services as the API (validation, numbering, search index,
 * events). Generated in full from the seed first, then only the missing ones
 * are created, so a retry after a crash adds nothing twice.
 */
async function fillCustomers(ctx: Ctx, rng: Rng, staff: { id: string; dept: string }[], zh: boolean, progress: (n: number) => Promise<void>): Promise<number> {
  const reps = staff.filter((_, i) => DEMO_STAFF[i]?.role === "sales").map((s) => s.id);
  const owners = reps.length ? reps : staff.map((s) => s.id);
  const plans = Array.from({ length: DEMO_CUSTOMERS }, (_, i) => {
    const individual = i % 6 === 5;
    const english = !zh ? rng.next() < 0.7 : rng.next() < 0.15;
    const company = fakeCompany(rng, english);
    const place = fakeAddress(rng, company.city);
    const person = english ? fakeEnglishPerson(rng) : fakeChinesePerson(rng);
    const inPool = i % 8 === 3;
    const contacts = individual
      ? []
      : Array.from({ length: rng.int(1, 3) }, (_, k) => {
          const p = english ? fakeEnglishPerson(rng) : fakeChinesePerson(rng);
          return {
            name: p.name,
            gender: p.gender,
            title: fakeTitle(rng, english),
            department: fakeDepartment(rng, english),
            phones: [{ label: "mobile" as const, number: fakeMobile(rng) }],
            emails: [{ label: "work" as const, address: fakeEmail(rng, p, company.domain) }],
            role: (["decision_maker", "influencer", "user"] as const)[k % 3]!,
          };
        });
    const visits = Array.from({ length: rng.int(0, 3) }, () => ({
      kind: (["call", "visit", "meeting", "email", "im"] as const)[rng.int(0, 4)]!,
      daysAgo: rng.int(1, 90),
      cost: rng.next() < 0.4 ? `${rng.int(50, 3000)}.00` : null,
    }));
    return {
      body: {
        kind: individual ? ("individual" as const) : ("organization" as const),
        name: individual ? person.name : company.name,
        shortName: individual ? "" : company.shortName,
        industry: company.industry,
        source: SOURCES(rng),
        lifecycleStage: LIFECYCLE_WEIGHTS(rng),
        tags: rng.next() < 0.5 ? [TAGS[rng.int(0, TAGS.length - 1)]!] : [],
        ownerId: inPool ? null : owners[i % owners.length]!,
        phones: [{ label: individual ? ("mobile" as const) : ("work" as const), number: individual ? fakeMobile(rng) : fakeLandline(rng, company.city) }],
        emails: individual ? [{ label: "personal" as const, address: fakeEmail(rng, person, null) }] : [],
        // Written as people write it; the server reads province, city and district from it.
        address: `${company.city.name}${place.address}`,
        creditCode: individual || english ? undefined : fakeCreditCode(rng, place.districtCode),
        creditLimit: individual ? null : `${rng.int(1, 50) * 10000}.00`,
        cooperationSince: `${rng.int(2012, 2025)}-${String(rng.int(1, 12)).padStart(2, "0")}-01`,
        allowDuplicate: true,
      },
      contacts,
      visits,
    };
  });
  const existing = new Map((await inTenant(ctx, (tx) => tx.select({ id: customersTable.id, name: customersTable.name }).from(customersTable))).map((r) => [r.name, r.id]));
  let created = 0;
  for (const [i, plan] of plans.entries()) {
    // The rep does the work: their customers, contacts and visits are theirs.
    const actor = { ...ctx, userId: plan.body.ownerId ?? ctx.userId };
    let customerId = existing.get(plan.body.name);
    if (!customerId) {
      customerId = (await createCustomer(actor, plan.body)).id;
      existing.set(plan.body.name, customerId);
      created++;
    }
    // What an interrupted earlier attempt already made of this customer is not made again.
    const id = customerId;
    const [haveContacts, haveVisits] = await inTenant(ctx, async (tx) => [
      new Set((await tx.select({ name: contactsTable.name }).from(customerContacts).innerJoin(contactsTable, eq(contactsTable.id, customerContacts.contactId)).where(eq(customerContacts.customerId, id))).map((r) => r.name)),
      (await tx.select({ id: activities.id }).from(activities).where(eq(activities.customerId, id))).length,
    ] as const);
    for (const c of plan.contacts) {
      if (haveContacts.has(c.name)) continue;
      const { role, ...contact } = c;
      await createContact(actor, { ...contact, customers: [{ customerId: id, role, isPrimary: role === "decision_maker" }], allowDuplicate: true });
    }
    for (const v of plan.visits.slice(haveVisits)) {
      await createActivity(actor, {
        customerId: id,
        kind: v.kind,
        occurredAt: new Date(Date.now() - v.daysAgo * 86_400_000),
        summary: zh ? "沟通了需求和报价，客户有兴趣。" : "Discussed needs and pricing; the customer is interested.",
        costAmount: v.cost,
      });
    }
    await progress(i + 1);
  }
  return created;
}
