import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Col, Drawer, Empty, Flex, Form, Grid, Input, InputNumber, Popconfirm, Row, Select, Skeleton, Switch, Table, Tag, Typography, type TableColumnsType } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../../app/components/PageHeader.js";
import { QueryError } from "../../app/components/QueryError.js";
import { BackLink } from "../../app/components/record.js";
import { useSaveErrorHandler, useShowError } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { regionNames, useRegions } from "../customers/regions.js";
import { UserSelect } from "../users/pickers.js";
import { useUserNames } from "../users/names.js";
import {
  createRule,
  deleteRule,
  poolSettingsKey,
  rulesKey,
  updateLeadPoolSettings,
  updateRule,
  useAssignmentRules,
  useLeadPoolSettings,
  type AssignmentRule,
  type LeadPoolSettings,
  type RuleInput,
} from "./api.js";

/** Lead settings: the assignment rules (round robin by province, product line, source) and the lead pool's claim and reclaim rules. */
export function LeadSettingsPage() {
  const { t } = useTranslation();
  return (
    <>
      <BackLink to="/leads">{t("leads.backToList")}</BackLink>
      <PageHeader title={t("leads.settings.title")} subtitle={t("leads.settings.subtitle")} />
      <Flex vertical gap={16}>
        <RulesCard />
        <PoolSettingsCard />
      </Flex>
    </>
  );
}

function RulesCard() {
  const { t } = useTranslation();
  const can = useCan();
  const rules = useAssignmentRules();
  const regions = useRegions();
  const userName = useUserNames();
  const queryClient = useQueryClient();
  const showError = useShowError();
  const [editing, setEditing] = useState<AssignmentRule | null | undefined>(undefined);
  const manage = can("lead:manage");
  const remove = useMutation({
    mutationFn: (id: string) => deleteRule(id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: rulesKey }),
    onError: (err) => showError(err),
  });
  const any = <Typography.Text type="secondary">{t("leads.rules.any")}</Typography.Text>;
  const tags = (values: string[]) => (values.length ? values.map((v) => <Tag key={v}>{v}</Tag>) : any);

  const columns: TableColumnsType<AssignmentRule> = [
    { key: "position", title: "#", width: 50, render: (_, r) => r.position },
    { key: "name", title: t("leads.rules.name"), render: (_, r) => (manage ? <Typography.Link onClick={() => setEditing(r)}>{r.name}</Typography.Link> : r.name) },
    { key: "provinces", title: t("leads.rules.provinces"), render: (_, r) => tags(r.provinceCodes.map((c) => regionNames(regions.data, [c])[0] ?? c)) },
    { key: "productLines", title: t("leads.rules.productLines"), render: (_, r) => tags(r.productLines) },
    { key: "sources", title: t("leads.rules.sources"), render: (_, r) => tags(r.sources) },
    {
      key: "users",
      title: t("leads.rules.users"),
      render: (_, r) => (
        <Flex gap={4} wrap="wrap">
          {r.userIds.map((u, i) => (
            <Tag key={u} color={i === r.nextIndex ? "blue" : undefined}>
              {userName(u) ?? "—"}
            </Tag>
          ))}
        </Flex>
      ),
    },
    { key: "active", title: t("common.status"), width: 90, render: (_, r) => (r.active ? <Tag color="success">{t("leads.rules.active")}</Tag> : <Tag>{t("leads.rules.inactive")}</Tag>) },
    ...(manage
      ? [
          {
            key: "delete",
            width: 60,
            render: (_: unknown, r: AssignmentRule) => (
              <Popconfirm title={t("leads.rules.deleteConfirm")} onConfirm={() => remove.mutateAsync(r.id).catch(() => undefined)}>
                <Button type="text" danger icon={<DeleteOutlined />} aria-label={t("common.delete")} />
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={t("leads.rules.title")}
      extra={
        manage ? (
          <Button icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="rule-create">
            {t("leads.rules.create")}
          </Button>
        ) : null
      }
      styles={{ body: { padding: 0 } }}
      data-testid="lead-rules"
    >
      <Typography.Paragraph type="secondary" style={{ padding: "12px 16px 0" }}>
        {t("leads.rules.help")}
      </Typography.Paragraph>
      {rules.isError ? (
        <QueryError error={rules.error} onRetry={() => void rules.refetch()} />
      ) : (
        <Table<AssignmentRule>
          rowKey="id"
          loading={rules.isPending}
          columns={columns}
          dataSource={rules.data ?? []}
          pagination={false}
          scroll={{ x: 800 }}
          locale={{ emptyText: <Empty description={t("leads.rules.empty")} /> }}
        />
      )}
      <RuleDrawer rule={editing} nextPosition={(rules.data?.length ?? 0) * 10 + 10} onClose={() => setEditing(undefined)} />
    </Card>
  );
}

interface RuleValues {
  name: string;
  position: number;
  provinceCodes: string[];
  productLines: string[];
  sources: string[];
  userIds: string[];
  active: boolean;
}

function RuleDrawer({ rule, nextPosition, onClose }: { rule: AssignmentRule | null | undefined; nextPosition: number; onClose: () => void }) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const regions = useRegions();
  const userName = useUserNames();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const [form] = Form.useForm<RuleValues>();
  const open = rule !== undefined;

  useEffect(() => {
    if (rule === undefined) return;
    form.resetFields();
    form.setFieldsValue(
      rule
        ? { name: rule.name, position: rule.position, provinceCodes: rule.provinceCodes, productLines: rule.productLines, sources: rule.sources, userIds: rule.userIds, active: rule.active }
        : { name: "", position: nextPosition, provinceCodes: [], productLines: [], sources: [], userIds: [], active: true },
    );
  }, [rule, form, nextPosition]);

  const save = useMutation({
    mutationFn: (v: RuleValues) => {
      const input: RuleInput = { ...v, name: v.name.trim() };
      return rule ? updateRule(rule.id, { ...input, version: rule.version }) : createRule(input);
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: rulesKey });
      void message.success(t("common.saved"));
      onClose();
    },
    onError: (err) => handleSaveError(err, form, () => void queryClient.invalidateQueries({ queryKey: rulesKey })),
  });

  const known = Object.fromEntries((rule?.userIds ?? []).map((u) => [u, userName(u) ?? u]));
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={rule ? t("leads.rules.editTitle") : t("leads.rules.createTitle")}
      size={screens.md ? 560 : "100%"}
      forceRender
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="primary" onClick={() => form.submit()} loading={save.isPending} data-testid="rule-submit">
            {t("common.save")}
          </Button>
        </Flex>
      }
      data-testid="rule-drawer"
    >
      <Form<RuleValues> form={form} name="lead-rule" layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Row gutter={16}>
          <Col xs={24} sm={16}>
            <Form.Item name="name" label={t("leads.rules.name")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("leads.rules.name") }) }]}>
              <Input maxLength={200} data-testid="rule-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="position" label={t("leads.rules.position")} extra={t("leads.rules.positionHelp")}>
              <InputNumber min={0} max={100000} precision={0} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="provinceCodes" label={t("leads.rules.provinces")} extra={t("leads.rules.emptyMeansAny")}>
          <Select mode="multiple" allowClear loading={regions.isLoading} showSearch={{ optionFilterProp: "label" }} options={(regions.data ?? []).map((r) => ({ value: r.code, label: r.name }))} />
        </Form.Item>
        <Form.Item name="productLines" label={t("leads.rules.productLines")} extra={t("leads.rules.emptyMeansAny")}>
          <Select mode="tags" allowClear open={false} tokenSeparators={[",", "，"]} />
        </Form.Item>
        <Form.Item name="sources" label={t("leads.rules.sources")} extra={t("leads.rules.emptyMeansAny")}>
          <Select mode="tags" allowClear open={false} tokenSeparators={[",", "，"]} />
        </Form.Item>
        <Form.Item name="userIds" label={t("leads.rules.users")} extra={t("leads.rules.usersHelp")} rules={[{ required: true, message: t("validation.select", { field: t("leads.rules.users") }) }]}>
          <UserSelect mode="multiple" known={known} data-testid="rule-users" />
        </Form.Item>
        <Form.Item name="active" label={t("leads.rules.active")} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

