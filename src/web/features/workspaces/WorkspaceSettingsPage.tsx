import { CheckOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Col, Form, Input, List, Row, Select, Skeleton, Tag, Typography } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { PageHeader } from "../../app/components/PageHeader.js";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler, useShowError } from "../../app/errors.js";
import { fetchMe, meKey, startSession, useCan, useSession, type Locale } from "../../app/session.js";
import { LOCALES } from "../../i18n/index.js";
import { CustomFieldsCard } from "../custom-fields/CustomFieldsCard.js";
import { CustomerSettingsCard } from "../customers/CustomerSettingsCard.js";
import { OrderSettingsCard } from "../orders/OrderSettingsCard.js";
import { PoolRulesCard } from "../pool/PoolRulesCard.js";
import { PricingSettingsCard } from "../products/PricingSettingsCard.js";
import { createWorkspace, switchWorkspace, updateWorkspace, useCurrentWorkspace, workspaceKey } from "./api.js";

interface GeneralValues {
  name: string;
  defaultLocale: Locale;
  /** An IANA zone, or SERVER_ZONE to follow the server's. */
  timeZone: string;
}
const SERVER_ZONE = "";
/** The zones this browser knows (IANA names); the server checks the one chosen. */
const ZONES: string[] = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Asia/Tokyo", "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "UTC"];

export function WorkspaceSettingsPage() {
  const { t } = useTranslation();
  const me = useSession();
  const can = useCan();
  const workspace = useCurrentWorkspace();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useShowError();
  const handleSaveError = useSaveErrorHandler();
  const [form] = Form.useForm<GeneralValues>();
  const [newForm] = Form.useForm<{ name: string }>();

  useEffect(() => {
    if (workspace.data) form.setFieldsValue({ name: workspace.data.name, defaultLocale: workspace.data.defaultLocale, timeZone: workspace.data.timeZone ?? SERVER_ZONE });
  }, [workspace.data, form]);

  const save = useMutation({
    mutationFn: (v: GeneralValues) =>
      updateWorkspace({ version: workspace.data!.version, name: v.name.trim(), defaultLocale: v.defaultLocale, timeZone: v.timeZone === SERVER_ZONE ? null : v.timeZone }),
    onSuccess: (ws) => {
      queryClient.setQueryData(workspaceKey, ws);
      // The header and the switcher show the name from /auth/me.
      void queryClient.invalidateQueries({ queryKey: meKey });
      void message.success(t("workspace.savedMsg"));
    },
    onError: (err) =>
      handleSaveError(err, form, () => {
        void workspace.refetch();
      }),
  });

  const switchTo = useMutation({
    mutationFn: switchWorkspace,
    onSuccess: (next) => {
      startSession(queryClient, next);
      void navigate("/");
      void message.success(t("layout.switchedTo", { name: next.workspace.name }));
    },
    onError: (err) => showError(err),
  });

  const create = useMutation({
    mutationFn: (name: string) => createWorkspace(name),
    onSuccess: async (ws) => {
      newForm.resetFields();
      queryClient.setQueryData(meKey, await fetchMe());
      void message.success({
        content: (
          <span>
            {t("workspace.createdMsg", { name: ws.name })}{" "}
            <Button size="small" type="link" onClick={() => switchTo.mutate(ws.id)}>
              {t("workspace.switchNow")}
            </Button>
          </span>
        ),
        duration: 6,
      });
    },
    onError: (err) => showError(err, newForm),
  });

  return (
    <>
      <PageHeader title={t("workspace.title")} subtitle={me.workspace.name} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t("workspace.general")}>
            {workspace.isError ? (
              <QueryError error={workspace.error} onRetry={() => void workspace.refetch()} />
            ) : workspace.isPending ? (
              <Skeleton active />
            ) : (
              <Form form={form} name="workspace" layout="vertical" onFinish={(v) => save.mutate(v)} style={{ maxWidth: 480 }}>
                <Form.Item name="name" label={t("workspace.name")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("workspace.name") }) }]}>
                  <Input maxLength={100} />
                </Form.Item>
                <Form.Item name="defaultLocale" label={t("workspace.defaultLanguage")} extra={t("workspace.defaultLanguageHelp")}>
                  <Select<Locale> options={LOCALES.map((l) => ({ value: l, label: t(`languages.${l}`) }))} />
                </Form.Item>
                <Form.Item name="timeZone" label={t("workspace.timeZone")} extra={t("workspace.timeZoneHelp")}>
                  <Select<string>
                    data-testid="workspace-time-zone"
                    showSearch
                    optionFilterProp="label"
                    options={[
                      { value: SERVER_ZONE, label: t("workspace.timeZoneServer", { zone: workspace.data.serverTimeZone }) },
                      ...ZONES.map((z) => ({ value: z, label: z })),
                    ]}
                  />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="workspace-save">
                  {t("common.save")}
                </Button>
              </Form>
            )}
          </Card>
          {can("customer:read") ? (
            <div style={{ marginTop: 16 }}>
              <CustomerSettingsCard />
            </div>
          ) : null}
          {can("pool:update") ? (
            <div style={{ marginTop: 16 }}>
              <PoolRulesCard />
            </div>
          ) : null}
          {can("order:read") ? (
            <div style={{ marginTop: 16 }}>
              <OrderSettingsCard />
            </div>
          ) : null}
          {can("price_list:read") ? (
            <div style={{ marginTop: 16 }}>
              <PricingSettingsCard />
            </div>
          ) : null}
        </Col>
        <Col xs={24} xl={12}>
          {can("customer:read") ? (
            <div style={{ marginBottom: 16 }}>
              <CustomFieldsCard />
            </div>
          ) : null}
          <Card title={t("workspace.yourWorkspaces")} style={{ marginBottom: 16 }}>
            <List
              dataSource={me.workspaces}
              renderItem={(w) => (
                <List.Item
                  actions={
                    w.id === me.workspace.id
                      ? [
                          <Tag key="current" color="blue" icon={<CheckOutlined />}>
                            {t("workspace.current")}
                          </Tag>,
                        ]
                      : [
                          <Button key="switch" size="small" onClick={() => switchTo.mutate(w.id)} loading={switchTo.isPending && switchTo.variables === w.id}>
                            {t("workspace.switchNow")}
                          </Button>,
                        ]
                  }
                >
                  <Typography.Text>{w.name}</Typography.Text>
                </List.Item>
              )}
            />
          </Card>
          <Card title={t("workspace.newTitle")}>
            <Typography.Paragraph type="secondary">{t("workspace.newDescription")}</Typography.Paragraph>
            <Form form={newForm} name="workspace-new" layout="vertical" onFinish={(v) => create.mutate(v.name.trim())} style={{ maxWidth: 480 }}>
              <Form.Item name="name" label={t("workspace.newName")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("workspace.newName") }) }]}>
                <Input maxLength={100} />
              </Form.Item>
              <Button icon={<PlusOutlined />} htmlType="submit" loading={create.isPending}>
                {t("common.create")}
              </Button>
            </Form>
          </Card>
        </Col>
      </Row>
    </>
  );
}
