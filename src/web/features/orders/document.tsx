import { Col, Form, Input, Modal, Select, Typography, type FormInstance } from "antd";
import dayjs from "dayjs";
import { useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { BackLink, RecordHeader } from "../../app/components/record.js";
import { CustomerPicker } from "../contacts/CustomerPicker.js";
import { useCustomer, type CustomerDetail } from "../customers/api.js";
import { CURRENCIES } from "../customers/format.js";
import { useUserNames } from "../users/names.js";

/*
 * What an order and a quote share beyond their lines (lines.tsx): the
 * customer, contact and currency of the form, the detail page's header and
 * the reason asked when one is cancelled or rejected.
 */

/**
 * The customer a form is for and its currency. A new document takes the
 * customer's currency until the user picks one; `clearOnFollow` names a field
 * emptied when it does (a price list in the old currency no longer fits).
 */
export function useDocumentCustomer(form: FormInstance, editing: boolean, clearOnFollow?: string) {
  const customerId = Form.useWatch("customerId", form) as string | undefined;
  const customer = useCustomer(customerId);
  const currency = (Form.useWatch("currency", form) as string | undefined) ?? customer.data?.currency ?? "CNY";
  const customerCurrency = customer.data?.currency;
  useEffect(() => {
    if (editing || !customerCurrency || form.isFieldTouched("currency") || form.getFieldValue("currency") === customerCurrency) return;
    form.setFieldsValue({ currency: customerCurrency, ...(clearOnFollow ? { [clearOnFollow]: null } : {}) });
  }, [editing, customerCurrency, form, clearOnFollow]);
  return { customerId, customer: customer.data, currency };
}

/** The back link and the title above a document's form. */
export function DocumentFormTitle({ back, backLabel, title }: { back: string; backLabel: string; title: string }) {
  return (
    <>
      <BackLink to={back}>{backLabel}</BackLink>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {title}
      </Typography.Title>
    </>
  );
}

const half = { xs: 24, sm: 12 };

/**
 * Customer and contact columns of a document's form. A saved document keeps
 * its customer (the server takes no customerId on a change): it shows as text.
 */
export function CustomerContactFields({
  savedName,
  customerId,
  customer,
  testId,
}: {
  savedName: string | undefined;
  customerId: string | undefined;
  customer: CustomerDetail | undefined;
  testId: string;
}) {
  const { t } = useTranslation();
  const label = t("orders.customer");
  return (
    <>
      <Col {...half}>
        {savedName !== undefined ? (
          <Form.Item label={label}>
            <Input value={savedName} disabled />
          </Form.Item>
        ) : null}
        <Form.Item name="customerId" label={label} hidden={savedName !== undefined} rules={[{ required: true, message: t("validation.select", { field: label }) }]}>
          <CustomerPicker known={customer ? { [customer.id]: customer.name } : undefined} data-testid={`${testId}-customer`} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name="contactId" label={t("orders.contact")}>
          <Select allowClear options={(customer?.contacts ?? []).map((c) => ({ value: c.contactId, label: c.name }))} disabled={!customerId} />
        </Form.Item>
      </Col>
    </>
  );
}

/** The currency column: the usual currencies and whatever the document has. */
export function CurrencyField({ currency }: { currency: string }) {
  const { t } = useTranslation();
  return (
    <Col xs={12} sm={6}>
      <Form.Item name="currency" label={t("orders.currency")}>
        <Select showSearch options={[...new Set([currency, ...CURRENCIES])].map((c) => ({ value: c, label: c }))} />
      </Form.Item>
    </Col>
  );
}

interface HeaderDoc {
  number: string;
  customerId: string;
  customerName: string;
  ownerId: string;
}

/**
 * A document page's back link and header card: number, status, customer,
 * date, owner and the actions; `children` below (status steps, revisions).
 * Test ids: `<testId>-header`, `<testId>-number`.
 */
export function DocumentHeader({
  doc,
  date,
  status,
  actions,
  back,
  backLabel,
  testId,
  children,
}: {
  doc: HeaderDoc;
  date: string;
  status: ReactNode;
  actions: ReactNode;
  back: string;
  backLabel: string;
  testId: string;
  children?: ReactNode;
}) {
  const userName = useUserNames();
  return (
    <RecordHeader
      back={back}
      backLabel={backLabel}
      title={doc.number}
      titleTestId={`${testId}-number`}
      copyable={doc.number}
      tags={status}
      subtitle={
        <>
          <Link to={`/customers/${doc.customerId}`}>{doc.customerName}</Link> · {dayjs(date).format("LL")} · {userName(doc.ownerId) ?? "—"}
        </>
      }
      actions={actions}
      testId={testId}
    >
      {children}
    </RecordHeader>
  );
}

/**
 * Asks for the required reason of a cancellation or rejection. `form` is the
 * caller's, so a save error can mark its field; it is emptied on each opening.
 * `testId` names the form; test ids `<testId>-reason`, `<testId>-submit`.
 */
export function ReasonDialog({
  open,
  title,
  label,
  form,
  saving,
  onCancel,
  onOk,
  testId,
}: {
  open: boolean;
  title: string;
  label: string;
  form: FormInstance<{ reason: string }>;
  saving: boolean;
  onCancel: () => void;
  onOk: (reason: string) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onCancel}
      onOk={() => form.submit()}
      okButtonProps={{ danger: true, ...({ "data-testid": `${testId}-submit` } as Record<string, string>) }}
      confirmLoading={saving}
      destroyOnHidden
      forceRender
    >
      <Form form={form} name={testId} layout="vertical" onFinish={(v) => onOk(v.reason.trim())}>
        <Form.Item name="reason" label={label} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: label }) }]}>
          <Input.TextArea rows={3} maxLength={500} data-testid={`${testId}-reason`} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
