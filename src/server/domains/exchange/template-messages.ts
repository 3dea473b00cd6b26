import { registerMessages } from "../../lib/i18n.js";

/** Messages of import templates and the error report. */
registerMessages({
  "objects.import_template": { "en-US": "Import template", "zh-CN": "导入模板" },
  "import_template.name_taken": { "en-US": "A template called “{{name}}” already exists", "zh-CN": "已存在名为“{{name}}”的模板" },
  "import_template.target_unknown": { "en-US": "Column “{{column}}”: there is no field “{{target}}”", "zh-CN": "列“{{column}}”：不存在字段“{{target}}”" },
  "import_template.object_mismatch": {
    "en-US": "This template is for another kind of record",
    "zh-CN": "该模板适用于其他类型的数据",
  },
  "import_report.errors": { "en-US": "Errors", "zh-CN": "错误" },
  "import_report.row": { "en-US": "Row", "zh-CN": "行号" },
  "import_report.sheet": { "en-US": "Errors", "zh-CN": "错误" },
  "import_report.column_issue": { "en-US": "Column “{{column}}”: {{message}}", "zh-CN": "列“{{column}}”：{{message}}" },
  "import_report.file_suffix": { "en-US": "errors", "zh-CN": "错误报告" },
});
