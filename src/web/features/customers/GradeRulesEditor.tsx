import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, DatePicker, Flex, Form, Input, InputNumber, Select, Typography, type FormInstance } from "antd";
import dayjs from "dayjs";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useActiveCustomFields, type CustomField } from "../custom-fields/api.js";
import { JobProgress } from "../jobs/JobProgress.js";
import {
  CUSTOMER_KINDS,
  CUSTOMER_STATUSES,
  customersKey,
  customerSettingsKey,
  GRADES,
  LIFECYCLE_STAGES,
  updateCustomerSettings,
  type CustomerSettings,
  type Grade,
  type GradeRule,
} from "./api.js";

type FieldKind = "text" | "number" | "date" | "enum" | "boolean" | "tags";
const OPS: Record<FieldKind, string[]> = {
  text: ["eq", "ne", "contains", "in", "null"],
  number: ["gte", "gt", "lte", "lt", "eq", "ne", "null"],
  date: ["gte", "lte", "gt", "lt", "null"],
  enum: ["eq", "ne", "in", "null"],
  boolean: ["eq"],
  tags: ["eq", "in"],
};

interface FieldDef {
  name: string;
  label: string;
  kind: FieldKind;
  options?: { value: string; label: string }[];
}

interface Condition {
  field?: string;
  op?: string;
  value?: string | string[] | number | null;
}
interface RuleValues {
  grade: Grade;
  conditions: Condition[];
}
interface Values {
  rules: RuleValues[];
  defaultGrade?: Grade;
}

/** "creditLimit:gte:1000000" → its parts (the value may contain colons). */
function parseCondition(expr: string): Condition {
  const first = expr.indexOf(":");
  const second = first < 0 ? -1 : expr.indexOf(":", first + 1);
  if (first < 0 || second < 0) return { field: expr };
  const op = expr.slice(first + 1, second);
  const raw = expr.slice(second + 1);
  return { field: expr.slice(0, first), op, value: op === "in" ? raw.split("|") : raw };
}

function conditionString(c: Condition): string | null {
  if (!c.field || !c.op) return null;
  const value = Array.isArray(c.value) ? c.value.join("|") : c.value === null || c.value === undefined ? "" : String(c.value);
  if (value === "") return null;
  return `${c.field}:${c.op}:${value}`;
}

/** The list filter fields a rule may test, with the workspace's custom fields as custom.<key>. */
function useRuleFields(): FieldDef[] {
  const { t } = useTranslation();
  const custom = useActiveCustomFields("customer");
  return useMemo(() => {
    const opts = (values: readonly string[], prefix: string) => values.map((v) => ({ value: v, label: t(`${prefix}.${v}` as "customers.kinds.organization") }));
    const base: FieldDef[] = [
      { name: "creditLimit", label: t("customers.creditLimit"), kind: "number" },
      { name: "lifecycleStage", label: t("customers.lifecycleStage"), kind: "enum", options: opts(LIFECYCLE_STAGES, "customers.stages") },
      { name: "status", label: t("customers.status"), kind: "enum", options: opts(CUSTOMER_STATUSES, "customers.statuses") },
      { name: "kind", label: t("customers.kind"), kind: "enum", options: opts(CUSTOMER_KINDS, "customers.kinds") },
      { name: "tag", label: t("customers.tags"), kind: "tags" },
      { name: "industry", label: t("customers.industry"), kind: "text" },
      { name: "source", label: t("customers.source"), kind: "text" },
      { name: "type", label: t("customers.type"), kind: "text" },
      { name: "provinceCode", label: t("gradeRules.provinceCode"), kind: "text" },
      { name: "cooperationSince", label: t("customers.cooperationSince"), kind: "date" },
      { name: "lastFollowUpAt", label: t("pool.lastFollowUp"), kind: "date" },
      { name: "createdAt", label: t("common.createdAt"), kind: "date" },
    ];
    const kindOf = (f: CustomField): FieldKind =>
      f.type === "number" || f.type === "money" ? "number" : f.type === "boolean" ? "boolean" : f.type === "select" ? "enum" : f.type === "multiselect" ? "tags" : f.type === "date" ? "date" : "text";
    return [
      ...base,
      ...(custom.data ?? [])
        .filter((f) => f.type !== "user")
        .map((f) => ({ name: `custom.${f.key}`, label: f.label, kind: kindOf(f), options: f.type === "select" || f.type === "multiselect" ? f.options : undefined })),
    ];
  }, [t, custom.data]);
}

