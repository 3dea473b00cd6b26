import { Select } from "antd";
import { useMemo, useState, type CSSProperties } from "react";
import { useTranslation } from "react-i18next";
import { useCan, useSession } from "../../app/session.js";
import { useUserOptions } from "../users/api.js";
import { POOL } from "./api.js";

/**
 * Filter by owner: "mine", the public pool, or any member (searched on the
 * server). Value: a user id, POOL, or undefined for everyone.
 */
export function OwnerFilter({ value, onChange, style, pool = true }: { value?: string; onChange: (v: string | undefined) => void; style?: CSSProperties; pool?: boolean }) {
  const { t } = useTranslation();
  const me = useSession();
  const can = useCan();
  const [q, setQ] = useState("");
  const users = useUserOptions(q, can("user:read"));
  const options = useMemo(() => {
    const fixed = [
      { value: me.user.id, label: t("customers.mine") },
      ...(pool ? [{ value: POOL, label: t("customers.publicPool") }] : []),
    ];
    const members = (users.data?.items ?? []).filter((u) => u.id !== me.user.id).map((u) => ({ value: u.id, label: u.name }));
    return q ? [...fixed.filter((o) => o.label.includes(q)), ...members] : [...fixed, ...members];
  }, [users.data, me.user.id, pool, q, t]);
  return (
    <Select
      allowClear
      value={value}
      onChange={(v: string | undefined) => onChange(v)}
      placeholder={t("customers.filterOwner")}
      showSearch={{ filterOption: false, onSearch: setQ }}
      onBlur={() => setQ("")}
      loading={users.isFetching}
      options={options}
      style={style}
      data-testid="owner-filter"
    />
  );
}
