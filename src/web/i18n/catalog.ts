import type { zhCN } from "./zh-CN.js";

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };

/** The shape every catalog must have: the Chinese source catalog with any strings. */
export type Catalog = Strings<typeof zhCN>;