type PoolValues = Omit<LeadPoolSettings, "version">;

function PoolSettingsCard() {
  const { t } = useTranslation();
  const can = useCan();
  const settings = useLeadPoolSettings();
  const [form] = Form.useForm<PoolValues>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();

  useEffect(() => {
    if (settings.data) {
      const { version: _v, ...values } = settings.data;
      form.setFieldsValue(values);
    }
  }, [settings.data, form]);

  const save = useMutation({
    mutationFn: (v: PoolValues) => updateLeadPoolSettings({ ...v, reclaimNoFollowUpDays: v.reclaimNoFollowUpDays ?? null, version: settings.data!.version }),
    onSuccess: (s) => {
      queryClient.setQueryData(poolSettingsKey, s);
      void message.success(t("common.saved"));
    },
    onError: (err) => handleSaveError(err, form, () => void settings.refetch()),
  });

  const number = (name: keyof PoolValues, min: number, max: number, extra?: string) => (
    <Col xs={24} sm={12}>
      <Form.Item name={name} label={t(`leads.poolSettings.${name}`)} extra={extra}>
        <InputNumber min={min} max={max} precision={0} style={{ width: "100%" }} />
      </Form.Item>
    </Col>
  );

  return (
    <Card title={t("leads.poolSettings.title")} data-testid="lead-pool-settings">
      {settings.isError ? (
        <QueryError error={settings.error} onRetry={() => void settings.refetch()} />
      ) : settings.isPending ? (
        <Skeleton active />
      ) : (
        <Form form={form} name="lead-pool-settings" layout="vertical" onFinish={(v) => save.mutate(v)} style={{ maxWidth: 640 }} disabled={!can("lead:manage")}>
          <Row gutter={16}>
            {number("dailyClaimLimit", 0, 10000)}
            {number("maxHeld", 0, 1000000)}
            {number("reclaimNoFollowUpDays", 1, 3650, t("leads.poolSettings.reclaimHelp"))}
            {number("warnDays", 0, 365)}
            {number("cooldownDays", 0, 365)}
          </Row>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="lead-pool-settings-save">
            {t("common.save")}
          </Button>
        </Form>
      )}
    </Card>
  );
}
