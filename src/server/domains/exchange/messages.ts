import { registerMessages } from "../../lib/i18n.js";

/** Messages about imported values (the readers register their own about files). */
registerMessages({
  "import.value_date": { "en-US": "“{{value}}” is not a date (e.g. 2024-01-05, 2024/1/5, 2024年1月5日)", "zh-CN": "“{{value}}”不是有效日期（例如 2024-01-05、2024/1/5、2024年1月5日）" },
  "import.value_date_no_year": { "en-US": "“{{value}}” has no year", "zh-CN": "“{{value}}”缺少年份" },
  "import.value_number": { "en-US": "“{{value}}” is not an amount", "zh-CN": "“{{value}}”不是有效金额或数字" },
  "import.value_option": { "en-US": "“{{value}}” is not one of the options ({{options}})", "zh-CN": "“{{value}}”不是可选值（{{options}}）" },
  "import.value_phone": { "en-US": "“{{value}}” is not a valid phone number", "zh-CN": "“{{value}}”不是有效的电话号码" },
  "import.value_email": { "en-US": "“{{value}}” is not a valid e-mail address", "zh-CN": "“{{value}}”不是有效的邮箱地址" },
  "import.value_boolean": { "en-US": "“{{value}}” is neither yes nor no", "zh-CN": "“{{value}}”应为“是”或“否”" },
});
