import { registerMessages } from "../../lib/i18n.js";

/** Messages of payments (回款), payment plans, receivables and invoices. */
registerMessages({
  "objects.payment": { "en-US": "Payment", "zh-CN": "回款" },
  "objects.invoice": { "en-US": "Invoice", "zh-CN": "发票" },
  "payments.cents": { "en-US": "Enter an amount with at most 2 decimals", "zh-CN": "金额最多保留 2 位小数" },
  "payments.amount_positive": { "en-US": "The amount must be greater than 0", "zh-CN": "金额必须大于 0" },
  "payments.plan_needs_accepted_order": {
    "en-US": "A payment plan can be set once the order is approved (it is {{status}})",
    "zh-CN": "订单审核通过后才能设置回款计划（当前为“{{status}}”）",
  },
  "payments.plan_sum": { "en-US": "The instalments add up to {{planned}}, the order total is {{total}}", "zh-CN": "回款计划合计 {{planned}}，与订单金额 {{total}} 不一致" },
  "payments.order_twice": { "en-US": "Each order may appear only once in a payment", "zh-CN": "同一笔回款中每个订单只能出现一次" },
  "payments.order_not_receivable": { "en-US": "Order {{number}} is {{status}}: nothing is due on it", "zh-CN": "订单 {{number}} 状态为“{{status}}”，没有应收款" },
  "payments.currency_mismatch": { "en-US": "Order {{number}} is in {{currency}}: record the payment in that currency", "zh-CN": "订单 {{number}} 的币种为 {{currency}}，请以该币种登记回款" },
  "payments.more_than_due": { "en-US": "Only {{due}} is still due on order {{number}}", "zh-CN": "订单 {{number}} 仅剩 {{due}} 未回款" },
  "payments.more_than_receivable": {
    "en-US": "The payment of {{amount}} is more than the {{due}} {{currency}} this customer owes",
    "zh-CN": "回款 {{amount}} 超过该客户应收的 {{due}} {{currency}}",
  },
  "payments.allocations_sum": { "en-US": "The orders are given {{allocated}} of the payment's {{amount}}", "zh-CN": "分配到订单的金额 {{allocated}} 与回款金额 {{amount}} 不一致" },
  "payments.duplicate_reference": { "en-US": "This bank reference was already recorded", "zh-CN": "该银行流水号已登记过" },
  "payments.already_void": { "en-US": "This payment is already void", "zh-CN": "该回款已作废" },
  "payments.void_reason_required": { "en-US": "Give a reason for voiding", "zh-CN": "请填写作废原因" },
  "invoices.over_total": { "en-US": "Invoices would exceed the order total: {{invoiced}} of {{total}} is already invoiced", "zh-CN": "开票金额将超过订单金额：已开 {{invoiced}}，订单金额 {{total}}" },
  "invoices.number_taken": { "en-US": "An invoice of this type with number {{number}} already exists", "zh-CN": "该类型下发票号 {{number}} 已存在" },
  "invoices.already_void": { "en-US": "This invoice is already void", "zh-CN": "该发票已作废" },
  "notifications.payment_overdue": { "en-US": "Overdue: {{amount}} {{currency}} of order {{number}} was due on {{dueDate}}", "zh-CN": "回款逾期：订单 {{number}} 应于 {{dueDate}} 回款 {{amount}} {{currency}}" },
});
