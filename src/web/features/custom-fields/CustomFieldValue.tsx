import { Flex, Tag } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { useUserNames } from "../customers/fields.js";
import { formatMoney } from "../customers/format.js";
import type { CustomField } from "./api.js";

/** A stored custom value as people read it: money grouped, dates localized, options by label, users by name. */
export function CustomFieldValue({ field, value }: { field: CustomField; value: unknown }) {
  const { t } = useTranslation();
  const userName = useUserNames();
  if (value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)) return <>—</>;
  const optionLabel = (v: string) => field.options.find((o) => o.value === v)?.label ?? v;
  switch (field.type) {
    case "money":
      return <>{formatMoney(String(value))}</>;
    case "number":
      return <>{typeof value === "number" ? value.toLocaleString() : String(value)}</>;
    case "date":
      return <>{dayjs(String(value)).format("LL")}</>;
    case "boolean":
      return <>{value === true ? t("customFields.yes") : t("customFields.no")}</>;
    case "select":
      return <Tag style={{ marginInlineEnd: 0 }}>{optionLabel(String(value))}</Tag>;
    case "multiselect":
      return (
        <Flex gap={4} wrap="wrap">
          {(Array.isArray(value) ? value : [value]).map((v) => (
            <Tag key={String(v)} style={{ marginInlineEnd: 0 }}>
              {optionLabel(String(v))}
            </Tag>
          ))}
        </Flex>
      );
    case "user":
      return <>{userName(String(value)) ?? "—"}</>;
    case "url": {
      const href = String(value);
      return /^https?:\/\//i.test(href) ? (
        <a href={href} target="_blank" rel="noopener noreferrer" style={{ wordBreak: "break-all" }}>
          {href}
        </a>
      ) : (
        <>{href}</>
      );
    }
    default:
      return <span style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>{String(value)}</span>;
  }
}
