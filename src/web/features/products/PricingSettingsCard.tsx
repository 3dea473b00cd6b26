import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, DatePicker, Divider, Form, InputNumber, Popconfirm, Select, Skeleton, Table, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler, useShowError } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { CURRENCIES } from "../customers/format.js";
import { deleteExchangeRate, pricingKey, setExchangeRate, updatePricingSettings, useExchangeRates, usePricingSettings, type ExchangeRate } from "./api.js";

/** The base currency and the exchange rates quoted against it, in the workspace settings. */
export function PricingSettingsCard() {
  const { t } = useTranslation();
  const can = useCan();
  const manage = can("price_list:manage");
  const settings = usePricingSettings();
  const rates = useExchangeRates();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const handleSaveError = useSaveErrorHandler();
  const [form] = Form.useForm<{ baseCurrency: string }>();
  const [rateForm] = Form.useForm<{ currency: string; validFrom: Dayjs; rate: string }>();
  const base = settings.data?.baseCurrency;

  useEffect(() => {
    if (settings.data) form.setFieldsValue({ baseCurrency: settings.data.baseCurrency });
  }, [settings.data, form]);

  const refresh = () => void queryClient.invalidateQueries({ queryKey: pricingKey });

  const save = useMutation({
    mutationFn: (v: { baseCurrency: string }) => updatePricingSettings({ version: settings.data!.version, baseCurrency: v.baseCurrency }),
    onSuccess: () => {
      refresh();
      void message.success(t("pricing.savedMsg"));
    },
    onError: (err) => handleSaveError(err, form, refresh),
  });

  const addRate = useMutation({
    mutationFn: (v: { currency: string; validFrom: Dayjs; rate: string }) => setExchangeRate({ currency: v.currency, validFrom: v.validFrom.format("YYYY-MM-DD"), rate: v.rate }),
    onSuccess: () => {
      refresh();
      rateForm.resetFields(["rate"]);
      void message.success(t("pricing.rateSaved"));
    },
    onError: (err) => showError(err, rateForm),
  });

  const removeRate = useMutation({
    mutationFn: (r: ExchangeRate) => deleteExchangeRate(r.currency, r.validFrom),
    onSuccess: () => {
      refresh();
      void message.success(t("common.deleted"));
    },
    onError: (err) => showError(err),
  });

  const currencyOptions = CURRENCIES.filter((c) => c !== base).map((c) => ({ value: c, label: c }));

  return (
    <Card title={t("pricing.title")} data-testid="pricing-settings">
      {settings.isError ? (
        <QueryError error={settings.error} onRetry={() => void settings.refetch()} />
      ) : settings.isPending ? (
        <Skeleton active />
      ) : (
        <Form form={form} name="pricing-settings" layout="inline" onFinish={(v) => save.mutate(v)} disabled={!manage}>
          <Form.Item name="baseCurrency" label={t("pricing.baseCurrency")} extra={t("pricing.baseCurrencyHelp")} style={{ maxWidth: 420 }}>
            <Select showSearch options={CURRENCIES.map((c) => ({ value: c, label: c }))} style={{ width: 120 }} data-testid="base-currency" />
          </Form.Item>
          {manage ? (
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t("common.save")}
            </Button>
          ) : null}
        </Form>
      )}
      <Divider titlePlacement="start">{t("pricing.rates")}</Divider>
      <Typography.Paragraph type="secondary">{t("pricing.ratesHelp")}</Typography.Paragraph>
      {manage ? (
        <Form
          form={rateForm}
          name="exchange-rate"
          layout="inline"
          initialValues={{ validFrom: dayjs() }}
          onFinish={(v) => addRate.mutate(v)}
          style={{ marginBottom: 12, rowGap: 8 }}
        >
          <Form.Item name="currency" rules={[{ required: true, message: t("validation.select", { field: t("pricing.currency") }) }]}>
            <Select showSearch placeholder={t("pricing.currency")} options={currencyOptions} style={{ width: 110 }} data-testid="rate-currency" />
          </Form.Item>
          <Form.Item name="validFrom" rules={[{ required: true }]}>
            <DatePicker placeholder={t("pricing.validFrom")} />
          </Form.Item>
          <Form.Item name="rate" rules={[{ required: true, message: t("validation.required", { field: t("pricing.rate") }) }]}>
            <InputNumber<string> stringMode min="0" placeholder={t("pricing.rate")} style={{ width: 140 }} data-testid="rate-value" />
          </Form.Item>
          <Button icon={<PlusOutlined />} htmlType="submit" loading={addRate.isPending} data-testid="rate-add">
            {t("pricing.addRate")}
          </Button>
        </Form>
      ) : null}
      {rates.isError ? (
        <QueryError error={rates.error} onRetry={() => void rates.refetch()} />
      ) : (
        <Table<ExchangeRate>
          size="small"
          rowKey={(r) => `${r.currency}-${r.validFrom}`}
          loading={rates.isPending}
          dataSource={rates.data ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: t("pricing.noRates") }}
          data-testid="exchange-rates"
          columns={[
            { key: "currency", title: t("pricing.currency"), dataIndex: "currency", width: 90 },
            { key: "validFrom", title: t("pricing.validFrom"), render: (_, r) => dayjs(r.validFrom).format("L") },
            {
              key: "rate",
              title: t("pricing.rate"),
              align: "right",
              render: (_, r) => (
                <span style={{ fontVariantNumeric: "tabular-nums" }}>
                  1 {r.currency} = {r.rate.replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "")} {base}
                </span>
              ),
            },
            ...(manage
              ? [
                  {
                    key: "delete",
                    width: 48,
                    render: (_: unknown, r: ExchangeRate) => (
                      <Popconfirm title={t("pricing.deleteRateConfirm", { currency: r.currency, date: dayjs(r.validFrom).format("L") })} okButtonProps={{ danger: true }} onConfirm={() => removeRate.mutateAsync(r).catch(() => undefined)}>
                        <Button type="text" danger icon={<DeleteOutlined />} aria-label={t("common.delete")} />
                      </Popconfirm>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
    </Card>
  );
}
