import { Form, Input, Modal, type ButtonProps } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

/**
 * Asks why a deal was won (optional) or lost (required) before it enters a
 * won or lost stage. `kind` null: closed.
 */
export function ReasonModal({ kind, stageName, saving, onCancel, onOk }: { kind: "won" | "lost" | null; stageName: string; saving: boolean; onCancel: () => void; onOk: (reason: string) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  useEffect(() => {
    if (kind) form.resetFields();
  }, [kind, form]);
  const label = kind === "lost" ? t("opportunities.lossReason") : t("opportunities.winReason");
  return (
    <Modal
      open={kind !== null}
      title={kind === "lost" ? t("opportunities.closeLostTitle", { stage: stageName }) : t("opportunities.closeWonTitle", { stage: stageName })}
      onCancel={onCancel}
      onOk={() => form.submit()}
      okButtonProps={{ danger: kind === "lost", "data-testid": "reason-submit" } as ButtonProps}
      confirmLoading={saving}
      destroyOnHidden
      forceRender
    >
      <Form form={form} name="opportunity-reason" layout="vertical" onFinish={(v) => onOk((v.reason ?? "").trim())}>
        <Form.Item name="reason" label={label} rules={kind === "lost" ? [{ required: true, whitespace: true, message: t("validation.required", { field: label }) }] : []}>
          <Input.TextArea rows={3} maxLength={1000} data-testid="reason-text" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
