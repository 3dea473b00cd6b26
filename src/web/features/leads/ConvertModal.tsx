import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, Button, DatePicker, Divider, Flex, Form, Input, Modal, Result, Select, Switch, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useSaveErrorHandler } from "../../app/errors.js";
import { contactsKey } from "../contacts/api.js";
import { customersKey } from "../customers/api.js";
import { DuplicateList } from "../customers/duplicates.js";
import { MoneyInput } from "../customers/fields.js";
import { useUserNames } from "../users/names.js";
import { opportunitiesKey, usePipelines } from "../opportunities/api.js";
import { convertConflictOf, convertLead, leadKey, leadsKey, type ConvertConflict, type ConvertInput, type Conversion, type Lead } from "./api.js";

interface Values {
  customerName: string;
  withContact: boolean;
  contactName: string;
  contactTitle: string;
  withOpportunity: boolean;
  opportunityName: string;
  pipelineId?: string;
  amount: string | null;
  expectedClose: Dayjs | null;
}

/** What the user chose after a duplicate answer. */
interface Choice {
  existingId?: string;
  allowDuplicate?: boolean;
  noContact?: boolean;
}

/**
 * Converts a lead into a customer (prefilled from its company), a contact and
 * optionally an opportunity. The server's duplicate check may answer 409 with
 * the likely matches: the user converts onto one of them, or (warn mode)
 * creates anyway. Afterwards the modal links to what was made. Mount it when
 * it opens (its form is prefilled once).
 */
