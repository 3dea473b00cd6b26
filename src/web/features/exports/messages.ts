/** Strings of the exports screens, one section of the catalogs (zh-CN is the source; en-US is typed against it). */
export const exportsZh = {
  title: "导出",
};

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };

export const exportsEn: Strings<typeof exportsZh> = {
  title: "Export",
};
