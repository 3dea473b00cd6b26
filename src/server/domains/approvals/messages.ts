import { registerMessages } from "../../lib/i18n.js";

/** Messages of approval flows and requests (审批流). */
registerMessages({
  "objects.approval": { "en-US": "Approval request", "zh-CN": "审批申请" },
  "objects.approval_flow": { "en-US": "Approval flow", "zh-CN": "审批流程" },
  "approvals.own_request": {
    "en-US": "You cannot approve, reject or return your own request",
    "zh-CN": "不能审批（通过、驳回或退回）自己提交的申请",
  },
  "approvals.not_approver": { "en-US": "You are not an approver of the current step", "zh-CN": "您不是当前审批步骤的审批人" },
  "approvals.not_pending": { "en-US": "This request has already been decided or withdrawn", "zh-CN": "该申请已审批完成或已撤回" },
  "approvals.already_pending": {
    "en-US": "An approval request for this record is already pending",
    "zh-CN": "该记录已有一条审批中的申请",
  },
  "approvals.withdraw_not_requester": { "en-US": "Only the requester can withdraw a request", "zh-CN": "只有申请人可以撤回申请" },
  "approvals.bad_return_step": {
    "en-US": "A request can only be returned to an earlier step",
    "zh-CN": "只能退回到之前的审批步骤",
  },
  "approvals.requester_required": { "en-US": "An approval request needs a requesting user", "zh-CN": "审批申请必须由用户发起" },
  "approvals.steps_min": { "en-US": "A flow needs at least one step", "zh-CN": "审批流程至少需要一个步骤" },
  "approvals.steps_max": { "en-US": "A flow has at most 10 steps", "zh-CN": "审批流程最多 10 个步骤" },
  "approvals.unknown_role": { "en-US": "There is no role “{{roleKey}}” in this workspace", "zh-CN": "本工作区不存在角色“{{roleKey}}”" },
  "approvals.unknown_user": { "en-US": "The approver of step {{step}} is not an active member of this workspace", "zh-CN": "第 {{step}} 步的审批人不是本工作区的有效成员" },
  "approvals.approver_cannot_decide": {
    "en-US": "The approvers of step {{step}} may not decide approvals: give their role the right approval:decide",
    "zh-CN": "第 {{step}} 步的审批人没有审批权限，请为其角色授予 approval:decide 权限",
  },
  "approvals.threshold_taken": {
    "en-US": "Another active flow of this kind starts at the same amount",
    "zh-CN": "已有同类型的启用流程使用相同的起始金额",
  },
  "approvals.object_incomplete": { "en-US": "Give both the record type and the record", "zh-CN": "请同时提供记录类型和记录" },
  "approvals.comment_required": { "en-US": "Write a comment", "zh-CN": "请填写评论内容" },
  "approvals.comment_too_long": { "en-US": "A comment has at most 2000 characters", "zh-CN": "评论最多 2000 个字符" },
  "notifications.approval_requested": { "en-US": "Waiting for your approval: {{title}}", "zh-CN": "待您审批：{{title}}" },
  "notifications.approval_approved": { "en-US": "Approved: {{title}}", "zh-CN": "审批已通过：{{title}}" },
  "notifications.approval_rejected": { "en-US": "Rejected: {{title}}", "zh-CN": "审批被驳回：{{title}}" },
  "notifications.approval_returned": {
    "en-US": "{{title}} was returned to step {{step}} ({{stepName}})",
    "zh-CN": "「{{title}}」已退回至第 {{step}} 步（{{stepName}}）",
  },
  "notifications.approval_commented": { "en-US": "New comment on {{title}}", "zh-CN": "「{{title}}」有新的审批评论" },
  "notifications.approval_withdrawn": { "en-US": "Withdrawn by the requester: {{title}}", "zh-CN": "申请人已撤回：{{title}}" },
});
