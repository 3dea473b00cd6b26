import { and, eq, isNull, ne, sql } from "drizzle-orm";
import type { Tx } from "../../../db/client.js";
import { can, requireAccess, visibleOwnerCondition } from "../../../lib/access.js";
import { readTenant, type Ctx } from "../../../lib/context.js";
import { AppError } from "../../../lib/errors.js";
import { contacts, customerContacts } from "../../customers/schema.js";
import { contactVisible } from "../../customers/policy.js";
import { normalisePersonName } from "../../customers/text.js";
import { createActivity, updateActivity, type ActivityInput } from "../../timeline/activities.js";
import { ActivityCreateSchema } from "../../timeline/contracts.js";
import { activities } from "../../timeline/schema.js";
import { memberships } from "../../workspaces/schema.js";
import type { RowIssue } from "../rows.js";
import { importRows } from "../schema.js";
import { rowLoader, trasher } from "./records.js";
import { enumOf, type ImportObjectDef } from "./types.js";

/**
 * Timeline entries (visits, calls, meetings… with what they cost) through
 * the timeline services: on a customer named by code or name, optionally
 * with one of its contacts by name, written by the member the row names
 * (else the importer). Follow-up dates are not imported: they would make
 * tasks, reminders and overdue e-mails for interactions long past.
 */

const KIND_WORDS = {
  call: ["电话", "打电话", "来电", "去电", "通话", "电话沟通", "电话拜访", "phone", "phone call", "call"],
  visit: ["拜访", "上门", "走访", "上门拜访", "客户拜访", "实地拜访", "visit", "site visit"],
  meeting: ["会议", "会面", "见面", "开会", "面谈", "meeting"],
  email: ["邮件", "电子邮件", "发邮件", "email", "e-mail"],
  im: ["微信", "即时消息", "qq", "钉钉", "企业微信", "聊天", "im", "chat", "wechat", "message"],
  note: ["备注", "笔记", "记录", "其他", "note", "other"],
};
const KINDS = ["call", "visit", "meeting", "email", "im", "note"] as const;

/** A contact by name: among the customer's contacts when the row names a customer, else among the contacts the importer may see. */
async function findContact(ctx: Ctx, tx: Tx, name: string, customerId: string | undefined, column: string): Promise<{ id: string } | { issue: RowIssue }> {
  const rows = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(
      and(
        eq(contacts.nameKey, normalisePersonName(name)),
        isNull(contacts.deletedAt),
        customerId
          ? sql`exists (select 1 from ${customerContacts} where ${customerContacts.contactId} = ${contacts.id} and ${customerContacts.customerId} = ${customerId})`
          : contactVisible(ctx, contacts.ownerId, contacts.id),
      ),
    )
    .limit(2);
  if (rows.length === 1) return { id: rows[0]!.id };
  return { issue: { column, key: rows.length ? "import.contact_ambiguous" : "import.contact_not_found", params: { value: name } } };
}

/**
 * Undoing takes back entries the import created: deleting one's own entries is allowed to every author,
 * others' need activity:delete (as deleting them one by one would); restoring updated ones needs activity:update.
 */
async function checkUndo(ctx: Ctx, imp: { id: string }): Promise<void> {
  requireAccess(ctx, "activity:update");
  if (can(ctx, "activity:delete")) return;
  const [others] = await readTenant(ctx, (tx) =>
    tx
      .select({ id: activities.id })
      .from(importRows)
      .innerJoin(activities, and(eq(activities.tenantId, importRows.tenantId), eq(activities.id, importRows.objectId)))
      .where(and(eq(importRows.importId, imp.id), eq(importRows.dryRun, false), eq(importRows.outcome, "created"), ne(activities.ownerId, ctx.userId ?? sql`null`)))
      .limit(1),
  );
  if (others) throw new AppError("FORBIDDEN", "import.undo_others_activities", {}, { permission: "activity:delete" });
}

