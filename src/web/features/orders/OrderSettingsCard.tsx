import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, Radio, Skeleton, Typography } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { previewCode } from "../customers/CustomerSettingsCard.js";
import { orderSettingsKey, updateOrderSettings, useOrderSettings, type OrderSettings } from "./api.js";

type Values = Omit<OrderSettings, "version">;

/** Order numbering and credit control (block or approval, sales-limit period), in the workspace settings. */
export function OrderSettingsCard() {
  const { t } = useTranslation();
  const can = useCan();
  const settings = useOrderSettings();
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const pattern = Form.useWatch("numberPattern", form) ?? "";
  const preview = previewCode(pattern.trim());

  useEffect(() => {
    if (settings.data) form.setFieldsValue({ numberPattern: settings.data.numberPattern, creditMode: settings.data.creditMode, salesLimitPeriod: settings.data.salesLimitPeriod });
  }, [settings.data, form]);

  const save = useMutation({
    mutationFn: (v: Values) => updateOrderSettings({ version: settings.data!.version, numberPattern: v.numberPattern.trim(), creditMode: v.creditMode, salesLimitPeriod: v.salesLimitPeriod }),
    onSuccess: (s) => {
      queryClient.setQueryData(orderSettingsKey, s);
      void message.success(t("orderSettings.savedMsg"));
    },
    onError: (err) => handleSaveError(err, form, () => void settings.refetch()),
  });

  return (
    <Card title={t("orderSettings.title")} data-testid="order-settings">
      {settings.isError ? (
        <QueryError error={settings.error} onRetry={() => void settings.refetch()} />
      ) : settings.isPending ? (
        <Skeleton active />
      ) : (
        <Form form={form} name="order-settings" layout="vertical" onFinish={(v) => save.mutate(v)} style={{ maxWidth: 480 }} disabled={!can("workspace:update")}>
          <Form.Item
            name="numberPattern"
            label={t("orderSettings.numberPattern")}
            extra={
              <>
                {t("orderSettings.numberPatternHelp")}
                {preview ? (
                  <Typography.Text type="secondary" style={{ display: "block" }}>
                    {t("orderSettings.preview", { code: preview })}
                  </Typography.Text>
                ) : null}
              </>
            }
            rules={[
              { required: true, whitespace: true, message: t("validation.required", { field: t("orderSettings.numberPattern") }) },
              { pattern: /\{SEQ:[3-9]\}/, message: t("orderSettings.seqRequired") },
            ]}
          >
            <Input maxLength={40} style={{ fontFamily: "monospace" }} data-testid="order-number-pattern" />
          </Form.Item>
          <Form.Item name="creditMode" label={t("orderSettings.creditMode")}>
            <Radio.Group
              style={{ display: "flex", flexDirection: "column", gap: 8 }}
              options={(["block", "approval"] as const).map((m) => ({ value: m, label: <span data-testid={`credit-mode-${m}`}>{t(`orderSettings.creditModes.${m}`)}</span> }))}
            />
          </Form.Item>
          <Form.Item name="salesLimitPeriod" label={t("orderSettings.salesLimitPeriod")}>
            <Radio.Group optionType="button" options={(["month", "quarter", "year"] as const).map((p) => ({ value: p, label: t(`orderSettings.periods.${p}`) }))} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="order-settings-save">
            {t("common.save")}
          </Button>
        </Form>
      )}
    </Card>
  );
}
