import { z } from "zod";

export const LOCALES = ["zh-CN", "en-US"] as const;
export type Locale = (typeof LOCALES)[number];
export const LocaleSchema = z.enum(LOCALES);

export type Catalog = Record<string, { "en-US": string; "zh-CN": string }>;

/** Server-side messages: errors and e-mails. The web app has its own catalog for the UI. */
const messages: Catalog = {
  "errors.not_found": { "en-US": "{{object}} not found", "zh-CN": "未找到{{object}}" },
  "errors.route_not_found": { "en-US": "No such API route", "zh-CN": "不存在该接口" },
  "errors.forbidden": { "en-US": "You do not have permission to do this", "zh-CN": "您没有执行此操作的权限" },
  "errors.unauthenticated": { "en-US": "Please sign in", "zh-CN": "请先登录" },
  "errors.invalid_credentials": { "en-US": "Wrong e-mail or password", "zh-CN": "邮箱或密码错误" },
  "errors.account_locked": {
    "en-US": "Too many failed sign-ins: the account is locked for {{minutes}} minutes",
    "zh-CN": "登录失败次数过多，账号已锁定 {{minutes}} 分钟",
  },
  "errors.totp_required": { "en-US": "Enter the code from your authenticator app", "zh-CN": "请输入身份验证器中的动态验证码" },
  "errors.totp_invalid": { "en-US": "The verification code is wrong or expired", "zh-CN": "验证码错误或已过期" },
  "errors.invalid_token": { "en-US": "The API token is invalid, expired or revoked", "zh-CN": "API 令牌无效、已过期或已撤销" },
  "errors.reset_token_invalid": {
    "en-US": "The password reset link is invalid or has expired",
    "zh-CN": "密码重置链接无效或已过期",
  },
  "errors.wrong_password": { "en-US": "The current password is wrong", "zh-CN": "当前密码不正确" },
  "errors.weak_password": {
    "en-US": "The password must have at least 10 characters and may not be your e-mail",
    "zh-CN": "密码至少 10 个字符，且不能与邮箱相同",
  },
  "errors.validation": { "en-US": "Some fields are invalid", "zh-CN": "部分字段不合法" },
  "errors.malformed_json": { "en-US": "The request body is not valid JSON", "zh-CN": "请求体不是合法的 JSON" },
  "errors.unsupported_media_type": {
    "en-US": "Unsupported content type: send application/json",
    "zh-CN": "不支持的内容类型，请使用 application/json",
  },
  "errors.payload_too_large": {
    "en-US": "The request body is larger than {{limit}} bytes",
    "zh-CN": "请求体超过 {{limit}} 字节的上限",
  },
  "errors.rate_limited": { "en-US": "Too many requests: try again in {{seconds}} s", "zh-CN": "请求过于频繁，请 {{seconds}} 秒后再试" },
  "errors.internal": { "en-US": "Something went wrong on our side", "zh-CN": "服务器内部错误" },
  "errors.version_conflict": {
    "en-US": "Someone else changed this record: reload it and try again",
    "zh-CN": "该记录已被他人修改，请刷新后重试",
  },
  "errors.version_required": {
    "en-US": "Send the record's version (If-Match header or version field)",
    "zh-CN": "请提供记录版本（If-Match 请求头或 version 字段）",
  },
  "errors.conflict": { "en-US": "This conflicts with an existing record", "zh-CN": "与已有记录冲突" },
  "errors.email_taken": { "en-US": "This e-mail is already in use", "zh-CN": "该邮箱已被使用" },
  "errors.already_member": { "en-US": "This user is already a member of the workspace", "zh-CN": "该用户已是本工作区成员" },
  "errors.already_set_up": { "en-US": "Guanxi is already set up", "zh-CN": "系统已完成初始化" },
  "errors.name_taken": { "en-US": "This name is already in use", "zh-CN": "该名称已被使用" },
  "errors.last_owner": {
    "en-US": "A workspace needs at least one active owner",
    "zh-CN": "工作区至少需要一位有效的所有者",
  },
  "errors.system_role": { "en-US": "System roles cannot be changed or deleted", "zh-CN": "系统角色不可修改或删除" },
  "errors.role_in_use": { "en-US": "The role is still assigned to users", "zh-CN": "该角色仍有用户在使用" },
  "errors.department_not_empty": {
    "en-US": "The department still has members or sub-departments",
    "zh-CN": "该部门下仍有成员或子部门",
  },
  "errors.department_cycle": {
    "en-US": "A department cannot be moved under itself",
    "zh-CN": "部门不能移动到自身或其下级部门之下",
  },
  "errors.unknown_permission": { "en-US": "Unknown permission: {{permission}}", "zh-CN": "未知权限：{{permission}}" },
  "errors.bad_cursor": { "en-US": "The page cursor is invalid", "zh-CN": "分页游标无效" },
  "errors.bad_sort": { "en-US": "Cannot sort by {{field}}", "zh-CN": "不能按 {{field}} 排序" },
  "errors.bad_filter": { "en-US": "Invalid filter: {{filter}}", "zh-CN": "筛选条件无效：{{filter}}" },
  "errors.cross_site": { "en-US": "Cross-site request refused", "zh-CN": "已拒绝跨站请求" },
  "errors.self_remove": { "en-US": "You cannot remove yourself", "zh-CN": "不能移除自己" },
  "errors.scope_exceeds_role": {
    "en-US": "A token cannot have permissions your role does not have",
    "zh-CN": "令牌的权限不能超出您角色的权限",
  },
  "errors.totp_not_setup": { "en-US": "Start two-factor set-up first", "zh-CN": "请先开始两步验证设置" },
  "errors.credit_code_invalid": {
    "en-US": "Not a valid unified social credit code (18 characters with a matching check character)",
    "zh-CN": "统一社会信用代码无效（应为 18 位且校验位正确）",
  },
  "errors.phone_invalid": { "en-US": "Not a valid phone number", "zh-CN": "电话号码无效" },
  "errors.email_invalid": { "en-US": "Not a valid e-mail address", "zh-CN": "邮箱地址无效" },
  "errors.money_invalid": { "en-US": "Enter an amount such as 12500.00", "zh-CN": "请输入金额，例如 12500.00" },
  "errors.bank_account_invalid": { "en-US": "A bank account has up to 34 letters and digits", "zh-CN": "银行账号最多 34 位字母或数字" },
  "errors.code_pattern_invalid": {
    "en-US": "Use letters, digits, {YYYY} {YY} {MM} {DD} and exactly one {SEQ:n} (n from 3 to 9)",
    "zh-CN": "编码规则只能包含字母、数字、{YYYY} {YY} {MM} {DD}，以及一个 {SEQ:n}（n 为 3 到 9）",
  },
  "errors.code_taken": { "en-US": "This code is already used by another customer", "zh-CN": "该编码已被其他客户使用" },
  "errors.duplicate_found": {
    "en-US": "Likely duplicates exist; check them, or save anyway",
    "zh-CN": "发现疑似重复的记录，请核对，或确认后仍然保存",
  },
  "errors.duplicate_blocked": {
    "en-US": "A matching record already exists: duplicates are not allowed in this workspace",
    "zh-CN": "已存在相同的记录，本工作区不允许重复录入",
  },
  "errors.self_contact": {
    "en-US": "This contact is the individual customer itself: edit the customer instead",
    "zh-CN": "该联系人即个人客户本人，请在客户资料中修改",
  },
  "errors.already_claimed": { "en-US": "Someone else has just claimed this customer", "zh-CN": "该客户已被他人领取" },
  "errors.already_in_pool": { "en-US": "This customer is already in the pool", "zh-CN": "该客户已在公海中" },
  "errors.claim_daily_limit": { "en-US": "You have reached today's claim limit", "zh-CN": "今日领取数量已达上限" },
  "errors.claim_hold_limit": { "en-US": "You already hold as many customers as allowed", "zh-CN": "您持有的客户数已达上限" },
  "errors.claim_cooldown": {
    "en-US": "You released this customer recently and cannot claim it again yet",
    "zh-CN": "您近期释放过该客户，冷却期内不能再次领取",
  },
  "errors.pool_default_required": { "en-US": "Make another pool the default instead", "zh-CN": "请将其他公海设为默认，而不是取消默认" },
  "notifications.customer_reclaim_warning": {
    "en-US": "{{name}} goes back to the pool {{pool}} in {{days}} day(s) unless you follow up",
    "zh-CN": "客户「{{name}}」将在 {{days}} 天后收回到{{pool}}，请及时跟进",
  },
  "notifications.customer_reclaimed": {
    "en-US": "{{name}} went back to the pool {{pool}}: no follow-up in time",
    "zh-CN": "客户「{{name}}」因未及时跟进已收回到{{pool}}",
  },
  "notifications.task_due": { "en-US": "Due now: {{title}}", "zh-CN": "任务到期：{{title}}" },
  "notifications.mentioned": { "en-US": "{{actor}} mentioned you on {{name}}'s timeline", "zh-CN": "{{actor}} 在「{{name}}」的跟进记录中提到了您" },
  "errors.mention_no_access": {
    "en-US": "{{names}} cannot see this customer: add them as collaborators first",
    "zh-CN": "{{names}} 无权查看该客户，请先将其添加为协作人",
  },
  "errors.activity_target_required": { "en-US": "Choose a customer or a contact", "zh-CN": "请选择客户或联系人" },
  "errors.attachment_too_large": { "en-US": "The file is larger than {{limit}} MB", "zh-CN": "文件超过 {{limit}} MB 的上限" },
  "errors.attachment_type": {
    "en-US": "This file type is not allowed: images, PDF, Office documents, text and CSV only",
    "zh-CN": "不支持该文件类型：仅限图片、PDF、Office 文档、文本和 CSV",
  },
  "errors.attachment_empty": { "en-US": "The file is empty", "zh-CN": "文件为空" },
  "errors.custom_field_unknown": { "en-US": "No such custom field", "zh-CN": "不存在该自定义字段" },
  "errors.custom_field_required": { "en-US": "This field is required", "zh-CN": "此字段为必填项" },
  "errors.custom_field_text": { "en-US": "Enter text (up to 2000 characters)", "zh-CN": "请输入文本（最多 2000 字）" },
  "errors.custom_field_number": { "en-US": "Enter a number", "zh-CN": "请输入数字" },
  "errors.custom_field_money": { "en-US": "Enter an amount such as 12500.00", "zh-CN": "请输入金额，例如 12500.00" },
  "errors.custom_field_date": { "en-US": "Enter a date as YYYY-MM-DD", "zh-CN": "请按 YYYY-MM-DD 输入日期" },
  "errors.custom_field_boolean": { "en-US": "Choose yes or no", "zh-CN": "请选择是或否" },
  "errors.custom_field_url": { "en-US": "Enter a web address starting with http:// or https://", "zh-CN": "请输入以 http:// 或 https:// 开头的网址" },
  "errors.custom_field_select": { "en-US": "Choose one of the options", "zh-CN": "请从选项中选择" },
  "errors.custom_field_multiselect": { "en-US": "Choose from the options", "zh-CN": "请从选项中选择" },
  "errors.custom_field_user": { "en-US": "Choose a user of this workspace", "zh-CN": "请选择本工作区的用户" },
  "errors.custom_field_options": {
    "en-US": "Select fields need distinct options; other types take none",
    "zh-CN": "选择类字段需要互不重复的选项，其他类型不能设置选项",
  },
  "objects.custom_field": { "en-US": "Custom field", "zh-CN": "自定义字段" },
  "errors.region_invalid": { "en-US": "Choose a province, city and district that belong together", "zh-CN": "省、市、区不匹配，请重新选择" },
  "objects.view": { "en-US": "Saved view", "zh-CN": "视图" },
  "objects.task": { "en-US": "Task", "zh-CN": "任务" },
  "objects.activity": { "en-US": "Timeline entry", "zh-CN": "跟进记录" },
  "objects.attachment": { "en-US": "Attachment", "zh-CN": "附件" },
  "objects.pool": { "en-US": "Pool", "zh-CN": "公海" },
  "objects.notification": { "en-US": "Notification", "zh-CN": "通知" },
  "objects.customer": { "en-US": "Customer", "zh-CN": "客户" },
  "objects.contact": { "en-US": "Contact", "zh-CN": "联系人" },
  "objects.customer_settings": { "en-US": "Customer settings", "zh-CN": "客户设置" },
  "objects.user": { "en-US": "User", "zh-CN": "用户" },
  "objects.role": { "en-US": "Role", "zh-CN": "角色" },
  "objects.team": { "en-US": "Team", "zh-CN": "团队" },
  "objects.department": { "en-US": "Department", "zh-CN": "部门" },
  "objects.workspace": { "en-US": "Workspace", "zh-CN": "工作区" },
  "objects.api_token": { "en-US": "API token", "zh-CN": "API 令牌" },
  "objects.job": { "en-US": "Job", "zh-CN": "任务" },
  "objects.event": { "en-US": "Audit event", "zh-CN": "审计事件" },
  "objects.record": { "en-US": "Record", "zh-CN": "记录" },
  "mail.reset.subject": { "en-US": "Reset your Guanxi password", "zh-CN": "重置您的关系 CRM 密码" },
  "mail.reset.body": {
    "en-US": "Hello {{name}},\n\nOpen this link within 1 hour to choose a new password:\n{{link}}\n\nIf you did not ask for this, ignore this e-mail.",
    "zh-CN": "{{name}}，您好：\n\n请在 1 小时内打开以下链接设置新密码：\n{{link}}\n\n如果这不是您本人的操作，请忽略本邮件。",
  },
  "mail.welcome.subject": { "en-US": "You have been added to {{workspace}}", "zh-CN": "您已加入 {{workspace}}" },
  "mail.welcome.body": {
    "en-US": "Hello {{name}},\n\n{{inviter}} added you to the Guanxi workspace {{workspace}}.\nSign in at {{link}}",
    "zh-CN": "{{name}}，您好：\n\n{{inviter}} 已将您加入关系 CRM 工作区「{{workspace}}」。\n登录地址：{{link}}",
  },
};

