import { MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Empty, Flex, Form, Input, Select, Switch, Table, Tag, Typography, type TableColumnsType } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { FormDrawer } from "../../app/components/FormDrawer.js";
import { PageHeader } from "../../app/components/PageHeader.js";
import { QueryError } from "../../app/components/QueryError.js";
import { BackLink } from "../../app/components/record.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { MoneyInput } from "../customers/fields.js";
import { formatAmount } from "../orders/money.js";
import { useRoles } from "../roles/api.js";
import { UserSelect } from "../users/pickers.js";
import { useUserNames } from "../users/names.js";
import { APPROVAL_KINDS, createFlow, flowsKey, updateFlow, useApprovalFlows, type ApprovalFlow, type ApprovalFlowInput, type ApprovalKind, type Approver } from "./api.js";
import { useApproverText } from "./ApprovalPage.js";
import { ApprovalKindTag } from "./tags.js";

interface StepValues {
  name: string;
  type: Approver["type"];
  roleKey?: string;
  userId?: string;
}
interface Values {
  kind: ApprovalKind;
  name: string;
  minAmount: string | null;
  active: boolean;
  steps: StepValues[];
}

const stepsOf = (v: StepValues[]): ApprovalFlowInput["steps"] =>
  v.map((s) => ({
    name: s.name.trim(),
    approver: s.type === "role" ? { type: "role", roleKey: s.roleKey ?? "" } : s.type === "user" ? { type: "user", userId: s.userId ?? "" } : { type: "managers" },
  }));

const valuesOf = (f: ApprovalFlow): Values => ({
  kind: f.kind,
  name: f.name,
  minAmount: f.minAmount,
  active: f.active,
  steps: f.steps.map((s) => ({ name: s.name, type: s.approver.type, roleKey: s.approver.type === "role" ? s.approver.roleKey : undefined, userId: s.approver.type === "user" ? s.approver.userId : undefined })),
});

/** Approval flows (审批流程): by kind and minimum amount, 1–10 steps each decided by a role, a user or the requester's managers. */
export function ApprovalFlowsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const flows = useApprovalFlows();
  const approverText = useApproverText();
  const [editing, setEditing] = useState<ApprovalFlow | null | undefined>(undefined);

  const columns: TableColumnsType<ApprovalFlow> = [
    { key: "name", title: t("approvals.flows.name"), render: (_, f) => <Typography.Link onClick={() => setEditing(f)}>{f.name}</Typography.Link> },
    { key: "kind", title: t("approvals.flows.kind"), width: 120, render: (_, f) => <ApprovalKindTag kind={f.kind} /> },
    { key: "minAmount", title: t("approvals.flows.minAmount"), width: 140, align: "right", render: (_, f) => (f.minAmount ? formatAmount(f.minAmount) : t("approvals.flows.anyAmount")) },
    {
      key: "steps",
      title: t("approvals.flows.steps"),
      render: (_, f) => (
        <Flex vertical gap={2}>
          {f.steps.map((s, i) => (
            <span key={i}>
              {i + 1}. {s.name} <Typography.Text type="secondary">({approverText(s.approver)})</Typography.Text>
            </span>
          ))}
        </Flex>
      ),
    },
    { key: "active", title: t("approvals.status"), width: 90, render: (_, f) => (f.active ? <Tag color="success">{t("approvals.flows.active")}</Tag> : <Tag>{t("approvals.flows.inactive")}</Tag>) },
  ];

  return (
    <>
      <BackLink to="/approvals">{t("approvals.backToList")}</BackLink>
      <PageHeader
        title={t("approvals.flows.title")}
        subtitle={t("approvals.flows.subtitle")}
        extra={
          can("approval:manage") ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="flow-create">
              {t("approvals.flows.create")}
            </Button>
          ) : null
        }
      />
      <Card styles={{ body: { padding: 0 } }}>
        {flows.isError ? (
          <QueryError error={flows.error} onRetry={() => void flows.refetch()} />
        ) : (
          <Table<ApprovalFlow>
            rowKey="id"
            loading={flows.isPending}
            columns={columns}
            dataSource={flows.data ?? []}
            pagination={false}
            locale={{ emptyText: <Empty description={t("approvals.flows.empty")} /> }}
            data-testid="approval-flows"
          />
        )}
      </Card>
      <FlowDrawer flow={editing} onClose={() => setEditing(undefined)} />
    </>
  );
}

