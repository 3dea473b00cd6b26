import { Flex, Select, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryRows } from "../../app/components/InfiniteTable.js";
import { useProducts, type Product } from "./api.js";

/**
 * Picks an active product by name or SKU. `known` labels a value that is not
 * among the results (a saved line); `onPick` hands over the whole product so
 * a form can fill name, unit and tax rate.
 */
export function ProductPicker({
  id,
  value,
  onChange,
  onPick,
  known,
  "data-testid": testId,
}: {
  id?: string;
  value?: string | null;
  onChange?: (v: string | null) => void;
  onPick?: (p: Product | null) => void;
  known?: string;
  "data-testid"?: string;
}) {
  const { t } = useTranslation();
  const [input, setInput] = useState("");
  const [q, setQ] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setQ(input), 250);
    return () => clearTimeout(timer);
  }, [input]);
  const products = useProducts({ q, active: true }, { pageSize: 20 });
  const rows = useQueryRows(products);
  const options = useMemo(() => {
    const list = rows.map((p) => ({
      value: p.id,
      title: `${p.name} (${p.sku})`,
      label: (
        <Flex justify="space-between" gap={8}>
          <span style={{ overflow: "hidden", textOverflow: "ellipsis" }}>{p.name}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12, flex: "none" }}>
            {p.sku}
          </Typography.Text>
        </Flex>
      ),
    }));
    if (value && !list.some((o) => o.value === value)) list.unshift({ value, title: known ?? value, label: <span>{known ?? value}</span> });
    return list;
  }, [rows, value, known]);

  return (
    <Select
      id={id}
      value={value ?? undefined}
      onChange={(v: string | undefined) => {
        onChange?.(v ?? null);
        onPick?.(rows.find((p) => p.id === v) ?? null);
      }}
      showSearch={{ filterOption: false, onSearch: setInput, searchValue: input }}
      onBlur={() => setInput("")}
      allowClear
      optionLabelProp="title"
      loading={products.isFetching}
      placeholder={t("products.picker.placeholder")}
      notFoundContent={products.isFetching ? t("common.loading") : undefined}
      options={options}
      style={{ width: "100%", minWidth: 180 }}
      popupMatchSelectWidth={false}
      data-testid={testId}
    />
  );
}
