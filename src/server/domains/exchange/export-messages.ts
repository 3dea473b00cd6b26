import { registerMessages } from "../../lib/i18n.js";

/** Messages of exports (list views written to CSV, Excel or vCard files). */
registerMessages({
  "objects.export": { "en-US": "Export", "zh-CN": "导出" },
  "export.not_ready": { "en-US": "The export is not finished yet: wait until it has completed", "zh-CN": "导出尚未完成，请等待完成后再下载" },
  "export.failed": { "en-US": "The export failed: start it again", "zh-CN": "导出失败，请重新导出" },
  "export.expired": { "en-US": "This export has expired (files are kept for 7 days): export again", "zh-CN": "该导出文件已过期（文件保留 7 天），请重新导出" },
  "export.file_customer": { "en-US": "Customers", "zh-CN": "客户" },
  "export.file_contact": { "en-US": "Contacts", "zh-CN": "联系人" },
});
