import { registerMessages } from "../../lib/i18n.js";

/** Messages of sales targets. */
registerMessages({
  "objects.target": { "en-US": "Target", "zh-CN": "业绩目标" },
  "targets.amount": { "en-US": "Enter an amount of at least 0 with at most 2 decimals, e.g. 500000", "zh-CN": "请输入不小于 0、最多 2 位小数的金额，例如 500000" },
  "targets.count_whole": { "en-US": "A target counting customers or deals is a whole number", "zh-CN": "客户数、成交数目标必须是整数" },
  "targets.scope_missing": { "en-US": "Choose who the target is for", "zh-CN": "请选择目标的考核对象" },
  "targets.duplicate": {
    "en-US": "This person, team or department already has a target for this metric and period",
    "zh-CN": "该考核对象在此期间已有同一指标的目标",
  },
  "targets.parent_mismatch": {
    "en-US": "A target is broken down into targets of the same metric and period",
    "zh-CN": "目标只能分解为同一指标、同一期间的下级目标",
  },
  "targets.parent_scope": {
    "en-US": "A {{parent}} target breaks down into targets below it (company → departments → teams → people), not into a {{child}} target",
    "zh-CN": "“{{parent}}”目标只能向下分解（公司 → 部门 → 团队 → 个人），不能分解给“{{child}}”",
  },
  "targets.breakdown_exceeds": {
    "en-US": "The targets broken down from {{parent}} would add up to {{sum}}, more than its {{amount}}",
    "zh-CN": "从“{{parent}}”分解出的目标合计 {{sum}}，超过了上级目标 {{amount}}",
  },
  "targets.below_children": {
    "en-US": "The targets broken down from this one already add up to {{sum}}: it cannot be less",
    "zh-CN": "已分解出的下级目标合计 {{sum}}，本目标不能低于该值",
  },
  "targets.has_children": {
    "en-US": "This target is broken down into {{count}} targets: delete them first",
    "zh-CN": "该目标已分解出 {{count}} 个下级目标，请先删除下级目标",
  },
  "targets.not_member": {
    "en-US": "{{child}} is not in the {{scope}} {{parent}}: a target under a team's or department's is for one of its members",
    "zh-CN": "{{child}} 不属于{{scope}}“{{parent}}”，团队或部门的目标只能分解给其成员",
  },
  "targets.breakdown_twice": { "en-US": "The same person, team or department appears twice", "zh-CN": "同一考核对象出现了两次" },
  // Values of {{parent}}/{{child}} scopes (lib/i18n translates a parameter through objects.<value>).
  "objects.target_scope_company": { "en-US": "company", "zh-CN": "公司" },
  "objects.target_scope_department": { "en-US": "department", "zh-CN": "部门" },
  "objects.target_scope_team": { "en-US": "team", "zh-CN": "团队" },
  "objects.target_scope_user": { "en-US": "personal", "zh-CN": "个人" },
});
