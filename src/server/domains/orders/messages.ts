import { registerMessages } from "../../lib/i18n.js";

/** Messages of orders and credit control. */
registerMessages({
  "objects.order": { "en-US": "Order", "zh-CN": "订单" },
  "objects.order_settings": { "en-US": "Order settings", "zh-CN": "订单设置" },
  "orders.decimal": { "en-US": "Enter a number with at most 4 decimals, e.g. 12.5", "zh-CN": "请输入最多 4 位小数的数字，例如 12.5" },
  "orders.rate": { "en-US": "Enter a fraction between 0 and 1 with at most 4 decimals (0.13 = 13 %)", "zh-CN": "请输入 0 到 1 之间、最多 4 位小数的比例（0.13 即 13%）" },
  "orders.currency": { "en-US": "Enter a 3-letter currency code such as CNY or USD", "zh-CN": "请输入 3 位大写币种代码，如 CNY、USD" },
  "orders.number_pattern": {
    "en-US": "Letters, {YYYY} {YY} {MM} {DD} and exactly one {SEQ:n} (n = 3–9 digits)",
    "zh-CN": "可包含字母、{YYYY} {YY} {MM} {DD}，并且恰好一个 {SEQ:n}（n 为 3–9 位）",
  },
  "orders.quantity_positive": { "en-US": "The quantity must be greater than 0", "zh-CN": "数量必须大于 0" },
  "orders.price_negative": { "en-US": "The unit price cannot be negative", "zh-CN": "单价不能为负数" },
  "orders.product_inactive": { "en-US": "Product {{sku}} is archived and cannot be ordered", "zh-CN": "产品 {{sku}} 已停用，不能下单" },
  "orders.line_needs_name": { "en-US": "A line without a product needs a name", "zh-CN": "未选择产品的明细行必须填写名称" },
  "orders.line_needs_price": { "en-US": "A line without a product needs a unit price", "zh-CN": "未选择产品的明细行必须填写单价" },
  "orders.contact_not_of_customer": { "en-US": "This contact does not belong to the order's customer", "zh-CN": "该联系人不属于订单的客户" },
  "orders.number_taken": { "en-US": "The order number {{number}} is already used in this workspace", "zh-CN": "订单号 {{number}} 在本工作区中已被使用" },
  "orders.no_lines": { "en-US": "An order needs at least one line", "zh-CN": "订单至少需要一条明细" },
  "orders.bad_transition": { "en-US": "An order that is {{status}} cannot be {{action}}", "zh-CN": "状态为“{{status}}”的订单不能执行“{{action}}”" },
  "orders.cancel_reason_required": { "en-US": "Give a reason for cancelling", "zh-CN": "请填写取消原因" },
  "orders.cancel_paid": { "en-US": "Payments were received for this order: it cannot be cancelled", "zh-CN": "该订单已有回款，不能取消" },
  "orders.credit_exceeded": {
    "en-US": "The order would exceed the customer's {{limits}}: it was not submitted",
    "zh-CN": "该订单将超出客户的{{limits}}，未能提交",
  },
  // Values of {{status}}, {{action}} and {{limits}} (lib/i18n translates a parameter through objects.<value>).
  "objects.order_status_draft": { "en-US": "draft", "zh-CN": "草稿" },
  "objects.order_status_pending_approval": { "en-US": "pending approval", "zh-CN": "待审批" },
  "objects.order_status_approved": { "en-US": "approved", "zh-CN": "已审核" },
  "objects.order_status_delivered": { "en-US": "delivered", "zh-CN": "已发货" },
  "objects.order_status_completed": { "en-US": "completed", "zh-CN": "已完成" },
  "objects.order_status_cancelled": { "en-US": "cancelled", "zh-CN": "已取消" },
  "objects.order_action_update": { "en-US": "changed", "zh-CN": "修改" },
  "objects.order_action_submit": { "en-US": "submitted", "zh-CN": "提交" },
  "objects.order_action_deliver": { "en-US": "delivered", "zh-CN": "发货" },
  "objects.order_action_complete": { "en-US": "completed", "zh-CN": "完成" },
  "objects.order_action_cancel": { "en-US": "cancelled", "zh-CN": "取消" },
  "objects.order_limit_credit_limit": { "en-US": "credit limit", "zh-CN": "信用额度" },
  "objects.order_limit_sales_limit": { "en-US": "sales limit", "zh-CN": "销售限额" },
  "objects.order_limit_both": { "en-US": "credit limit and sales limit", "zh-CN": "信用额度和销售限额" },
});
