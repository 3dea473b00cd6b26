import { LockOutlined, MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Flex, Form, Input, InputNumber, Select, Tooltip, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { EMAIL_LABELS, PHONE_LABELS, type Email, type Phone } from "./api.js";
import { formatPhone, phoneHref } from "./format.js";

/** Names of the workspace's members (owner columns, duplicate hints): see users/names.ts. */
export { useUserNames } from "../users/names.js";

/** Free-text tags: pick known ones or type new ones. */
export function TagsSelect(props: { id?: string; value?: string[]; onChange?: (v: string[]) => void; placeholder?: string; options?: string[] }) {
  const { t } = useTranslation();
  return (
    <Select
      id={props.id}
      mode="tags"
      value={props.value}
      onChange={props.onChange}
      placeholder={props.placeholder ?? t("customers.tagsPlaceholder")}
      tokenSeparators={[",", "，", " "]}
      options={(props.options ?? []).map((v) => ({ value: v, label: v }))}
      maxCount={50}
      style={{ width: "100%" }}
    />
  );
}

/**
 * Phones or e-mails as a list of label + value rows (Form.List). `onBlurValue`
 * lets the form run its duplicate check when a number was entered.
 */
export function ContactPointFields({ kind, onBlurValue }: { kind: "phones" | "emails"; onBlurValue?: () => void }) {
  const { t } = useTranslation();
  const phones = kind === "phones";
  const labels: { value: string; label: string }[] = phones
    ? PHONE_LABELS.map((l) => ({ value: l, label: t(`customers.phoneLabels.${l}`) }))
    : EMAIL_LABELS.map((l) => ({ value: l, label: t(`customers.emailLabels.${l}`) }));
  const valueField = phones ? "number" : "address";
  return (
    <Form.List name={kind}>
      {(fields, { add, remove }) => (
        <Flex vertical gap={8} style={{ marginBottom: 24 }}>
          <Typography.Text>{phones ? t("customers.phones") : t("customers.emails")}</Typography.Text>
          {fields.map((field) => (
            <Flex key={field.key} gap={8} align="flex-start">
              <Form.Item name={[field.name, "label"]} noStyle>
                <Select
                  style={{ width: 96, flex: "none" }}
                  options={labels}
                  aria-label={t("customers.pointLabel")}
                />
              </Form.Item>
              <Form.Item
                name={[field.name, valueField]}
                style={{ flex: 1, marginBottom: 0, minWidth: 0 }}
                // Empty rows are dropped on save; the server checks numbers (and says which one is wrong).
                rules={phones ? [] : [{ type: "email", message: t("validation.email") }]}
              >
                <Input
                  inputMode={phones ? "tel" : "email"}
                  placeholder={phones ? t("customers.phonePlaceholder") : t("customers.emailPlaceholder")}
                  onBlur={onBlurValue}
                  data-testid={`${kind}-${field.name}`}
                />
              </Form.Item>
              <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} aria-label={t("common.remove")} />
            </Flex>
          ))}
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            onClick={() => add({ label: labels[0]!.value, [valueField]: "" })}
            style={{ alignSelf: "flex-start" }}
            data-testid={`add-${kind}`}
          >
            {phones ? t("customers.addPhone") : t("customers.addEmail")}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}

/** A masked phone or e-mail (pool customers): plain text with a lock, never a link. */
function Masked({ text: value }: { text: string }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t("pool.maskedHint")}>
      <span data-testid="contact-point-masked" style={{ color: "#8c8c8c" }}>
        {value.replace(/^\+86(?=\d)/, "")} <LockOutlined />
      </span>
    </Tooltip>
  );
}

/** Phones as tel: links, one per line, with their label; `masked` ones as plain text. */
export function PhoneLinks({ phones, compact = false, masked = false }: { phones: Phone[]; compact?: boolean; masked?: boolean }) {
  const { t } = useTranslation();
  if (!phones.length) return <>—</>;
  const shown = compact ? phones.slice(0, 1) : phones;
  return (
    <Flex vertical gap={2}>
      {shown.map((p, i) => (
        <span key={i} style={{ whiteSpace: "nowrap" }}>
          {masked ? <Masked text={p.number} /> : <a href={phoneHref(p.number)} data-testid="phone-link">{formatPhone(p.number)}</a>}
          {compact ? null : (
            <Typography.Text type="secondary" style={{ marginInlineStart: 6, fontSize: 12 }}>
              {t(`customers.phoneLabels.${p.label}`)}
            </Typography.Text>
          )}
        </span>
      ))}
    </Flex>
  );
}

export function EmailLinks({ emails, masked = false }: { emails: Email[]; masked?: boolean }) {
  const { t } = useTranslation();
  if (!emails.length) return <>—</>;
  return (
    <Flex vertical gap={2}>
      {emails.map((e, i) => (
        <span key={i} style={{ wordBreak: "break-all" }}>
          {masked ? <Masked text={e.address} /> : <a href={`mailto:${e.address}`}>{e.address}</a>}
          <Typography.Text type="secondary" style={{ marginInlineStart: 6, fontSize: 12 }}>
            {t(`customers.emailLabels.${e.label}`)}
          </Typography.Text>
        </span>
      ))}
    </Flex>
  );
}

/** A money amount as an exact decimal string ("12500.00"), grouped while shown. */
export function MoneyInput(props: { id?: string; value?: string | null; onChange?: (v: string | null) => void; placeholder?: string; "data-testid"?: string; prefix?: string }) {
  return (
    <InputNumber<string>
      id={props.id}
      value={props.value ?? null}
      onChange={(v) => props.onChange?.(v === null || v === "" ? null : v)}
      stringMode
      min="0"
      precision={2}
      prefix={props.prefix}
      placeholder={props.placeholder}
      style={{ width: "100%" }}
      formatter={(v) => (v ? `${v}`.replace(/\B(?=(\d{3})+(?!\d))/g, ",") : "")}
      parser={(v) => (v ?? "").replace(/[,\s¥$]/g, "")}
      data-testid={props["data-testid"]}
    />
  );
}
