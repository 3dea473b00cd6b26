/** Strings of the imports screens, one section of the catalogs (zh-CN is the source; en-US is typed against it). */
export const importsZh = {
  title: "数据导入",
};

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };

export const importsEn: Strings<typeof importsZh> = {
  title: "Imports",
};
