import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, AutoComplete, Col, Form, Input, Row, Skeleton, Switch } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { FormDrawer } from "../../app/components/FormDrawer.js";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { RegionCascader } from "../customers/regions.js";
import { createLead, leadKey, leadsKey, updateLead, useLead, type Lead, type LeadInput } from "./api.js";

interface Values {
  name: string;
  company: string;
  title: string;
  phone: string;
  email: string;
  source: string;
  campaign: string;
  region: string[];
  productLine: string;
  notes: string;
  toPool: boolean;
}

export const SOURCE_KEYS = ["website", "tradeShow", "referral", "advertising", "coldCall", "social"] as const;

const valuesOf = (l: Lead): Values => ({
  name: l.name,
  company: l.company,
  title: l.title,
  phone: l.phone,
  email: l.email,
  source: l.source,
  campaign: l.campaign,
  region: [l.provinceCode, l.cityCode].filter((c): c is string => Boolean(c)),
  productLine: l.productLine,
  notes: l.notes,
  toPool: false,
});

const inputOf = (v: Values): Required<LeadInput> => ({
  name: v.name.trim(),
  company: (v.company ?? "").trim(),
  title: (v.title ?? "").trim(),
  phone: (v.phone ?? "").trim(),
  email: (v.email ?? "").trim(),
  wechat: "",
  source: (v.source ?? "").trim(),
  campaign: (v.campaign ?? "").trim(),
  provinceCode: v.region?.[0] ?? null,
  cityCode: v.region?.[1] ?? null,
  productLine: (v.productLine ?? "").trim(),
  notes: (v.notes ?? "").trim(),
});

/** Creates (leadId null) or edits a lead; a new lead may be handed to the assignment rules (else the creator owns it). */
export function LeadFormDrawer({ open, leadId, onClose, onCreated }: { open: boolean; leadId: string | null; onClose: () => void; onCreated?: (lead: Lead) => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const editing = leadId !== null;
  const lead = useLead(open && editing ? leadId : null, { fresh: true });

  useEffect(() => {
    if (!open || editing) return;
    form.resetFields();
    form.setFieldsValue({ toPool: !can("lead:claim") });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reset once per opening
  }, [open, editing, form]);

  useEffect(() => {
    if (open && lead.data) form.setFieldsValue(valuesOf(lead.data));
  }, [open, lead.data, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const input = inputOf(v);
      if (!lead.data) {
        const { wechat: _w, ...rest } = input;
        return createLead({ ...rest, toPool: v.toPool || undefined });
      }
      const before = inputOf(valuesOf(lead.data));
      const changed = Object.fromEntries(Object.entries(input).filter(([k, val]) => JSON.stringify(val) !== JSON.stringify(before[k as keyof LeadInput])));
      return updateLead(lead.data.id, { ...changed, version: lead.data.version });
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(leadKey(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: leadsKey });
      if (editing) {
        void message.success(t("common.saved"));
        onClose();
      } else {
        void message.success(saved.ownerId ? t("leads.createdMsg", { name: saved.name }) : t("leads.createdToPoolMsg", { name: saved.name }));
        if (onCreated) onCreated(saved);
        else onClose();
      }
    },
    onError: (err) => handleSaveError(err, form, () => void queryClient.invalidateQueries({ queryKey: leadKey(leadId ?? "") })),
  });

  const half = { xs: 24, sm: 12 };
  const sources = SOURCE_KEYS.map((k) => ({ value: t(`leads.sources.${k}`) }));
  return (
    <FormDrawer
      open={open}
      onClose={onClose}
      title={editing ? t("leads.editTitle") : t("leads.createTitle")}
      form={form}
      saving={save.isPending}
      submitDisabled={editing && !lead.data}
      submitLabel={editing ? t("common.save") : t("common.create")}
      testId="lead"
    >
      {lead.isError ? <QueryError error={lead.error} onRetry={() => void lead.refetch()} /> : null}
      {editing && lead.isPending ? <Skeleton active /> : null}
      <Form<Values> form={form} name="lead" layout="vertical" onFinish={(v) => save.mutate(v)} style={{ display: editing && !lead.data ? "none" : undefined }}>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item name="name" label={t("leads.name")} extra={t("leads.nameHelp")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("leads.name") }) }]}>
              <Input maxLength={200} data-testid="lead-name" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="company" label={t("leads.company")}>
              <Input maxLength={100} data-testid="lead-company" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="title" label={t("leads.jobTitle")}>
              <Input maxLength={100} data-testid="lead-title" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="phone" label={t("leads.phone")}>
              <Input maxLength={40} inputMode="tel" data-testid="lead-phone" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="email" label={t("leads.email")} rules={[{ type: "email", message: t("validation.email") }]}>
              <Input maxLength={254} inputMode="email" data-testid="lead-email" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="source" label={t("leads.source")}>
              <AutoComplete options={sources} maxLength={100} data-testid="lead-source" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="campaign" label={t("leads.campaign")}>
              <Input maxLength={100} data-testid="lead-campaign" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="productLine" label={t("leads.productLine")}>
              <Input maxLength={100} data-testid="lead-product-line" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="region" label={t("leads.province")}>
              <RegionCascader placeholder={t("leads.provincePlaceholder")} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="notes" label={t("leads.notes")}>
              <Input.TextArea rows={4} maxLength={5000} data-testid="lead-notes" />
            </Form.Item>
          </Col>
          {editing ? null : (
            <Col span={24}>
              <Form.Item name="toPool" label={t("leads.toPool")} valuePropName="checked" extra={t("leads.toPoolHelp")}>
                <Switch data-testid="lead-to-pool" />
              </Form.Item>
            </Col>
          )}
        </Row>
      </Form>
    </FormDrawer>
  );
}
