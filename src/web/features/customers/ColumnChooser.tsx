import { SettingOutlined } from "@ant-design/icons";
import { Button, Checkbox, Flex, Popover, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

function read(storageKey: string, defaults: readonly string[]): string[] {
  try {
    const raw = window.localStorage.getItem(storageKey);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (Array.isArray(parsed)) return parsed.filter((k): k is string => typeof k === "string");
  } catch {
    // Blocked or corrupt storage: the defaults.
  }
  return [...defaults];
}

/**
 * The visible columns of a table, remembered in this browser. `all` may grow
 * after the first render (custom fields load later): the stored choice is
 * kept as it is and matched against `all` on every render.
 */
export function useStoredColumns(storageKey: string, all: readonly string[], defaults: readonly string[]) {
  const [chosen, setChosen] = useState<string[]>(() => read(storageKey, defaults));
  const visible = all.filter((k) => chosen.includes(k));
  const update = (next: string[]) => {
    const ordered = all.filter((k) => next.includes(k));
    setChosen(ordered);
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(ordered));
    } catch {
      // Not fatal: the choice lasts until reload.
    }
  };
  return [visible, update, () => update([...defaults])] as const;
}

/** A "columns" button with a checkbox per optional column. */
export function ColumnChooser({
  options,
  value,
  onChange,
  onReset,
}: {
  options: { value: string; label: string }[];
  value: string[];
  onChange: (v: string[]) => void;
  onReset: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      title={
        <Flex justify="space-between" align="center" gap={16}>
          <Typography.Text strong>{t("customers.columns")}</Typography.Text>
          <Button type="link" size="small" onClick={onReset} style={{ padding: 0 }}>
            {t("common.reset")}
          </Button>
        </Flex>
      }
      content={
        <Checkbox.Group value={value} onChange={(v) => onChange(v as string[])} data-testid="column-chooser">
          <Flex vertical gap={6}>
            {options.map((o) => (
              <Checkbox key={o.value} value={o.value}>
                {o.label}
              </Checkbox>
            ))}
          </Flex>
        </Checkbox.Group>
      }
    >
      <Button icon={<SettingOutlined />} aria-label={t("customers.columns")} data-testid="column-chooser-button">
        {t("customers.columns")}
      </Button>
    </Popover>
  );
}
