import { and, asc, eq, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Tx } from "../../db/client.js";
import { requireAccess } from "../../lib/access.js";
import { inTenant, readTenant, type Ctx } from "../../lib/context.js";
import { invalid, notFound } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { anyUuid } from "../../lib/listing.js";
import { checkVersion, type ExpectedVersion } from "../../lib/versioning.js";
import { checkRegion } from "../customers/index.js";
import { memberships } from "../workspaces/schema.js";
import type { RuleCreateInput, RuleUpdateInput } from "./contracts.js";
import { leadAssignmentRules as rules } from "./schema.js";

type RuleRow = typeof rules.$inferSelect;
export type RuleView = Omit<RuleRow, "tenantId">;
const present = ({ tenantId: _t, ...rest }: RuleRow): RuleView => rest;

/** The active members among `ids`. */
async function activeMembers(tx: Tx, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await tx
    .select({ id: memberships.userId })
    .from(memberships)
    .where(and(anyUuid(memberships.userId, ids), eq(memberships.status, "active")));
  return new Set(rows.map((r) => r.id));
}

/** A rule matches when each of its lists is empty or holds the lead's value. */
function matching(lead: { provinceCode: string | null; productLine: string; source: string }) {
  const oneOf = (list: AnyPgColumn, value: string | null) => sql`(cardinality(${list}) = 0 or ${value}::text = any(${list}))`;
  return and(eq(rules.active, true), oneOf(rules.provinceCodes, lead.provinceCode), oneOf(rules.productLines, lead.productLine), oneOf(rules.sources, lead.source));
}

/**
 * The owner the assignment rules give a new lead: the first matching rule
 * (by position) hands it to its next active user in turn. The turn is
 * read and advanced with the rule row locked, so concurrent creates take
 * turns exactly. A rule whose users are all gone is passed over. Null: no
 * rule matches — the lead goes to the pool.
 */
export async function pickByRules(tx: Tx, lead: { provinceCode: string | null; productLine: string; source: string }): Promise<{ userId: string; rule: { id: string; name: string } } | null> {
  const candidates = await tx.select({ id: rules.id }).from(rules).where(matching(lead)).orderBy(asc(rules.position), asc(rules.createdAt), asc(rules.id));
  for (const { id } of candidates) {
    // Re-read under the lock: the turn another transaction just took is seen, and a rule changed meanwhile is checked again.
    const [rule] = await tx
      .select()
      .from(rules)
      .where(and(eq(rules.id, id), matching(lead)))
      .for("update");
    if (!rule || rule.userIds.length === 0) continue;
    const active = await activeMembers(tx, rule.userIds);
    const n = rule.userIds.length;
    for (let k = 0; k < n; k++) {
      const index = (rule.nextIndex + k) % n;
      const userId = rule.userIds[index]!;
      if (!active.has(userId)) continue;
      await tx
        .update(rules)
        .set({ nextIndex: (index + 1) % n })
        .where(eq(rules.id, id));
      return { userId, rule: { id: rule.id, name: rule.name } };
    }
  }
  return null;
}

async function checkRule(tx: Tx, input: RuleUpdateInput): Promise<void> {
  for (const [i, code] of (input.provinceCodes ?? []).entries()) checkRegion(code, undefined, undefined, `provinceCodes.${i}`);
  if (input.userIds) {
    const unique = [...new Set(input.userIds)];
    if (unique.length !== input.userIds.length) throw invalid("errors.validation", {}, { field: "userIds", reason: "repeated" });
    const active = await activeMembers(tx, unique);
    if (active.size !== unique.length) throw invalid("leads.rule_users_inactive", {}, { field: "userIds", inactive: unique.filter((u) => !active.has(u)) });
  }
}

export async function findRules(ctx: Ctx): Promise<RuleView[]> {
  requireAccess(ctx, "lead:read");
  return readTenant(ctx, async (tx) => (await tx.select().from(rules).orderBy(asc(rules.position), asc(rules.createdAt), asc(rules.id))).map(present));
}

export async function createRule(ctx: Ctx, input: RuleCreateInput): Promise<RuleView> {
  requireAccess(ctx, "lead:manage");
  return inTenant(ctx, async (tx) => {
    await checkRule(tx, input);
    const [row] = await tx
      .insert(rules)
      .values({ ...input, tenantId: ctx.tenantId })
      .returning();
    await recordEvent(tx, ctx, { action: "lead_assignment_rule.created", objectType: "lead_assignment_rule", objectId: row!.id, after: present(row!) });
    return present(row!);
  });
}

export async function updateRule(ctx: Ctx, id: string, version: ExpectedVersion, input: RuleUpdateInput): Promise<RuleView> {
  requireAccess(ctx, "lead:manage");
  return inTenant(ctx, async (tx) => {
    const [found] = await tx.select().from(rules).where(eq(rules.id, id)).for("update");
    const current = checkVersion(found, version, "lead_assignment_rule");
    await checkRule(tx, input);
    // New users start a new round from the first of them.
    const nextIndex = input.userIds ? 0 : current.nextIndex;
    const [row] = await tx
      .update(rules)
      .set({ ...input, nextIndex, version: current.version + 1, updatedAt: new Date() })
      .where(eq(rules.id, id))
      .returning();
    await recordEvent(tx, ctx, { action: "lead_assignment_rule.updated", objectType: "lead_assignment_rule", objectId: id, before: present(current), after: present(row!) });
    return present(row!);
  });
}

export async function deleteRule(ctx: Ctx, id: string): Promise<void> {
  requireAccess(ctx, "lead:manage");
  await inTenant(ctx, async (tx) => {
    const [row] = await tx.delete(rules).where(eq(rules.id, id)).returning();
    if (!row) throw notFound("lead_assignment_rule");
    await recordEvent(tx, ctx, { action: "lead_assignment_rule.deleted", objectType: "lead_assignment_rule", objectId: id, before: present(row) });
  });
}

