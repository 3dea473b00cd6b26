import { registerMessages } from "../../lib/i18n.js";

/** Messages of the catalogue, price lists and exchange rates. */
registerMessages({
  "objects.product": { "en-US": "Product", "zh-CN": "产品" },
  "objects.product_category": { "en-US": "Product category", "zh-CN": "产品分类" },
  "objects.price_list": { "en-US": "Price list", "zh-CN": "价格表" },
  "objects.exchange_rate": { "en-US": "Exchange rate", "zh-CN": "汇率" },
  "objects.pricing_settings": { "en-US": "Pricing settings", "zh-CN": "价格设置" },
  "products.price_needs_manage": {
    "en-US": "Changing a product's list price or its currency needs the right to manage prices; ask a manager",
    "zh-CN": "修改产品的标准价或币种需要价格管理权限，请联系经理",
  },
  "products.sku_taken": { "en-US": "The SKU {{sku}} is already used by another product", "zh-CN": "SKU“{{sku}}”已被其他产品使用" },
  "products.price_invalid": {
    "en-US": "Enter a price of 0 or more with at most 4 decimals, such as 12.5",
    "zh-CN": "请输入不小于 0 且最多 4 位小数的价格，例如 12.5",
  },
  "products.tax_rate_invalid": {
    "en-US": "A tax rate is a fraction from 0 to 1 with at most 4 decimals (0.13 = 13 %)",
    "zh-CN": "税率应为 0 到 1 之间、最多 4 位小数的数值（0.13 即 13%）",
  },
  "products.currency_invalid": {
    "en-US": "Enter a currency as its ISO 4217 code in capitals, such as CNY or USD",
    "zh-CN": "请输入大写的 ISO 4217 币种代码，例如 CNY、USD",
  },
  "products.category_name_taken": {
    "en-US": "A category of this name already exists at this level",
    "zh-CN": "同一级下已存在同名分类",
  },
  "products.category_cycle": {
    "en-US": "A category cannot be moved under itself or one of its sub-categories",
    "zh-CN": "分类不能移动到自身或其下级分类之下",
  },
  "products.category_not_empty": {
    "en-US": "The category still has {{products}} product(s) and {{children}} sub-category(ies): move them first",
    "zh-CN": "该分类下仍有 {{products}} 个产品和 {{children}} 个子分类，请先移走",
  },
  "pricing.quantity_invalid": {
    "en-US": "Enter a quantity of 0 or more with at most 4 decimals",
    "zh-CN": "请输入不小于 0 且最多 4 位小数的数量",
  },
  "pricing.rate_invalid": {
    "en-US": "An exchange rate is a number above 0 with at most 8 decimals",
    "zh-CN": "汇率应为大于 0、最多 8 位小数的数值",
  },
  "pricing.no_rate": {
    "en-US": "There is no exchange rate for {{currency}} valid on {{date}}: add one under pricing settings",
    "zh-CN": "没有 {{currency}} 在 {{date}} 有效的汇率，请先在价格设置中添加汇率",
  },
  "pricing.rate_for_base": {
    "en-US": "{{currency}} is the base currency: rates are quoted against it and need none of their own",
    "zh-CN": "{{currency}} 是本位币，其他币种的汇率以它为基准，无需为它设置汇率",
  },
  "pricing.base_has_rates": {
    "en-US": "Exchange rates are quoted against the current base currency: delete them before changing it",
    "zh-CN": "现有汇率均以当前本位币为基准，请先删除这些汇率再更换本位币",
  },
  "pricing.list_name_taken": { "en-US": "A price list of this name already exists", "zh-CN": "已存在同名的价格表" },
  "pricing.valid_range": {
    "en-US": "The end of validity cannot be before its start",
    "zh-CN": "有效期的结束日期不能早于开始日期",
  },
  "pricing.duplicate_tier": {
    "en-US": "The product is listed twice with the minimum quantity {{minQuantity}}",
    "zh-CN": "同一产品的起订数量 {{minQuantity}} 重复出现",
  },
  "pricing.list_inactive": { "en-US": "The price list “{{name}}” is not active", "zh-CN": "价格表“{{name}}”未启用" },
  "pricing.list_not_valid": {
    "en-US": "The price list “{{name}}” is not valid on {{date}}",
    "zh-CN": "价格表“{{name}}”在 {{date}} 不在有效期内",
  },
  "pricing.list_currency_mismatch": {
    "en-US": "The price list “{{name}}” is in {{listCurrency}}, not in {{currency}}",
    "zh-CN": "价格表“{{name}}”的币种是 {{listCurrency}}，与 {{currency}} 不一致",
  },
});
