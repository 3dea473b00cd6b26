import { SafetyCertificateOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Flex, Form, Input, Modal, QRCode, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useShowError } from "../../app/errors.js";
import { meKey, useSession, type Me } from "../../app/session.js";
import { disableTotp, enableTotp, setupTotp } from "./api.js";

export function TotpCard() {
  const { t } = useTranslation();
  const me = useSession();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [enrolment, setEnrolment] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [disabling, setDisabling] = useState(false);
  const [codeForm] = Form.useForm<{ code: string }>();
  const [passwordForm] = Form.useForm<{ password: string }>();

  const setTotp = (on: boolean) => {
    const current = queryClient.getQueryData<Me>(meKey);
    if (current) queryClient.setQueryData<Me>(meKey, { ...current, user: { ...current.user, totpEnabled: on } });
    void queryClient.invalidateQueries({ queryKey: meKey });
  };

  const start = useMutation({ mutationFn: setupTotp, onSuccess: setEnrolment, onError: (err) => showError(err) });
  const enable = useMutation({
    mutationFn: enableTotp,
    onSuccess: () => {
      setEnrolment(null);
      codeForm.resetFields();
      setTotp(true);
      void message.success(t("profile.totpEnabled"));
    },
    onError: (err) => showError(err, codeForm),
  });
  const disable = useMutation({
    mutationFn: disableTotp,
    onSuccess: () => {
      setDisabling(false);
      passwordForm.resetFields();
      setTotp(false);
      void message.success(t("profile.totpDisabled"));
    },
    onError: (err) => showError(err, passwordForm),
  });

  return (
    <Card
      title={
        <Flex align="center" gap={8}>
          <SafetyCertificateOutlined />
          {t("profile.totpTitle")}
          {me.user.totpEnabled ? <Tag color="success">{t("profile.totpOn")}</Tag> : <Tag>{t("profile.totpOff")}</Tag>}
        </Flex>
      }
    >
      <Typography.Paragraph type="secondary">{t("profile.totpDescription")}</Typography.Paragraph>
      {me.user.totpEnabled ? (
        <Button danger onClick={() => setDisabling(true)}>
          {t("profile.totpDisable")}
        </Button>
      ) : enrolment ? (
        <Flex gap={24} wrap="wrap" align="flex-start">
          <QRCode value={enrolment.otpauthUrl} size={168} bordered />
          <Flex vertical gap={8} style={{ flex: "1 1 260px", minWidth: 0 }}>
            <Typography.Text>{t("profile.totpScan")}</Typography.Text>
            <Typography.Text type="secondary">{t("profile.totpSecret")}</Typography.Text>
            <Typography.Text code copyable style={{ fontSize: 15, letterSpacing: 1, wordBreak: "break-all" }} data-testid="totp-secret">
              {enrolment.secret}
            </Typography.Text>
            <Typography.Text type="secondary">{t("profile.totpUrl")}</Typography.Text>
            <Typography.Paragraph copyable ellipsis={{ rows: 2, expandable: true }} style={{ fontSize: 12, marginBottom: 0, wordBreak: "break-all" }}>
              {enrolment.otpauthUrl}
            </Typography.Paragraph>
            <Form form={codeForm} name="totp-enable" layout="inline" onFinish={(v) => enable.mutate(v.code)} style={{ marginTop: 8, rowGap: 8 }}>
              <Form.Item
                name="code"
                rules={[{ required: true, pattern: /^\d{6}$/, message: t("validation.totpCode") }]}
                normalize={(v: string) => v.replace(/\D/g, "").slice(0, 6)}
              >
                <Input placeholder={t("profile.totpCode")} inputMode="numeric" autoComplete="one-time-code" maxLength={6} style={{ width: 140 }} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={enable.isPending}>
                {t("profile.totpConfirm")}
              </Button>
              <Button type="text" onClick={() => setEnrolment(null)}>
                {t("common.cancel")}
              </Button>
            </Form>
          </Flex>
        </Flex>
      ) : (
        <Button type="primary" onClick={() => start.mutate()} loading={start.isPending}>
          {t("profile.totpStart")}
        </Button>
      )}
      <Modal
        open={disabling}
        title={t("profile.totpDisable")}
        onCancel={() => setDisabling(false)}
        onOk={() => passwordForm.submit()}
        okButtonProps={{ danger: true, loading: disable.isPending }}
        okText={t("profile.totpDisable")}
        destroyOnHidden
        forceRender
      >
        <Form form={passwordForm} name="totp-disable" layout="vertical" onFinish={(v) => disable.mutate(v.password)}>
          <Form.Item
            name="password"
            label={t("profile.totpDisablePassword")}
            rules={[{ required: true, message: t("validation.required", { field: t("common.password") }) }]}
          >
            <Input.Password autoComplete="current-password" autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