/** Adds a domain's own messages (at module load); a key defined twice is a programming error. */
export function registerMessages(catalog: Catalog): void {
  for (const [key, entry] of Object.entries(catalog)) {
    if (key in messages && messages[key] !== entry) throw new Error(`message ${key} defined twice`);
    messages[key] = entry;
  }
}

export function hasMessage(key: string): boolean {
  return key in messages;
}

/** The message for `key` in `locale`, with {{param}} placeholders filled (params that are keys are translated too). */
export function translate(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const entry = messages[key];
  if (!entry) return key;
  return entry[locale].replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) return "";
    const asKey = `objects.${String(value)}`;
    return messages[asKey] ? messages[asKey][locale] : String(value);
  });
}

/** Picks zh-CN or en-US from an Accept-Language header; `fallback` when it names neither. */
export function pickLocale(acceptLanguage: string | undefined, fallback: Locale = "zh-CN"): Locale {
  if (!acceptLanguage) return fallback;
  const ranked = acceptLanguage
    .split(",")
    .map((part) => {
      const [tag = "", ...rest] = part.trim().split(";");
      const q = rest.find((r) => r.trim().startsWith("q="));
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith("zh")) return "zh-CN";
    if (tag.startsWith("en")) return "en-US";
  }
  return fallback;
}

/** Names of the built-in roles, shown in the workspace's language. */
export const SYSTEM_ROLE_NAMES: Record<string, Record<Locale, string>> = {
  owner: { "en-US": "Owner", "zh-CN": "所有者" },
  admin: { "en-US": "Administrator", "zh-CN": "管理员" },
  manager: { "en-US": "Manager", "zh-CN": "经理" },
  sales: { "en-US": "Sales", "zh-CN": "销售" },
  service: { "en-US": "Service", "zh-CN": "客服" },
  marketing: { "en-US": "Marketing", "zh-CN": "市场" },
  read_only: { "en-US": "Read-only", "zh-CN": "只读" },
};
