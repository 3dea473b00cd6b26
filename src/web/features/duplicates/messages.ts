/** Strings of the duplicates screens, one section of the catalogs (zh-CN is the source; en-US is typed against it). */
export const duplicatesZh = {
  title: "查重合并",
};

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };

export const duplicatesEn: Strings<typeof duplicatesZh> = {
  title: "Duplicates",
};