/**
 * 自动评级: rules checked in order, the first whose conditions all match
 * gives the grade; otherwise the default grade. Saving re-grades every
 * customer without a manual grade, in a background job whose progress shows.
 */
export function GradeRulesEditor({ settings }: { settings: CustomerSettings }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const fields = useRuleFields();
  const [jobId, setJobId] = useState<string | null>(null);

  // By value: saving the code pattern replaces the settings object, which must not reset rules being edited.
  const rulesKey = JSON.stringify(settings.gradeRules);
  useEffect(() => {
    form.setFieldsValue({
      rules: (JSON.parse(rulesKey) as GradeRule[]).map((r) => ({ grade: r.grade, conditions: r.filter.map(parseCondition) })),
      defaultGrade: settings.defaultGrade ?? undefined,
    });
  }, [rulesKey, settings.defaultGrade, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const gradeRules: GradeRule[] = (v.rules ?? []).map((r) => ({ grade: r.grade, filter: (r.conditions ?? []).map(conditionString).filter((x): x is string => x !== null) }));
      return updateCustomerSettings({ version: settings.version, gradeRules, defaultGrade: v.defaultGrade ?? null });
    },
    onSuccess: (s) => {
      queryClient.setQueryData(customerSettingsKey, s);
      setJobId(s.regradeJobId ?? null);
      void message.success(t("gradeRules.savedMsg"));
    },
    onError: (err) => handleSaveError(err, form, () => void queryClient.invalidateQueries({ queryKey: customerSettingsKey })),
  });

  return (
    <Form form={form} layout="vertical" name="grade-rules" onFinish={(v) => save.mutate(v)} data-testid="grade-rules">
      <Typography.Paragraph type="secondary">{t("gradeRules.help")}</Typography.Paragraph>
      <Form.List name="rules">
        {(rules, { add, remove, move }) => (
          <Flex vertical gap={12} style={{ marginBottom: 16 }}>
            {rules.map((rule, index) => (
              <Card
                key={rule.key}
                size="small"
                title={
                  <Flex gap={8} align="center" wrap="wrap">
                    <Typography.Text>{t("gradeRules.ruleN", { n: index + 1 })}</Typography.Text>
                    <Typography.Text type="secondary">{t("gradeRules.thenGrade")}</Typography.Text>
                    <Form.Item name={[rule.name, "grade"]} noStyle>
                      <Select style={{ width: 96 }} options={GRADES.map((g) => ({ value: g, label: t(`customers.grades.${g}`) }))} aria-label={t("customers.grade")} />
                    </Form.Item>
                  </Flex>
                }
                extra={
                  <Flex gap={0}>
                    <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => move(index, index - 1)} aria-label={t("gradeRules.moveUp")} />
                    <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={index === rules.length - 1} onClick={() => move(index, index + 1)} aria-label={t("gradeRules.moveDown")} />
                    <Button type="text" size="small" danger icon={<DeleteOutlined />} onClick={() => remove(rule.name)} aria-label={t("common.remove")} />
                  </Flex>
                }
              >
                <Conditions form={form} ruleName={rule.name} fields={fields} />
              </Card>
            ))}
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add({ grade: "A", conditions: [{ field: "creditLimit", op: "gte", value: null }] })}
              style={{ alignSelf: "flex-start" }}
              data-testid="grade-rule-add"
            >
              {t("gradeRules.addRule")}
            </Button>
          </Flex>
        )}
      </Form.List>
      <Form.Item name="defaultGrade" label={t("gradeRules.defaultGrade")} extra={t("gradeRules.defaultGradeHelp")}>
        <Select allowClear style={{ maxWidth: 200 }} placeholder={t("gradeRules.noGrade")} options={GRADES.map((g) => ({ value: g, label: t(`customers.grades.${g}`) }))} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="grade-rules-save">
        {t("gradeRules.save")}
      </Button>
      {jobId ? (
        <div style={{ marginTop: 16 }}>
          <JobProgress
            jobId={jobId}
            onFinished={() => {
              void queryClient.invalidateQueries({ queryKey: customersKey });
            }}
          />
        </div>
      ) : null}
    </Form>
  );
}

