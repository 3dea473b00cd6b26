import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Col, DatePicker, Form, Input, InputNumber, Row, Select } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { FormDrawer } from "../../app/components/FormDrawer.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { CustomerPicker } from "../contacts/CustomerPicker.js";
import { useCustomer } from "../customers/api.js";
import { MoneyInput } from "../customers/fields.js";
import { CURRENCIES } from "../customers/format.js";
import { UserSelect } from "../users/pickers.js";
import { useUserNames } from "../users/names.js";
import { createOpportunity, opportunitiesKey, opportunityKey, updateOpportunity, usePipelines, type Opportunity, type OpportunityInput } from "./api.js";

interface Values {
  name: string;
  customerId?: string;
  contactId?: string | null;
  ownerId?: string;
  pipelineId?: string;
  stageId?: string;
  amount: string | null;
  currency?: string;
  expectedClose: Dayjs | null;
  probability: number | null;
  source: string;
  competitors: string[];
  description: string;
  winReason: string;
  lossReason: string;
}

const valuesOf = (o: Opportunity): Values => ({
  name: o.name,
  customerId: o.customerId,
  contactId: o.contactId,
  ownerId: o.ownerId,
  amount: o.amount,
  currency: o.currency,
  expectedClose: o.expectedClose ? dayjs(o.expectedClose) : null,
  probability: o.probability,
  source: o.source,
  competitors: o.competitors,
  description: o.description,
  winReason: o.winReason,
  lossReason: o.lossReason,
});

/** The fields both create and edit send (the stage changes by moving, products on the detail page). */
function inputOf(v: Values, hasLines: boolean): OpportunityInput {
  return {
    name: v.name.trim(),
    contactId: v.contactId ?? null,
    ...(hasLines ? {} : { amount: v.amount || "0" }),
    currency: v.currency,
    expectedClose: v.expectedClose ? v.expectedClose.format("YYYY-MM-DD") : null,
    probability: v.probability ?? null,
    source: (v.source ?? "").trim(),
    competitors: v.competitors ?? [],
    description: (v.description ?? "").trim(),
  };
}

/**
 * Creates (opportunity null) or edits an opportunity. A new one starts in an
 * open stage of the chosen pipeline; the amount of a deal with products is
 * their sum, so it is not typed here.
 */
