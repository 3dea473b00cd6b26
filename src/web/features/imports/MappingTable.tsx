import { Select, Table, Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useActiveCustomFields } from "../custom-fields/api.js";
import type { Import, PreviewCell } from "./api.js";
import { fieldLabelKey, isMulti, OBJECT_TRAITS, PHONE_LABELS, STANDARD_FIELDS } from "./fields.js";

const NOT_IMPORTED = "";

const cellText = (c: PreviewCell | undefined): string => (c === null || c === undefined ? "" : Array.isArray(c) ? c.join("; ") : String(c));

/** Up to three non-empty values of a column from the preview rows. */
function samples(imp: Import, column: number): string[] {
  const out: string[] = [];
  for (const row of imp.preview ?? []) {
    const text = cellText(row.cells[column]).trim();
    if (text && !out.includes(text)) out.push(text);
    if (out.length >= 3) break;
  }
  return out;
}

/**
 * One row per column of the file: its title, sample values and the field it
 * goes to (grouped: standard fields, phones by kind, custom fields; or "not
 * imported"). A single-valued field chosen for two columns is flagged.
 */
export function MappingTable({ imp, mapping, onChange, disabled }: { imp: Import; mapping: (string | null)[]; onChange: (column: number, target: string | null) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  const traits = OBJECT_TRAITS[imp.objectType];
  // Custom fields exist for customers and contacts only.
  const custom = useActiveCustomFields(imp.objectType === "contact" ? "contact" : "customer", traits.custom);
  const options = useMemo(() => {
    const label = (key: string) => t(fieldLabelKey(imp.objectType, key));
    return [
      { value: NOT_IMPORTED, label: t("imports.mapping.notImported") },
      { label: t("imports.mapping.groups.standard"), title: "standard", options: STANDARD_FIELDS[imp.objectType].map((key) => ({ value: key, label: label(key) })) },
      ...(traits.phones
        ? [{ label: t("imports.mapping.groups.phones"), title: "phones", options: PHONE_LABELS.map((l) => ({ value: `phones:${l}`, label: t(`imports.mapping.phoneLabels.${l}`) })) }]
        : []),
      ...(traits.custom && custom.data?.length
        ? [{ label: t("imports.mapping.groups.custom"), title: "custom", options: custom.data.map((f) => ({ value: `custom.${f.key}`, label: f.label })) }]
        : []),
    ];
  }, [t, imp.objectType, traits, custom.data]);

  const used = new Map<string, number>();
  for (const target of mapping) if (target && !isMulti(target)) used.set(target, (used.get(target) ?? 0) + 1);

  const rows = imp.headers.map((title, column) => ({ column, title, samples: samples(imp, column), target: mapping[column] ?? null }));
  return (
    <Table
      data-testid="mapping-table"
      size="small"
      pagination={false}
      rowKey="column"
      dataSource={rows}
      scroll={{ x: true }}
      onRow={(r) => ({ "data-testid": `mapping-row-${r.column}`, "data-target": r.target ?? "" }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: t("imports.mapping.column"), dataIndex: "title", width: 200, render: (title: string) => <Typography.Text strong>{title || "—"}</Typography.Text> },
        {
          title: t("imports.mapping.samples"),
          dataIndex: "samples",
          render: (values: string[]) => (
            <Typography.Text type="secondary" ellipsis style={{ maxWidth: 320 }}>
              {values.join(" · ")}
            </Typography.Text>
          ),
        },
        {
          title: t("imports.mapping.field"),
          dataIndex: "target",
          width: 260,
          render: (target: string | null, r) => {
            const duplicate = target !== null && (used.get(target) ?? 0) > 1;
            return (
              <>
                <Select
                  data-testid={`mapping-select-${r.column}`}
                  style={{ width: 240 }}
                  value={target ?? NOT_IMPORTED}
                  onChange={(v: string) => onChange(r.column, v === NOT_IMPORTED ? null : v)}
                  options={options}
                  disabled={disabled}
                  status={duplicate ? "warning" : undefined}
                  showSearch={{ optionFilterProp: "label" }}
                  popupMatchSelectWidth={false}
                />
                {duplicate ? (
                  <Typography.Text type="warning" style={{ display: "block", fontSize: 12 }}>
                    {t("imports.mapping.duplicateField")}
                  </Typography.Text>
                ) : null}
              </>
            );
          },
        },
      ]}
    />
  );
}
