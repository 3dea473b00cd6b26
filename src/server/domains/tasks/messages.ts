import { registerMessages } from "../../lib/i18n.js";

/** Messages of tasks: validation, and the overdue and digest e-mails. */
registerMessages({
  "tasks.object_incomplete": { "en-US": "Give both the record type and the record", "zh-CN": "请同时提供关联记录的类型和记录" },
  "tasks.one_record": {
    "en-US": "Link the task to one record: objectType and objectId, or customerId/contactId",
    "zh-CN": "任务只能关联一条记录：objectType 与 objectId，或 customerId/contactId",
  },
  "tasks.due_out_of_range": { "en-US": "Choose a due date between the years 2000 and 2100", "zh-CN": "请选择 2000 年至 2100 年之间的到期时间" },
  "tasks.assignee_cannot_see": {
    "en-US": "{{name}} cannot see the record of this task ({{object}}): choose someone who can, or share the record with them first",
    "zh-CN": "{{name}} 无权查看该任务关联的记录（{{object}}），请选择能查看的人，或先将记录共享给对方",
  },
  "tasks.assignee_required": { "en-US": "Choose who does the task", "zh-CN": "请选择任务负责人" },
  "tasks.mail.greeting": { "en-US": "Hello {{name}},", "zh-CN": "{{name}}，您好：" },
  "tasks.mail.due": { "en-US": "due {{when}}", "zh-CN": "到期 {{when}}" },
  "tasks.mail.open_link": { "en-US": "Open your tasks: {{link}}", "zh-CN": "查看任务：{{link}}" },
  "tasks.mail.overdue.subject_one": { "en-US": "[{{workspace}}] Overdue task:", "zh-CN": "【{{workspace}}】任务已逾期：" },
  "tasks.mail.overdue.subject_other": { "en-US": "[{{workspace}}] {{count}} tasks are overdue", "zh-CN": "【{{workspace}}】{{count}} 项任务已逾期" },
  "tasks.mail.overdue.intro": {
    "en-US": "These tasks of yours are past their due time and still open:",
    "zh-CN": "以下任务已过到期时间，仍未完成：",
  },
  "tasks.mail.digest.subject": {
    "en-US": "[{{workspace}}] Your tasks for {{day}}: {{overdue}} overdue, {{today}} due today",
    "zh-CN": "【{{workspace}}】{{day}} 任务提醒：{{overdue}} 项逾期，{{today}} 项今天到期",
  },
  "tasks.mail.digest.intro": { "en-US": "Here is what is on your list today.", "zh-CN": "以下是您今天的任务清单。" },
  "tasks.mail.digest.overdue": { "en-US": "Overdue ({{count}})", "zh-CN": "已逾期（{{count}}）" },
  "tasks.mail.digest.today": { "en-US": "Due today ({{count}})", "zh-CN": "今天到期（{{count}}）" },
  "tasks.mail.digest.upcoming": { "en-US": "Next {{days}} days ({{count}})", "zh-CN": "未来 {{days}} 天（{{count}}）" },
  "tasks.mail.priority_high": { "en-US": "high priority", "zh-CN": "高优先级" },
});