export function OpportunityFormDrawer({
  open,
  opportunity,
  defaults,
  onClose,
  onCreated,
}: {
  open: boolean;
  opportunity: Opportunity | null;
  defaults?: { pipelineId?: string; customerId?: string; customerName?: string };
  onClose: () => void;
  onCreated?: (o: Opportunity) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const userName = useUserNames();
  const pipelines = usePipelines(open);
  const editing = opportunity !== null;
  const hasLines = Boolean(opportunity?.lines?.length);
  const customerId = Form.useWatch("customerId", form);
  const pipelineId = Form.useWatch("pipelineId", form);
  const customer = useCustomer(open ? customerId : null);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (opportunity) form.setFieldsValue(valuesOf(opportunity));
    else form.setFieldsValue({ customerId: defaults?.customerId, pipelineId: defaults?.pipelineId, competitors: [], amount: null, expectedClose: null, probability: null });
  }, [open, opportunity, defaults?.customerId, defaults?.pipelineId, form]);

  useEffect(() => {
    if (!open || editing || form.getFieldValue("pipelineId")) return;
    const fallback = pipelines.data?.find((p) => p.isDefault) ?? pipelines.data?.[0];
    if (fallback) form.setFieldsValue({ pipelineId: fallback.id });
  }, [open, editing, pipelines.data, form]);

  const stages = useMemo(() => (pipelines.data?.find((p) => p.id === pipelineId)?.stages ?? []).filter((s) => s.kind === "open"), [pipelines.data, pipelineId]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const input = inputOf(v, hasLines);
      if (!opportunity) return createOpportunity({ ...input, name: input.name ?? "", customerId: v.customerId ?? "", pipelineId: v.pipelineId, stageId: v.stageId });
      const extra: OpportunityInput = { customerId: v.customerId, ownerId: v.ownerId };
      if (opportunity.status === "won") extra.winReason = (v.winReason ?? "").trim();
      if (opportunity.status === "lost") extra.lossReason = (v.lossReason ?? "").trim();
      const next = { ...input, ...extra };
      const before = { ...inputOf(valuesOf(opportunity), hasLines), customerId: opportunity.customerId, ownerId: opportunity.ownerId, winReason: opportunity.winReason, lossReason: opportunity.lossReason };
      const changed = Object.fromEntries(Object.entries(next).filter(([k, val]) => JSON.stringify(val) !== JSON.stringify(before[k as keyof typeof before])));
      return updateOpportunity(opportunity.id, { ...changed, version: opportunity.version });
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(opportunityKey(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: opportunitiesKey });
      void message.success(editing ? t("common.saved") : t("opportunities.createdMsg", { name: saved.name }));
      if (!editing && onCreated) onCreated(saved);
      else onClose();
    },
    onError: (err) => handleSaveError(err, form, () => void queryClient.invalidateQueries({ queryKey: opportunityKey(opportunity?.id ?? "") })),
  });

  const half = { xs: 24, sm: 12 };
  const knownCustomer: Record<string, string> = {};
  if (opportunity) knownCustomer[opportunity.customerId] = opportunity.customerName;
  if (defaults?.customerId && defaults.customerName) knownCustomer[defaults.customerId] = defaults.customerName;
  const contacts = (customer.data?.contacts ?? []).map((c) => ({ value: c.contactId, label: c.title ? `${c.name} (${c.title})` : c.name }));

  return (
    <FormDrawer
      open={open}
      onClose={onClose}
      title={editing ? t("opportunities.editTitle") : t("opportunities.createTitle")}
      form={form}
      saving={save.isPending}
      submitLabel={editing ? t("common.save") : t("common.create")}
      testId="opportunity"
    >
      <Form<Values> form={form} name="opportunity" layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Row gutter={16}>
          <Col span={24}>
            <Form.Item name="name" label={t("opportunities.name")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("opportunities.name") }) }]}>
              <Input maxLength={200} data-testid="opportunity-name" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="customerId" label={t("opportunities.customer")} rules={[{ required: true, message: t("validation.select", { field: t("opportunities.customer") }) }]}>
              <CustomerPicker known={knownCustomer} onChange={() => form.setFieldsValue({ contactId: null })} data-testid="opportunity-customer" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="contactId" label={t("opportunities.contact")}>
              <Select allowClear disabled={!customerId} loading={customer.isFetching} options={contacts} placeholder={t("opportunities.contactPlaceholder")} data-testid="opportunity-contact" />
            </Form.Item>
          </Col>
          {editing ? (
            <Col {...half}>
              <Form.Item name="ownerId" label={t("opportunities.owner")}>
                <UserSelect known={opportunity ? { [opportunity.ownerId]: userName(opportunity.ownerId) ?? opportunity.ownerId } : undefined} />
              </Form.Item>
            </Col>
          ) : (
            <>
              <Col {...half}>
                <Form.Item name="pipelineId" label={t("opportunities.pipeline")}>
                  <Select loading={pipelines.isLoading} options={(pipelines.data ?? []).map((p) => ({ value: p.id, label: p.name }))} onChange={() => form.setFieldsValue({ stageId: undefined })} data-testid="opportunity-pipeline" />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item name="stageId" label={t("opportunities.stage")} extra={t("opportunities.stageHelp")}>
                  <Select allowClear options={stages.map((s) => ({ value: s.id, label: `${s.name} (${s.probability}%)` }))} data-testid="opportunity-stage" />
                </Form.Item>
              </Col>
            </>
          )}
          <Col {...half}>
            <Form.Item name="amount" label={t("opportunities.amount")} extra={hasLines ? t("opportunities.amountFromProducts") : undefined}>
              {hasLines ? <Input disabled /> : <MoneyInput data-testid="opportunity-amount" />}
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="currency" label={t("opportunities.currency")} extra={editing ? undefined : t("opportunities.currencyHelp")}>
              <Select allowClear showSearch options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="expectedClose" label={t("opportunities.expectedClose")}>
              <DatePicker style={{ width: "100%" }} data-testid="opportunity-expected-close" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="probability" label={t("opportunities.probability")} extra={t("opportunities.probabilityHelp")}>
              <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="source" label={t("opportunities.source")}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="competitors" label={t("opportunities.competitors")} extra={t("opportunities.competitorsHelp")}>
              <Select mode="tags" open={false} tokenSeparators={[",", "，"]} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="description" label={t("opportunities.description")}>
              <Input.TextArea rows={4} maxLength={5000} data-testid="opportunity-description" />
            </Form.Item>
          </Col>
          {opportunity?.status === "won" ? (
            <Col span={24}>
              <Form.Item name="winReason" label={t("opportunities.winReason")}>
                <Input.TextArea rows={2} maxLength={1000} />
              </Form.Item>
            </Col>
          ) : null}
          {opportunity?.status === "lost" ? (
            <Col span={24}>
              <Form.Item name="lossReason" label={t("opportunities.lossReason")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("opportunities.lossReason") }) }]}>
                <Input.TextArea rows={2} maxLength={1000} />
              </Form.Item>
            </Col>
          ) : null}
        </Row>
      </Form>
    </FormDrawer>
  );
}
