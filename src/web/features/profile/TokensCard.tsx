import { KeyOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, DatePicker, Flex, Form, Input, Modal, Popconfirm, Radio, Select, Table, Tag, Typography, type TableColumnsType } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { QueryError } from "../../app/components/QueryError.js";
import { useShowError } from "../../app/errors.js";
import { useSession } from "../../app/session.js";
import { createToken, revokeToken, tokensKey, useTokens, type ApiToken } from "./api.js";

type ScopeMode = "all" | "read" | "custom";
type TokenForm = { name: string; mode: ScopeMode; scopes?: string[]; expiresAt?: Dayjs | null };

function tokenState(tok: ApiToken): "active" | "revoked" | "expired" {
  if (tok.revokedAt) return "revoked";
  if (tok.expiresAt && dayjs(tok.expiresAt).isBefore(dayjs())) return "expired";
  return "active";
}

export function TokensCard() {
  const { t } = useTranslation();
  const me = useSession();
  const tokens = useTokens();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const [form] = Form.useForm<TokenForm>();
  const mode = Form.useWatch("mode", form);

  const create = useMutation({
    mutationFn: (v: TokenForm) =>
      createToken({
        name: v.name.trim(),
        scopes: v.mode === "all" ? ["*"] : v.mode === "read" ? ["*:read"] : v.scopes ?? [],
        ...(v.expiresAt ? { expiresAt: v.expiresAt.endOf("day").toISOString() } : {}),
      }),
    onSuccess: (res) => {
      void queryClient.invalidateQueries({ queryKey: tokensKey });
      setCreating(false);
      form.resetFields();
      setCreated(res.token);
    },
    onError: (err) => showError(err, form),
  });

  const revoke = useMutation({
    mutationFn: revokeToken,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: tokensKey });
      void message.success(t("profile.tokenRevoked"));
    },
    onError: (err) => showError(err),
  });

  const stateTag = { active: "success", revoked: "default", expired: "warning" } as const;
  const stateLabel = { active: t("profile.tokenStateActive"), revoked: t("profile.tokenStateRevoked"), expired: t("profile.tokenStateExpired") };

  const columns: TableColumnsType<ApiToken> = [
    {
      key: "name",
      title: t("profile.tokenName"),
      render: (_, tok) => (
        <Flex vertical>
          <Typography.Text strong>{tok.name}</Typography.Text>
          <Typography.Text type="secondary" code style={{ fontSize: 12, width: "fit-content" }}>
            {tok.prefix}…
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: "scopes",
      title: t("profile.tokenScopes"),
      responsive: ["md"],
      render: (_, tok) => (
        <Flex gap={4} wrap="wrap">
          {tok.scopes.map((s) => (
            <Tag key={s}>{s === "*" ? t("profile.scopeAll") : s === "*:read" ? t("profile.scopeRead") : s}</Tag>
          ))}
        </Flex>
      ),
    },
    {
      key: "expiresAt",
      title: t("profile.tokenExpiresAt"),
      responsive: ["lg"],
      render: (_, tok) => (tok.expiresAt ? dayjs(tok.expiresAt).format("L") : t("profile.tokenNeverExpires")),
    },
    {
      key: "lastUsedAt",
      title: t("profile.tokenLastUsed"),
      responsive: ["lg"],
      render: (_, tok) => (tok.lastUsedAt ? dayjs(tok.lastUsedAt).fromNow() : t("profile.tokenNeverUsed")),
    },
    {
      key: "state",
      title: t("profile.tokenStatus"),
      render: (_, tok) => {
        const s = tokenState(tok);
        return <Tag color={stateTag[s]}>{stateLabel[s]}</Tag>;
      },
    },
    {
      key: "actions",
      align: "right",
      render: (_, tok) =>
        tokenState(tok) === "active" ? (
          <Popconfirm
            title={t("profile.tokenRevokeConfirm", { name: tok.name })}
            okButtonProps={{ danger: true }}
            okText={t("profile.tokenRevoke")}
            onConfirm={() => revoke.mutateAsync(tok.id).catch(() => undefined)}
          >
            <Button type="link" danger size="small">
              {t("profile.tokenRevoke")}
            </Button>
          </Popconfirm>
        ) : null,
    },
  ];

  return (
    <Card
      title={
        <Flex align="center" gap={8}>
          <KeyOutlined />
          {t("profile.tokensTitle")}
        </Flex>
      }
      extra={
        <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="token-create">
          {t("profile.tokenCreate")}
        </Button>
      }
      styles={{ body: { paddingInline: 0, paddingBottom: 0 } }}
    >
      <Typography.Paragraph type="secondary" style={{ paddingInline: 24 }}>
        {t("profile.tokensDescription")}
      </Typography.Paragraph>
      {tokens.isError ? (
        <QueryError error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : (
        <Table<ApiToken> rowKey="id" columns={columns} dataSource={tokens.data} loading={tokens.isLoading} pagination={false} size="middle" />
      )}

      <Modal
        open={creating}
        title={t("profile.tokenCreate")}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText={t("common.create")}
        okButtonProps={{ loading: create.isPending }}
        destroyOnHidden
        forceRender
      >
        <Form<TokenForm> form={form} name="token" layout="vertical" initialValues={{ mode: "read" }} onFinish={(v) => create.mutate(v)}>
          <Form.Item name="name" label={t("profile.tokenName")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("profile.tokenName") }) }]}>
            <Input placeholder={t("profile.tokenNamePlaceholder")} maxLength={100} />
          </Form.Item>
          <Form.Item name="mode" label={t("profile.tokenScopes")}>
            <Radio.Group
              optionType="button"
              options={[
                { value: "read", label: t("profile.scopeRead") },
                { value: "all", label: t("profile.scopeAll") },
                { value: "custom", label: t("profile.scopeCustom") },
              ]}
            />
          </Form.Item>
          {mode === "custom" ? (
            <Form.Item name="scopes" rules={[{ required: true, type: "array", min: 1, message: t("validation.select", { field: t("profile.tokenScopes") }) }]}>
              <Select mode="multiple" placeholder={t("profile.scopeCustomPlaceholder")} options={me.permissions.map((p) => ({ value: p, label: p }))} />
            </Form.Item>
          ) : null}
          <Form.Item name="expiresAt" label={`${t("profile.tokenExpiresAt")} (${t("common.optional")})`}>
            <DatePicker style={{ width: "100%" }} disabledDate={(d) => d.isBefore(dayjs(), "day")} placeholder={t("profile.tokenNeverExpires")} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={created !== null}
        title={t("profile.tokenCreatedTitle")}
        closable={false}
        mask={{ closable: false }}
        footer={
          <Button type="primary" onClick={() => setCreated(null)}>
            {t("profile.tokenCopied")}
          </Button>
        }
      >
        <Alert type="warning" showIcon title={t("profile.tokenCreatedHint")} style={{ marginBottom: 16 }} />
        <Typography.Paragraph copyable code style={{ wordBreak: "break-all", fontSize: 14 }} data-testid="token-secret">
          {created}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}
