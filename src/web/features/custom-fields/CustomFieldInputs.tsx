import { Col, DatePicker, Divider, Form, Input, InputNumber, Row, Select, Switch } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { MoneyInput } from "../customers/fields.js";
import { UserSelect } from "../users/pickers.js";
import { useActiveCustomFields, type CustomField, type CustomFieldObject } from "./api.js";

const isEmpty = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

/** The values a form holds for `custom`, as the API wants them: only filled-in keys (a create). */
export function filledCustom(values: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const out = Object.fromEntries(Object.entries(values ?? {}).filter(([, v]) => !isEmpty(v)));
  return Object.keys(out).length ? out : undefined;
}

/** Only the custom keys whose value changed (an update); a cleared one is sent as null. */
export function changedCustom(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(after ?? {})) {
    const a = isEmpty(after?.[key]) ? null : after![key];
    const b = isEmpty(before?.[key]) ? null : before![key];
    if (JSON.stringify(a) !== JSON.stringify(b)) out[key] = a;
  }
  return Object.keys(out).length ? out : undefined;
}

function input(field: CustomField): ReactNode {
  const testId = `custom-${field.key}`;
  switch (field.type) {
    case "number":
      return <InputNumber style={{ width: "100%" }} data-testid={testId} />;
    case "money":
      return <MoneyInput data-testid={testId} />;
    case "date":
      return <DatePicker style={{ width: "100%" }} data-testid={testId} />;
    case "select":
      return <Select allowClear options={field.options} data-testid={testId} />;
    case "multiselect":
      return <Select mode="multiple" allowClear options={field.options} data-testid={testId} />;
    case "boolean":
      return <Switch data-testid={testId} />;
    case "user":
      return <UserSelect allowClear data-testid={testId} />;
    case "url":
      return <Input inputMode="url" placeholder="https://" maxLength={2000} data-testid={testId} />;
    default:
      return <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} maxLength={2000} data-testid={testId} />;
  }
}

/** Form.Item props that keep the form's value in the API's shape (a date as "YYYY-MM-DD", a boolean as checked). */
function itemProps(field: CustomField) {
  if (field.type === "date")
    return {
      getValueProps: (v: unknown) => ({ value: typeof v === "string" && v ? dayjs(v) : null }),
      normalize: (d: Dayjs | null) => (d ? d.format("YYYY-MM-DD") : null),
    };
  if (field.type === "boolean") return { valuePropName: "checked" };
  return {};
}

/**
 * The workspace's custom fields of customers or contacts as typed inputs,
 * under the form's `custom` (the server's issues at ["custom", key] land on
 * them). Nothing when the workspace has none.
 */
export function CustomFieldInputs({ objectType, divider = true }: { objectType: CustomFieldObject; divider?: boolean }) {
  const { t } = useTranslation();
  const fields = useActiveCustomFields(objectType);
  if (!fields.data?.length) return null;
  return (
    <Row gutter={16} data-testid="custom-fields-section">
      {divider ? (
        <Col span={24}>
          <Divider titlePlacement="start" style={{ marginTop: 0 }}>
            {t("customFields.section")}
          </Divider>
        </Col>
      ) : null}
      {fields.data.map((f) => (
        <Col key={f.id} xs={24} sm={f.type === "text" || f.type === "multiselect" ? 24 : 12}>
          <Form.Item
            name={["custom", f.key]}
            label={f.label}
            rules={f.required ? [{ required: true, message: t("validation.required", { field: f.label }) }] : []}
            {...itemProps(f)}
          >
            {input(f)}
          </Form.Item>
        </Col>
      ))}
    </Row>
  );
}

/** Whether the workspace has custom fields for this kind of record (to show a tab for them). */
export function useHasCustomFields(objectType: CustomFieldObject): boolean {
  return (useActiveCustomFields(objectType).data?.length ?? 0) > 0;
}
