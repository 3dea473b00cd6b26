import { registerMessages } from "../../lib/i18n.js";

/** Messages of leads, the lead pool and assignment rules. */
registerMessages({
  "objects.lead": { "en-US": "Lead", "zh-CN": "线索" },
  "objects.lead_assignment_rule": { "en-US": "Assignment rule", "zh-CN": "分配规则" },
  "objects.lead_pool_settings": { "en-US": "Lead pool settings", "zh-CN": "线索池设置" },
  "leads.phone_invalid": { "en-US": "Not a valid phone number, e.g. 13800138000 or +1 415 555 2671", "zh-CN": "电话号码无效，例如 13800138000 或 +1 415 555 2671" },
  "leads.email_invalid": { "en-US": "Not a valid e-mail address", "zh-CN": "邮箱地址无效" },
  "leads.owner_or_pool": { "en-US": "Give an owner or hand the lead over (toPool), not both", "zh-CN": "请指定负责人或交由分配规则处理（toPool），不能同时选择" },
  "leads.already_claimed": { "en-US": "Someone else has just claimed this lead", "zh-CN": "该线索已被他人领取" },
  "leads.already_in_pool": { "en-US": "This lead is already in the lead pool", "zh-CN": "该线索已在线索池中" },
  "leads.claim_daily_limit": { "en-US": "You have reached today's lead claim limit ({{limit}})", "zh-CN": "今日领取线索数量已达上限（{{limit}} 条）" },
  "leads.claim_hold_limit": { "en-US": "You already hold as many open leads as allowed ({{limit}})", "zh-CN": "您持有的未结线索数已达上限（{{limit}} 条）" },
  "leads.claim_cooldown": {
    "en-US": "You released this lead recently and cannot claim it again yet",
    "zh-CN": "您近期释放过该线索，冷却期内不能再次领取",
  },
  "leads.claim_first": { "en-US": "This lead is in the pool: claim it first", "zh-CN": "该线索在线索池中，请先领取" },
  "leads.bad_transition": { "en-US": "A lead that is {{status}} cannot be {{action}}", "zh-CN": "状态为“{{status}}”的线索不能执行“{{action}}”" },
  "leads.lost_reason_required": { "en-US": "Give the reason the lead was lost", "zh-CN": "请填写线索无效（丢失）原因" },
  "leads.already_converted": { "en-US": "This lead was already converted", "zh-CN": "该线索已转化，不能重复转化" },
  "leads.rule_users_inactive": { "en-US": "Every user of a rule must be an active member", "zh-CN": "分配规则中的用户必须都是有效成员" },
  "leads.duplicate_customer": {
    "en-US": "Likely duplicate customers exist: convert onto one of them (customer.existingId), or create anyway (allowDuplicate)",
    "zh-CN": "发现疑似重复的客户：可转化到已有客户（customer.existingId），或确认后仍新建（allowDuplicate）",
  },
  "leads.duplicate_contact": {
    "en-US": "Likely duplicate contacts exist: check them, or create anyway (allowDuplicate)",
    "zh-CN": "发现疑似重复的联系人，请核对，或确认后仍然新建（allowDuplicate）",
  },
  "leads.duplicate_blocked": {
    "en-US": "A matching {{object}} already exists and duplicates are not allowed: convert onto the existing customer",
    "zh-CN": "已存在相同的{{object}}，本工作区不允许重复录入，请转化到已有客户",
  },
  "notifications.lead_assigned": { "en-US": "New lead for you: {{name}}", "zh-CN": "您有一条新线索：{{name}}" },
  "notifications.lead_reclaim_warning": {
    "en-US": "Lead {{name}} goes back to the lead pool in {{days}} day(s) unless you follow up",
    "zh-CN": "线索「{{name}}」将在 {{days}} 天后收回到线索池，请及时跟进",
  },
  "notifications.lead_reclaimed": {
    "en-US": "Lead {{name}} went back to the lead pool: no follow-up in time",
    "zh-CN": "线索「{{name}}」因未及时跟进已收回到线索池",
  },
  // Values of {{status}}, {{action}} and {{object}} (lib/i18n translates a parameter through objects.<value>).
  "objects.lead_status_new": { "en-US": "new", "zh-CN": "新线索" },
  "objects.lead_status_contacted": { "en-US": "contacted", "zh-CN": "已联系" },
  "objects.lead_status_qualified": { "en-US": "qualified", "zh-CN": "已确认" },
  "objects.lead_status_converted": { "en-US": "converted", "zh-CN": "已转化" },
  "objects.lead_status_lost": { "en-US": "lost", "zh-CN": "无效" },
  "objects.lead_action_update": { "en-US": "changed", "zh-CN": "修改" },
  "objects.lead_action_follow_up": { "en-US": "followed up", "zh-CN": "跟进" },
  "objects.lead_action_qualify": { "en-US": "qualified", "zh-CN": "确认" },
  "objects.lead_action_lose": { "en-US": "marked lost", "zh-CN": "标记为无效" },
  "objects.lead_action_reopen": { "en-US": "reopened", "zh-CN": "重新打开" },
  "objects.lead_action_convert": { "en-US": "converted", "zh-CN": "转化" },
  "objects.lead_action_release": { "en-US": "released", "zh-CN": "释放" },
  "objects.lead_action_assign": { "en-US": "assigned", "zh-CN": "分配" },
});
