import { registerMessages } from "../../lib/i18n.js";

/** Messages of pipelines and opportunities. */
registerMessages({
  "objects.opportunity": { "en-US": "Opportunity", "zh-CN": "商机" },
  "objects.pipeline": { "en-US": "Pipeline", "zh-CN": "销售流程" },
  "objects.pipeline_stage": { "en-US": "Stage", "zh-CN": "阶段" },
  "pipelines.stage_kinds_required": {
    "en-US": "A pipeline needs at least one open stage, one won stage and one lost stage",
    "zh-CN": "销售流程至少需要一个进行中阶段、一个赢单阶段和一个输单阶段",
  },
  "pipelines.stage_name_duplicate": { "en-US": "The stage name “{{name}}” is used twice", "zh-CN": "阶段名称“{{name}}”重复" },
  "pipelines.closed_probability": {
    "en-US": "A won stage has a probability of 100 and a lost stage 0 (stage “{{name}}”)",
    "zh-CN": "赢单阶段的赢率应为 100，输单阶段应为 0（阶段“{{name}}”）",
  },
  "pipelines.unknown_stage": { "en-US": "This stage does not belong to the pipeline", "zh-CN": "该阶段不属于此销售流程" },
  "pipelines.stage_in_use": {
    "en-US": "The stage “{{name}}” still holds {{count}} opportunities: move them before deleting it",
    "zh-CN": "阶段“{{name}}”中还有 {{count}} 个商机，请先移走再删除",
  },
  "pipelines.stage_kind_in_use": {
    "en-US": "The stage “{{name}}” holds {{count}} opportunities: its type cannot change",
    "zh-CN": "阶段“{{name}}”中还有 {{count}} 个商机，不能更改其类型",
  },
  "pipelines.not_empty": {
    "en-US": "The pipeline still holds {{count}} opportunities: it cannot be deleted",
    "zh-CN": "该销售流程中还有 {{count}} 个商机，不能删除",
  },
  "pipelines.default_required": { "en-US": "Make another pipeline the default instead", "zh-CN": "请将其他销售流程设为默认，而不是取消默认" },
  "pipelines.default_delete": { "en-US": "The default pipeline cannot be deleted: make another one the default first", "zh-CN": "默认销售流程不能删除，请先将其他销售流程设为默认" },
  "opportunities.decimal": { "en-US": "Enter an amount with at most 2 decimals, e.g. 12500.00", "zh-CN": "请输入最多 2 位小数的金额，例如 12500.00" },
  "opportunities.quantity": { "en-US": "Enter a number with at most 4 decimals, e.g. 12.5", "zh-CN": "请输入最多 4 位小数的数字，例如 12.5" },
  "opportunities.rate": { "en-US": "Enter a fraction between 0 and 1 with at most 4 decimals (0.1 = 10 %)", "zh-CN": "请输入 0 到 1 之间、最多 4 位小数的比例（0.1 即 10%）" },
  "opportunities.currency_invalid": { "en-US": "Enter an ISO 4217 currency code in capitals, such as CNY or USD", "zh-CN": "请输入大写的 ISO 4217 币种代码，例如 CNY、USD" },
  "opportunities.amount_negative": { "en-US": "The amount cannot be negative", "zh-CN": "金额不能为负数" },
  "opportunities.amount_from_products": {
    "en-US": "The amount is the sum of the products on the deal: change the products instead",
    "zh-CN": "商机金额由产品明细汇总得出，请修改产品明细",
  },
  "opportunities.quantity_positive": { "en-US": "The quantity must be greater than 0", "zh-CN": "数量必须大于 0" },
  "opportunities.price_negative": { "en-US": "The unit price cannot be negative", "zh-CN": "单价不能为负数" },
  "opportunities.product_inactive": { "en-US": "Product {{sku}} is archived", "zh-CN": "产品 {{sku}} 已停用" },
  "opportunities.contact_not_of_customer": { "en-US": "This contact does not belong to the opportunity's customer", "zh-CN": "该联系人不属于商机的客户" },
  "opportunities.stage_not_in_pipeline": { "en-US": "This stage does not belong to the opportunity's pipeline", "zh-CN": "该阶段不属于商机所在的销售流程" },
  "opportunities.stage_not_open": { "en-US": "A new opportunity starts in an open stage", "zh-CN": "新商机只能创建在进行中的阶段" },
  "opportunities.required_fields": { "en-US": "The stage “{{stage}}” requires: {{fields}}", "zh-CN": "阶段“{{stage}}”要求填写：{{fields}}" },
  "opportunities.loss_reason_required": { "en-US": "Give a reason for losing the deal", "zh-CN": "请填写输单原因" },
  // Field names in opportunities.required_fields (translated by the service: a list is one parameter).
  "objects.opportunity_field_amount": { "en-US": "amount", "zh-CN": "金额" },
  "objects.opportunity_field_expectedClose": { "en-US": "expected close date", "zh-CN": "预计成交日期" },
  "objects.opportunity_field_contactId": { "en-US": "contact", "zh-CN": "联系人" },
  "objects.opportunity_field_products": { "en-US": "products", "zh-CN": "产品明细" },
  "objects.opportunity_field_competitors": { "en-US": "competitors", "zh-CN": "竞争对手" },
  "objects.opportunity_field_description": { "en-US": "description", "zh-CN": "描述" },
  "objects.opportunity_field_source": { "en-US": "source", "zh-CN": "来源" },
});