export const activityImport: ImportObjectDef = {
  fields: [
    { key: "kind", type: "enum", values: enumOf(KINDS, KIND_WORDS) },
    { key: "occurredAt", type: "datetime" },
    { key: "subject", type: "text" },
    { key: "summary", type: "text" },
    { key: "channel", type: "text" },
    { key: "durationMinutes", type: "minutes" },
    { key: "place", type: "text" },
    { key: "costAmount", type: "money" },
    { key: "discountAmount", type: "money" },
    { key: "gift", type: "text" },
    { key: "currency", type: "currency" },
    { key: "customer", type: "customer" },
    { key: "customerCode", type: "customer" },
    { key: "contact", type: "ref" },
    { key: "owner", type: "user" },
  ],
  titles: {
    kind: ["类型", "跟进方式", "跟进类型", "活动类型", "记录类型", "方式", "拜访方式", "沟通方式", "kind", "type", "activity type", "task subtype"],
    occurredAt: ["时间", "日期", "跟进时间", "跟进日期", "拜访时间", "拜访日期", "发生时间", "活动时间", "活动日期", "沟通时间", "date", "time", "activity date", "date time", "occurred at", "start date time"],
    subject: ["主题", "标题", "事项", "subject", "title"],
    summary: ["内容", "跟进内容", "拜访内容", "沟通内容", "跟进记录", "拜访记录", "摘要", "纪要", "详情", "描述", "summary", "description", "comments", "notes", "body", "content"],
    channel: ["渠道", "方向", "呼叫方向", "channel", "direction", "call type"],
    durationMinutes: ["时长", "通话时长", "持续时间", "时长 分钟", "duration", "duration minutes", "call duration"],
    place: ["地点", "拜访地点", "会议地点", "place", "location"],
    costAmount: ["费用", "花费", "成本", "投入", "费用金额", "招待费", "差旅费", "cost", "expense", "expenses", "amount"],
    discountAmount: ["优惠", "优惠金额", "折让", "让利", "discount", "discount amount"],
    gift: ["礼品", "赠品", "礼物", "gift"],
    currency: ["币种", "货币", "currency"],
    customer: ["客户", "客户名称", "公司", "公司名称", "所属客户", "单位", "单位名称", "account", "account name", "company", "company name", "related to"],
    customerCode: ["客户编码", "客户编号", "客户代码", "customer code", "account number"],
    contact: ["联系人", "联系人姓名", "拜访对象", "沟通对象", "contact", "contact name", "name", "who"],
    owner: ["负责人", "跟进人", "拜访人", "记录人", "执行人", "销售", "业务员", "owner", "assigned to", "activity owner", "author"],
  },
  schema: ActivityCreateSchema,
  schemaFields: { customerId: "customer", contactId: "contact" },
  keys: ["occurrence"],
  defaultKeys: ["occurrence"],
  customFields: false,
  ownerDefault: "nobody",
  checkUndo,
  async resolve(ctx, tx, plan, input, resolvers) {
    const issues: RowIssue[] = [];
    if (plan.customer) {
      const found = await resolvers.customer(tx, plan.customer);
      if ("issue" in found) issues.push(found.issue);
      else input.customerId = found.id;
    }
    const contact = plan.refs.contact;
    if (contact && !issues.length) {
      const found = await findContact(ctx, tx, contact, input.customerId as string | undefined, plan.columns.contact ?? "contact");
      if ("issue" in found) issues.push(found.issue);
      else input.contactId = found.id;
    }
    if (!plan.customer && !contact) issues.push({ column: null, key: "errors.activity_target_required" });
    // The author: another member only if the importer may see that member's records (a rep records their own).
    const author = input.ownerId as string | null | undefined;
    if (!author || author === ctx.userId) delete input.ownerId;
    else {
      const [seen] = await tx.select({ id: memberships.userId }).from(memberships).where(and(eq(memberships.userId, author), visibleOwnerCondition(ctx, memberships.userId)));
      if (!seen) issues.push({ column: plan.columns.owner ?? "owner", key: "import.author_not_visible", params: { value: plan.owner ?? "" } });
    }
    return issues;
  },
  async findExisting(_ctx, tx, input, keys) {
    if (!keys.includes("occurrence")) return undefined;
    // The same interaction: on the same customer (else contact), of the same kind, at the same time, on the same subject.
    const on = input.customerId ? eq(activities.customerId, input.customerId as string) : eq(activities.contactId, input.contactId as string);
    const [row] = await tx
      .select({ id: activities.id })
      .from(activities)
      .where(
        and(
          on,
          isNull(activities.deletedAt),
          eq(activities.kind, input.kind as ActivityInput["kind"]),
          eq(activities.occurredAt, input.occurredAt as Date),
          eq(activities.subject, (input.subject as string | undefined) ?? ""),
        ),
      )
      .limit(1);
    return row?.id;
  },
  create: async (ctx, tx, input) => (await createActivity(ctx, input as unknown as ActivityInput, tx)).id,
  load: rowLoader(activities),
  async update(ctx, tx, id, change) {
    await updateActivity(ctx, id, "any", change as Partial<ActivityInput>, tx);
  },
  revive: (before) => ({
    ...before,
    ...(typeof before.occurredAt === "string" ? { occurredAt: new Date(before.occurredAt) } : {}),
  }),
  removeCreated: trasher(activities, "activity"),
};