export function ConvertModal({ lead, open, onClose }: { lead: Lead; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const handleSaveError = useSaveErrorHandler();
  const pipelines = usePipelines(open);
  const userName = useUserNames();
  const [conflict, setConflict] = useState<ConvertConflict | null>(null);
  const [choice, setChoice] = useState<Choice>({});
  const [result, setResult] = useState<(Conversion & { customerName: string; existing: boolean }) | null>(null);
  const withContact = Form.useWatch("withContact", form);
  const withOpportunity = Form.useWatch("withOpportunity", form);

  // Prefilled once from the lead as it was when the modal opened (the parent mounts it on opening):
  // the converted lead that arrives later must not reset the form or the result.
  const [initial] = useState<Partial<Values>>(() => ({
    customerName: lead.company || lead.name,
    withContact: true,
    contactName: lead.name,
    contactTitle: lead.title,
    withOpportunity: true,
    opportunityName: t("leads.convert.opportunityNameDefault", { name: lead.company || lead.name }),
    amount: null,
    expectedClose: null,
  }));

  useEffect(() => {
    const fallback = pipelines.data?.find((p) => p.isDefault) ?? pipelines.data?.[0];
    if (open && fallback && !form.getFieldValue("pipelineId")) form.setFieldsValue({ pipelineId: fallback.id });
  }, [open, pipelines.data, form]);

  const convert = useMutation({
    mutationFn: ({ v, c }: { v: Values; c: Choice }) => {
      const input: ConvertInput = {
        version: lead.version,
        customer: c.existingId ? { existingId: c.existingId } : { name: v.customerName.trim() },
        contact: !v.withContact || c.noContact ? null : { name: v.contactName.trim(), title: (v.contactTitle ?? "").trim() },
        opportunity: v.withOpportunity
          ? { name: v.opportunityName.trim(), amount: v.amount || undefined, expectedClose: v.expectedClose ? v.expectedClose.format("YYYY-MM-DD") : null, pipelineId: v.pipelineId ?? null }
          : null,
        allowDuplicate: c.allowDuplicate || undefined,
      };
      return convertLead(lead.id, input);
    },
    onSuccess: (r, { v, c }) => {
      setConflict(null);
      const existing = conflict?.duplicates.find((d) => d.id === c.existingId);
      setResult({ ...r, customerName: existing?.name ?? v.customerName, existing: Boolean(c.existingId) });
      queryClient.setQueryData(leadKey(lead.id), r.lead);
      for (const key of [leadsKey, customersKey, contactsKey, opportunitiesKey]) void queryClient.invalidateQueries({ queryKey: key });
    },
    onError: (err, { c }) => {
      const dup = convertConflictOf(err);
      if (dup) {
        setChoice(c);
        setConflict(dup);
        return;
      }
      handleSaveError(err, form, () => void queryClient.invalidateQueries({ queryKey: leadKey(lead.id) }));
    },
  });

  const submit = (c: Choice) => {
    void form.validateFields().then((v) => convert.mutate({ v, c }));
  };

  const customerDuplicates = conflict?.part === "customer" ? conflict.duplicates.filter((d) => d.objectType === "customer") : [];

  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t("leads.convert.title", { name: lead.name })}
      width={640}
      footer={
        result ? (
          <Button type="primary" onClick={onClose} data-testid="convert-done">
            {t("common.close")}
          </Button>
        ) : (
          <Flex justify="flex-end" gap={8}>
            <Button onClick={onClose}>{t("common.cancel")}</Button>
            <Button type="primary" onClick={() => submit({})} loading={convert.isPending && !conflict} data-testid="convert-submit">
              {t("leads.convert.submit")}
            </Button>
          </Flex>
        )
      }
      data-testid="convert-modal"
    >
      {result ? (
        <Result
          status="success"
          title={t("leads.convert.done")}
          subTitle={result.existing ? t("leads.convert.doneExisting") : undefined}
          extra={
            <Flex vertical gap={8} align="center" data-testid="convert-result">
              <Link to={`/customers/${result.customerId}`} data-testid="convert-customer-link">
                {t("leads.convert.customerLink", { name: result.customerName })}
              </Link>
              {result.contactId ? (
                <Link to={`/contacts/${result.contactId}`} data-testid="convert-contact-link">
                  {t("leads.convert.contactLink")}
                </Link>
              ) : null}
              {result.opportunityId ? (
                <Link to={`/opportunities/${result.opportunityId}`} data-testid="convert-opportunity-link">
                  {t("leads.convert.opportunityLink")}
                </Link>
              ) : null}
            </Flex>
          }
        />
      ) : (
        <>
          {conflict ? (
            <Alert
              type={conflict.mode === "block" ? "error" : "warning"}
              showIcon
              style={{ marginBottom: 16 }}
              title={conflict.mode === "block" ? t("leads.convert.duplicateBlocked") : conflict.part === "customer" ? t("leads.convert.duplicateCustomer") : t("leads.convert.duplicateContact")}
              description={
                conflict.part === "customer" ? (
                  <Flex vertical gap={8} style={{ marginTop: 4 }} data-testid="convert-duplicates">
                    {customerDuplicates.map((d) => (
                      <Flex key={d.id} gap={8} wrap="wrap" align="center" data-testid={`convert-duplicate-${d.id}`}>
                        <Link to={`/customers/${d.id}`} target="_blank" rel="noopener">
                          {d.name}
                        </Link>
                        {d.code ? <Typography.Text type="secondary">{d.code}</Typography.Text> : null}
                        {d.reasons.map((r) => (
                          <Tag key={r} color="orange" style={{ marginInlineEnd: 0 }}>
                            {t(`customers.duplicateReasons.${r}`)}
                          </Tag>
                        ))}
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {d.ownerId ? t("customers.ownedBy", { name: userName(d.ownerId) ?? "—" }) : t("customers.publicPool")}
                        </Typography.Text>
                        <Button size="small" type="primary" loading={convert.isPending && convert.variables?.c.existingId === d.id} onClick={() => submit({ ...choice, existingId: d.id, allowDuplicate: undefined })} data-testid="convert-onto-existing">
                          {t("leads.convert.ontoExisting")}
                        </Button>
                      </Flex>
                    ))}
                    {conflict.mode === "warn" ? (
                      <Button size="small" danger style={{ alignSelf: "flex-start" }} loading={convert.isPending && Boolean(convert.variables?.c.allowDuplicate)} onClick={() => submit({ ...choice, allowDuplicate: true })} data-testid="convert-anyway">
                        {t("leads.convert.createAnyway")}
                      </Button>
                    ) : null}
                  </Flex>
                ) : (
                  <Flex vertical gap={8} data-testid="convert-duplicates">
                    <DuplicateList items={conflict.duplicates} />
                    <Flex gap={8} wrap="wrap">
                      {conflict.mode === "warn" ? (
                        <Button size="small" danger onClick={() => submit({ ...choice, allowDuplicate: true })} loading={convert.isPending} data-testid="convert-anyway">
                          {t("leads.convert.createAnyway")}
                        </Button>
                      ) : null}
                      <Button size="small" onClick={() => submit({ ...choice, noContact: true })} loading={convert.isPending} data-testid="convert-without-contact">
                        {t("leads.convert.withoutContact")}
                      </Button>
                    </Flex>
                  </Flex>
                )
              }
              data-testid="convert-conflict"
            />
          ) : null}
          <Form<Values> form={form} name="lead-convert" layout="vertical" initialValues={initial} onFinish={() => submit({})}>
            <Form.Item
              name="customerName"
              label={t("leads.convert.customerName")}
              extra={t("leads.convert.customerNameHelp")}
              rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("leads.convert.customerName") }) }]}
            >
              <Input maxLength={200} data-testid="convert-customer-name" />
            </Form.Item>
            <Divider style={{ marginBlock: 8 }} />
            <Flex gap={8} align="center" style={{ marginBottom: 16 }}>
              <Form.Item name="withContact" valuePropName="checked" noStyle>
                <Switch size="small" id="convert-withContact" data-testid="convert-with-contact" />
              </Form.Item>
              <label htmlFor="convert-withContact">{t("leads.convert.withContact")}</label>
            </Flex>
            {withContact ? (
              <Flex gap={16} wrap="wrap">
                <Form.Item name="contactName" label={t("leads.convert.contactName")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("leads.convert.contactName") }) }]} style={{ flex: "1 1 200px" }}>
                  <Input maxLength={200} data-testid="convert-contact-name" />
                </Form.Item>
                <Form.Item name="contactTitle" label={t("leads.jobTitle")} style={{ flex: "1 1 200px" }}>
                  <Input maxLength={100} />
                </Form.Item>
              </Flex>
            ) : null}
            <Divider style={{ marginBlock: 8 }} />
            <Flex gap={8} align="center" style={{ marginBottom: 16 }}>
              <Form.Item name="withOpportunity" valuePropName="checked" noStyle>
                <Switch size="small" id="convert-withOpportunity" data-testid="convert-with-opportunity" />
              </Form.Item>
              <label htmlFor="convert-withOpportunity">{t("leads.convert.withOpportunity")}</label>
            </Flex>
            {withOpportunity ? (
              <Flex gap={16} wrap="wrap">
                <Form.Item
                  name="opportunityName"
                  label={t("leads.convert.opportunityName")}
                  rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("leads.convert.opportunityName") }) }]}
                  style={{ flex: "1 1 100%" }}
                >
                  <Input maxLength={200} data-testid="convert-opportunity-name" />
                </Form.Item>
                <Form.Item name="pipelineId" label={t("opportunities.pipeline")} style={{ flex: "1 1 180px" }}>
                  <Select loading={pipelines.isLoading} options={(pipelines.data ?? []).map((p) => ({ value: p.id, label: p.name }))} data-testid="convert-pipeline" />
                </Form.Item>
                <Form.Item name="amount" label={t("opportunities.amount")} style={{ flex: "1 1 160px" }}>
                  <MoneyInput data-testid="convert-amount" />
                </Form.Item>
                <Form.Item name="expectedClose" label={t("opportunities.expectedClose")} style={{ flex: "1 1 160px" }}>
                  <DatePicker style={{ width: "100%" }} data-testid="convert-expected-close" />
                </Form.Item>
              </Flex>
            ) : null}
          </Form>
        </>
      )}
    </Modal>
  );
}