function Conditions({ form, ruleName, fields }: { form: FormInstance<Values>; ruleName: number; fields: FieldDef[] }) {
  const { t } = useTranslation();
  const conditions = (Form.useWatch(["rules", ruleName, "conditions"], form) ?? []) as Condition[];
  return (
    <Form.List name={[ruleName, "conditions"]}>
      {(items, { add, remove }) => (
        <Flex vertical gap={8}>
          {items.length === 0 ? <Typography.Text type="secondary">{t("gradeRules.matchesAll")}</Typography.Text> : null}
          {items.map((item, i) => {
            const c = conditions[i] ?? {};
            const def = fields.find((f) => f.name === c.field);
            const kind = def?.kind ?? "text";
            return (
              <Flex key={item.key} gap={8} wrap="wrap" align="flex-start">
                {i > 0 ? (
                  <Typography.Text type="secondary" style={{ lineHeight: "32px" }}>
                    {t("gradeRules.and")}
                  </Typography.Text>
                ) : null}
                <Form.Item name={[item.name, "field"]} style={{ flex: "1 1 140px", marginBottom: 0 }} rules={[{ required: true, message: t("gradeRules.pickField") }]}>
                  <Select
                    showSearch={{ optionFilterProp: "label" }}
                    options={fields.map((f) => ({ value: f.name, label: f.label }))}
                    placeholder={t("gradeRules.field")}
                    onChange={() => {
                      // A new field may not support the old operator or value.
                      form.setFieldValue(["rules", ruleName, "conditions", item.name, "op"], undefined);
                      form.setFieldValue(["rules", ruleName, "conditions", item.name, "value"], undefined);
                    }}
                  />
                </Form.Item>
                <Form.Item name={[item.name, "op"]} style={{ flex: "0 1 110px", marginBottom: 0 }} rules={[{ required: true, message: t("gradeRules.pickOp") }]}>
                  <Select options={OPS[kind].map((op) => ({ value: op, label: t(`gradeRules.ops.${op}` as "gradeRules.ops.eq") }))} placeholder={t("gradeRules.op")} />
                </Form.Item>
                <Form.Item name={[item.name, "value"]} style={{ flex: "1 1 160px", marginBottom: 0 }} rules={[{ required: true, message: t("gradeRules.enterValue") }]}>
                  <ValueInput kind={kind} op={c.op} options={def?.options} />
                </Form.Item>
                <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(item.name)} aria-label={t("common.remove")} />
              </Flex>
            );
          })}
          <Button type="link" size="small" icon={<PlusOutlined />} onClick={() => add({ field: undefined, op: undefined, value: undefined })} style={{ alignSelf: "flex-start", paddingInline: 0 }}>
            {t("gradeRules.addCondition")}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}

/** The value of a condition, typed by its field (a date picker for dates, the options for choices…). */
function ValueInput({
  kind,
  op,
  options,
  value,
  onChange,
}: {
  kind: FieldKind;
  op?: string;
  options?: { value: string; label: string }[];
  value?: Condition["value"];
  onChange?: (v: Condition["value"]) => void;
}) {
  const { t } = useTranslation();
  if (op === "null")
    return (
      <Select
        value={value as string | undefined}
        onChange={onChange}
        options={[
          { value: "true", label: t("gradeRules.isEmpty") },
          { value: "false", label: t("gradeRules.isNotEmpty") },
        ]}
      />
    );
  if (kind === "boolean")
    return (
      <Select
        value={value as string | undefined}
        onChange={onChange}
        options={[
          { value: "true", label: t("customFields.yes") },
          { value: "false", label: t("customFields.no") },
        ]}
      />
    );
  const many = op === "in";
  if (options)
    return <Select mode={many ? "multiple" : undefined} value={many ? toList(value) : (value as string | undefined)} onChange={onChange} options={options} />;
  if (kind === "tags" || many) return <Select mode="tags" value={toList(value)} onChange={onChange} tokenSeparators={[",", "，", "|"]} open={false} placeholder={t("gradeRules.valuesPlaceholder")} />;
  if (kind === "number")
    return <InputNumber<string> stringMode style={{ width: "100%" }} value={value === undefined || value === null ? null : String(value)} onChange={(v) => onChange?.(v ?? null)} />;
  if (kind === "date")
    return (
      <DatePicker
        style={{ width: "100%" }}
        value={typeof value === "string" && value ? dayjs(value) : null}
        onChange={(d) => onChange?.(d ? d.format("YYYY-MM-DD") : null)}
      />
    );
  return <Input value={(value as string | undefined) ?? ""} onChange={(e) => onChange?.(e.target.value)} maxLength={200} />;
}

const toList = (v: Condition["value"]): string[] => (Array.isArray(v) ? v : v === undefined || v === null || v === "" ? [] : [String(v)]);
