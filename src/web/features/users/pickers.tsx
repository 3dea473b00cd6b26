import { Select, TreeSelect } from "antd";
import { useMemo, useState, type CSSProperties } from "react";
import { useTranslation } from "react-i18next";
import { useCan } from "../../app/session.js";
import { buildDepartmentTree, useDepartments } from "../departments/api.js";
import { useRoles } from "../roles/api.js";
import { useTeams } from "../teams/api.js";
import { useUserOptions } from "./api.js";

type Value<T> = { value?: T; onChange?: (v: T) => void; placeholder?: string; disabled?: boolean; style?: CSSProperties; "data-testid"?: string };

export function RoleSelect({ allowClear, ...props }: Value<string | undefined> & { allowClear?: boolean }) {
  const can = useCan();
  const roles = useRoles(can("role:read"));
  return (
    <Select
      {...props}
      allowClear={allowClear}
      loading={roles.isLoading}
      showSearch={{ optionFilterProp: "label" }}
      options={(roles.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
    />
  );
}

export function DepartmentSelect({ exclude, ...props }: Value<string | null | undefined> & { exclude?: string }) {
  const can = useCan();
  const departments = useDepartments(can("department:read"));
  const tree = useMemo(() => buildDepartmentTree(departments.data ?? [], exclude), [departments.data, exclude]);
  return (
    <TreeSelect
      {...props}
      allowClear
      treeDefaultExpandAll
      loading={departments.isLoading}
      treeData={tree}
      showSearch
      treeNodeFilterProp="title"
      onChange={(v: string | undefined) => props.onChange?.(v ?? null)}
      value={props.value ?? undefined}
    />
  );
}

export function TeamsSelect(props: Value<string[]>) {
  const can = useCan();
  const teams = useTeams(can("team:read"));
  return (
    <Select
      {...props}
      mode="multiple"
      allowClear
      loading={teams.isLoading}
      showSearch={{ optionFilterProp: "label" }}
      options={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
    />
  );
}

/**
 * Picks users by searching the server. `known` supplies labels for values that
 * the current search result does not contain (e.g. existing team members).
 */
export function UserSelect({
  mode,
  known,
  ...props
}: Value<string | string[] | undefined> & { mode?: "multiple"; known?: Record<string, string>; allowClear?: boolean }) {
  const { t } = useTranslation();
  const [q, setQ] = useState("");
  const users = useUserOptions(q);
  const selected = props.value === undefined ? [] : Array.isArray(props.value) ? props.value : [props.value];
  const selectedKey = selected.join(",");
  const options = useMemo(() => {
    const map = new Map<string, string>();
    for (const u of users.data?.items ?? []) map.set(u.id, `${u.name} <${u.email}>`);
    // Selected users outside the current search still need a label for their tag.
    for (const id of selectedKey ? selectedKey.split(",") : []) if (!map.has(id)) map.set(id, known?.[id] ?? id);
    return [...map].map(([value, label]) => ({ value, label }));
  }, [users.data, known, selectedKey]);
  return (
    <Select
      {...props}
      mode={mode}
      showSearch={{ filterOption: false, onSearch: setQ }}
      onBlur={() => setQ("")}
      loading={users.isFetching}
      options={options}
      notFoundContent={users.isFetching ? t("common.loading") : undefined}
    />
  );
}
