import { and, eq } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { serverZone } from "../../lib/calendar.js";
import type { Ctx } from "../../lib/context.js";
import { LOCALES, translate, type Locale } from "../../lib/i18n.js";
import { anyUuid } from "../../lib/listing.js";
import { users } from "../identity/schema.js";
import { memberships, workspaces } from "../workspaces/schema.js";
import { recordOf } from "./records.js";
import type { tasks } from "./schema.js";

type Row = typeof tasks.$inferSelect;

export interface Recipient {
  userId: string;
  email: string;
  name: string;
  locale: Locale;
}

/** How a run of e-mails went: failures are reported by the schedule after every workspace had its turn. */
export interface MailRun {
  sent: number;
  failed: unknown[];
}

/**
 * Who can be e-mailed among `userIds`: active members with an e-mail address,
 * in their own language (else the workspace's). There is no per-user opt-out
 * setting yet; it would be checked here.
 */
export async function recipients(tx: Tx, ctx: Ctx, userIds: string[]): Promise<{ people: Map<string, Recipient>; workspace: string; zone: string }> {
  const [ws] = await tx.select({ name: workspaces.name, locale: workspaces.defaultLocale, zone: workspaces.timeZone }).from(workspaces).where(eq(workspaces.id, ctx.tenantId));
  const fallback = asLocale(ws?.locale) ?? "zh-CN";
  const people = new Map<string, Recipient>();
  if (userIds.length) {
    const rows = await tx
      .select({ userId: users.id, email: users.email, name: users.name, locale: users.locale })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(anyUuid(memberships.userId, userIds), eq(memberships.status, "active")));
    for (const r of rows) if (r.email.trim()) people.set(r.userId, { ...r, locale: asLocale(r.locale) ?? fallback });
  }
  return { people, workspace: ws?.name ?? "", zone: ws?.zone ?? serverZone() };
}

const asLocale = (value: string | undefined): Locale | undefined => (LOCALES as readonly string[]).includes(value ?? "") ? (value as Locale) : undefined;

/** A date and time as the reader's language writes it, on the workspace's clocks (its time zone). */
export const formatWhen = (locale: Locale, d: Date, zone: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: zone }).format(d);
export const formatDay = (locale: Locale, d: Date, zone: string) => new Intl.DateTimeFormat(locale, { dateStyle: "full", timeZone: zone }).format(d);

/**
 * One line per task. User text (titles, record names) is appended, never
 * passed as a translation parameter: translate() would turn a title such as
 * "order" into the object's name.
 */
export function taskLine(locale: Locale, task: Row, labels: Map<string, string>, zone: string): string {
  const record = recordOf(task);
  const label = record.objectType ? labels.get(`${record.objectType}:${record.objectId}`) : undefined;
  const about = record.objectType && label ? ` · ${translate(locale, `objects.${record.objectType}`)} ${label}` : "";
  const priority = task.priority === "high" ? ` [${translate(locale, "tasks.mail.priority_high")}]` : "";
  return `- ${task.title}${priority} (${translate(locale, "tasks.mail.due", { when: formatWhen(locale, task.dueAt, zone) })})${about}`;
}

export const tasksLink = (ctx: Ctx) => `${ctx.services.config.publicUrl}/tasks`;
