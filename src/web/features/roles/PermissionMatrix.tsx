import { Checkbox, Table, Tag, type TableColumnsType } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { translateOr } from "../../i18n/index.js";
import type { PermissionObject } from "./api.js";

type Row = { key: string; object?: PermissionObject; area?: string };

const ACTION_ORDER = ["read", "create", "update", "delete", "export", "import"];

/**
 * Objects × actions grid of checkboxes, built from GET /permissions so new
 * server objects show up without UI changes. Value: "object:action" strings.
 */
export function PermissionMatrix({
  objects,
  value = [],
  onChange,
  disabled,
}: {
  objects: PermissionObject[];
  value?: string[];
  onChange?: (v: string[]) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const selected = useMemo(() => new Set(value), [value]);

  const actions = useMemo(() => {
    const all = [...new Set(objects.flatMap((o) => o.actions))];
    const rank = (a: string) => (ACTION_ORDER.includes(a) ? ACTION_ORDER.indexOf(a) : ACTION_ORDER.length);
    return all.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  }, [objects]);

  const rows = useMemo(() => {
    const areas = [...new Set(objects.map((o) => o.area))];
    return areas.flatMap<Row>((area) => [
      { key: `area:${area}`, area },
      ...objects.filter((o) => o.area === area).map((o) => ({ key: o.name, object: o })),
    ]);
  }, [objects]);

  const set = (perms: string[], on: boolean) => {
    const next = new Set(selected);
    for (const p of perms) {
      if (on) next.add(p);
      else next.delete(p);
    }
    // Keep the server's order so diffs in the audit log read naturally.
    onChange?.(objects.flatMap((o) => o.actions.map((a) => `${o.name}:${a}`)).filter((p) => next.has(p)));
  };

  const objectLabel = (o: PermissionObject) => translateOr(`roles.objects.${o.name}`, o.name);

  const columns: TableColumnsType<Row> = [
    {
      key: "object",
      title: t("roles.object"),
      fixed: "left",
      width: 170,
      onCell: (r) => (r.area ? { colSpan: actions.length + 1 } : {}),
      render: (_, r) => {
        if (r.area) return <Tag color="geekblue">{translateOr(`roles.areas.${r.area}`, r.area)}</Tag>;
        const o = r.object!;
        const perms = o.actions.map((a) => `${o.name}:${a}`);
        const count = perms.filter((p) => selected.has(p)).length;
        return (
          <Checkbox
            disabled={disabled}
            checked={count === perms.length && count > 0}
            indeterminate={count > 0 && count < perms.length}
            onChange={(e) => set(perms, e.target.checked)}
            aria-label={t("roles.selectAllFor", { name: objectLabel(o) })}
          >
            {objectLabel(o)}
          </Checkbox>
        );
      },
    },
    ...actions.map((action) => ({
      key: action,
      title: translateOr(`roles.actions.${action}`, action),
      align: "center" as const,
      width: 72,
      onCell: (r: Row) => (r.area ? { colSpan: 0 } : {}),
      render: (_: unknown, r: Row) => {
        const o = r.object;
        if (!o || !o.actions.includes(action)) return null;
        const p = `${o.name}:${action}`;
        return (
          <Checkbox
            disabled={disabled}
            checked={selected.has(p)}
            onChange={(e) => set([p], e.target.checked)}
            aria-label={`${objectLabel(o)} ${translateOr(`roles.actions.${action}`, action)}`}
            data-testid={`perm-${p}`}
          />
        );
      },
    })),
  ];

  return <Table<Row> rowKey="key" size="small" columns={columns} dataSource={rows} pagination={false} scroll={{ x: "max-content" }} bordered />;
}
