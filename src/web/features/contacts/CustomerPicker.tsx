import { Flex, Select, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearch } from "../search/api.js";

/**
 * Picks one customer by searching /api/v1/search (names, pinyin, phone
 * fragments). `known` labels the value when it is not among the results
 * (a prefilled or already linked customer).
 */
export function CustomerPicker({
  id,
  value,
  onChange,
  known,
  exclude,
  placeholder,
  "data-testid": testId,
}: {
  id?: string;
  value?: string;
  onChange?: (v: string | undefined) => void;
  known?: Record<string, string>;
  exclude?: string[];
  placeholder?: string;
  "data-testid"?: string;
}) {
  const { t } = useTranslation();
  const [input, setInput] = useState("");
  const [q, setQ] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setQ(input), 250);
    return () => clearTimeout(timer);
  }, [input]);
  const results = useSearch(q, { type: "customer", limit: 20 });
  const options = useMemo(() => {
    const items = q.trim() ? (results.data ?? []) : [];
    const list = items
      .filter((r) => r.id === value || !exclude?.includes(r.id))
      .map((r) => ({
        value: r.id,
        title: r.title,
        label: (
          <Flex justify="space-between" gap={8}>
            <span style={{ overflow: "hidden", textOverflow: "ellipsis" }}>{r.title}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12, flex: "none" }}>
              {r.subtitle}
            </Typography.Text>
          </Flex>
        ),
      }));
    if (value && !list.some((o) => o.value === value)) list.unshift({ value, title: known?.[value] ?? value, label: <span>{known?.[value] ?? value}</span> });
    return list;
  }, [results.data, q, value, known, exclude]);

  return (
    <Select
      id={id}
      value={value}
      onChange={(v: string | undefined) => onChange?.(v)}
      showSearch={{ filterOption: false, onSearch: setInput, searchValue: input }}
      onBlur={() => setInput("")}
      allowClear
      optionLabelProp="title"
      loading={results.isFetching}
      placeholder={placeholder ?? t("contacts.customerSearchPlaceholder")}
      notFoundContent={q.trim() ? (results.isFetching ? t("common.loading") : t("search.noResults")) : t("search.typeToSearch")}
      options={options}
      style={{ width: "100%" }}
      data-testid={testId}
    />
  );
}
