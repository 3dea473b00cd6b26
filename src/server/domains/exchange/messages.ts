import { registerMessages } from "../../lib/i18n.js";

/** Messages about imported values (the readers register their own about files). */
registerMessages({
  "import.value_date": { "en-US": "“{{value}}” is not a date (e.g. 2024-01-05, 2024/1/5, 2024年1月5日)", "zh-CN": "“{{value}}”不是有效日期（例如 2024-01-05、2024/1/5、2024年1月5日）" },
  "import.value_date_no_year": { "en-US": "“{{value}}” has no year", "zh-CN": "“{{value}}”缺少年份" },
  "import.value_number": { "en-US": "“{{value}}” is not an amount", "zh-CN": "“{{value}}”不是有效金额或数字" },
  "import.value_option": { "en-US": "“{{value}}” is not one of the options ({{options}})", "zh-CN": "“{{value}}”不是可选值（{{options}}）" },
  "import.value_phone": { "en-US": "“{{value}}” is not a valid phone number", "zh-CN": "“{{value}}”不是有效的电话号码" },
  "import.value_email": { "en-US": "“{{value}}” is not a valid e-mail address", "zh-CN": "“{{value}}”不是有效的邮箱地址" },
  "import.value_invalid": { "en-US": "“{{value}}” is not valid here", "zh-CN": "“{{value}}”在此列无效" },
  "import.required": { "en-US": "{{field}} is required", "zh-CN": "缺少必填项：{{field}}" },
  "import.owner_unknown": { "en-US": "No member “{{value}}” in this workspace (give an e-mail or a name)", "zh-CN": "工作区中没有成员“{{value}}”（请填写邮箱或姓名）" },
  "import.owner_ambiguous": { "en-US": "Several members are called “{{value}}”: give the e-mail", "zh-CN": "有多名成员叫“{{value}}”，请改填邮箱" },
  "import.customer_not_found": { "en-US": "No customer “{{value}}”", "zh-CN": "找不到客户“{{value}}”" },
  "import.customer_ambiguous": { "en-US": "Several customers are called “{{value}}”: give the customer code", "zh-CN": "有多个客户叫“{{value}}”，请改填客户编码" },
  "import.busy": { "en-US": "This import is running: wait until it has finished", "zh-CN": "导入正在进行，请等待完成后再操作" },
  "import.already_run": { "en-US": "This import has already run: upload the file again to import it again", "zh-CN": "该导入已执行过；如需再次导入，请重新上传文件" },
  "import.mapping_empty": { "en-US": "Map at least one column to a field", "zh-CN": "请至少为一列选择对应字段" },
  "import.mapping_length": { "en-US": "The mapping must name a field (or none) for each of the {{columns}} columns", "zh-CN": "字段映射须与文件的 {{columns}} 列一一对应" },
  "import.mapping_unknown": { "en-US": "Column “{{column}}”: there is no field “{{target}}”", "zh-CN": "列“{{column}}”：不存在字段“{{target}}”" },
  "import.sheet_unknown": { "en-US": "The workbook has no sheet “{{sheet}}”", "zh-CN": "工作簿中没有名为“{{sheet}}”的工作表" },
  "import.already_undone": { "en-US": "This import has already been undone", "zh-CN": "该导入已撤销" },
  "import.undo_not_run": { "en-US": "Only a completed import can be undone", "zh-CN": "只能撤销已完成的导入" },
  "import.mapping_column_unknown": { "en-US": "The file has no column “{{column}}” (its columns: {{columns}})", "zh-CN": "文件中没有“{{column}}”列（文件的列：{{columns}}）" },
  "import.problem_row": { "en-US": "Row", "zh-CN": "行" },
  "objects.import": { "en-US": "Import", "zh-CN": "导入" },
  "import.value_boolean": { "en-US": "“{{value}}” is neither yes nor no", "zh-CN": "“{{value}}”应为“是”或“否”" },
});
