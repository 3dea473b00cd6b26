/** Strings of the exports screens, one section of the catalogs (zh-CN is the source; en-US is typed against it). */
export const exportsZh = {
  title: "导出",
  button: "导出",
  help: "导出当前列表（筛选、排序、搜索和显示的列）",
  csv: "CSV（Excel 可直接打开）",
  xlsx: "Excel 工作簿（.xlsx）",
  vcard: "vCard 名片（.vcf）",
  running: "正在导出…",
  preparing: "正在生成导出文件，完成后可在此下载。大量数据可能需要一两分钟，可关闭此窗口，稍后在任务中查看。",
  done: "导出完成：{{rows}} 条记录",
  failed: "导出失败，请重试",
  expired: "文件已过期，请重新导出",
  download: "下载文件",
  close: "关闭",
  keptFor: "文件保留 7 天，仅您本人可以下载。",
  import: "导入",
};

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };

export const exportsEn: Strings<typeof exportsZh> = {
  title: "Export",
  button: "Export",
  help: "Export the current list (filters, sort, search and visible columns)",
  csv: "CSV (opens in Excel)",
  xlsx: "Excel workbook (.xlsx)",
  vcard: "vCard (.vcf)",
  running: "Exporting…",
  preparing: "The file is being written; download it here when it is ready. Large lists can take a minute or two: you may close this window and find it under jobs later.",
  done: "Export finished: {{rows}} records",
  failed: "The export failed: try again",
  expired: "The file has expired: export again",
  download: "Download file",
  close: "Close",
  keptFor: "Files are kept for 7 days, and only you can download them.",
  import: "Import",
};