function FlowDrawer({ flow, onClose }: { flow: ApprovalFlow | null | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const roles = useRoles(can("role:read"));
  const userName = useUserNames();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const [form] = Form.useForm<Values>();
  const open = flow !== undefined;

  useEffect(() => {
    if (flow === undefined) return;
    form.resetFields();
    form.setFieldsValue(flow ? valuesOf(flow) : { kind: "credit_override", name: "", minAmount: null, active: true, steps: [{ name: "", type: "managers" }] });
  }, [flow, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const input: ApprovalFlowInput = { kind: v.kind, name: v.name.trim(), minAmount: v.minAmount || null, active: v.active, steps: stepsOf(v.steps ?? []) };
      return flow ? updateFlow(flow.id, { ...input, version: flow.version }) : createFlow(input);
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: flowsKey });
      void message.success(t("approvals.flows.savedMsg"));
      onClose();
    },
    onError: (err) => handleSaveError(err, form, () => void queryClient.invalidateQueries({ queryKey: flowsKey })),
  });

  return (
    <FormDrawer
      open={open}
      onClose={onClose}
      title={flow ? t("approvals.flows.editTitle") : t("approvals.flows.createTitle")}
      destroyOnHidden={false}
      form={form}
      saving={save.isPending}
      submitLabel={t("common.save")}
      testId="flow"
    >
      <Form<Values> form={form} name="approval-flow" layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="name" label={t("approvals.flows.name")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("approvals.flows.name") }) }]}>
          <Input maxLength={200} data-testid="flow-name" />
        </Form.Item>
        <Flex gap={16} wrap="wrap">
          <Form.Item name="kind" label={t("approvals.flows.kind")} style={{ flex: "1 1 180px" }}>
            <Select options={APPROVAL_KINDS.map((k) => ({ value: k, label: t(`approvals.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="minAmount" label={t("approvals.flows.minAmount")} extra={t("approvals.flows.minAmountHelp")} style={{ flex: "1 1 180px" }}>
            <MoneyInput placeholder={t("approvals.flows.anyAmount")} />
          </Form.Item>
          <Form.Item name="active" label={t("approvals.flows.active")} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Flex>
        <Typography.Title level={5}>{t("approvals.flows.steps")}</Typography.Title>
        <Form.List name="steps">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((f, i) => (
                <Card key={f.key} size="small" title={t("approvals.stepOf", { n: i + 1 })} extra={fields.length > 1 ? <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} aria-label={t("common.remove")} /> : null}>
                  <Flex gap={8} wrap="wrap">
                    <Form.Item name={[f.name, "name"]} label={t("approvals.flows.stepName")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("approvals.flows.stepName") }) }]} style={{ flex: "1 1 160px", margin: 0 }}>
                      <Input maxLength={100} />
                    </Form.Item>
                    <Form.Item name={[f.name, "type"]} label={t("approvals.flows.approverType")} style={{ flex: "1 1 160px", margin: 0 }}>
                      <Select options={(["managers", "role", "user"] as const).map((k) => ({ value: k, label: t(`approvals.approverTypes.${k}`) }))} />
                    </Form.Item>
                    <Form.Item noStyle shouldUpdate={(a: Values, b: Values) => a.steps?.[f.name]?.type !== b.steps?.[f.name]?.type}>
                      {() => {
                        const type = form.getFieldValue(["steps", f.name, "type"]) as StepValues["type"];
                        if (type === "role")
                          return (
                            <Form.Item name={[f.name, "roleKey"]} label={t("approvals.flows.role")} rules={[{ required: true, message: t("validation.select", { field: t("approvals.flows.role") }) }]} style={{ flex: "1 1 160px", margin: 0 }}>
                              <Select options={(roles.data ?? []).map((r) => ({ value: r.key, label: r.name }))} loading={roles.isLoading} />
                            </Form.Item>
                          );
                        if (type === "user") {
                          const uid = form.getFieldValue(["steps", f.name, "userId"]) as string | undefined;
                          return (
                            <Form.Item name={[f.name, "userId"]} label={t("approvals.flows.user")} rules={[{ required: true, message: t("validation.select", { field: t("approvals.flows.user") }) }]} style={{ flex: "1 1 160px", margin: 0 }}>
                              <UserSelect known={uid ? { [uid]: userName(uid) ?? uid } : undefined} />
                            </Form.Item>
                          );
                        }
                        return null;
                      }}
                    </Form.Item>
                  </Flex>
                </Card>
              ))}
              {fields.length < 10 ? (
                <Button icon={<PlusOutlined />} onClick={() => add({ name: "", type: "managers" })} style={{ alignSelf: "flex-start" }}>
                  {t("approvals.flows.addStep")}
                </Button>
              ) : null}
            </Flex>
          )}
        </Form.List>
      </Form>
    </FormDrawer>
  );
}
