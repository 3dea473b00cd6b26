import { MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Checkbox, Col, DatePicker, Flex, Form, Input, Radio, Row, Select, Skeleton, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { FormDrawer } from "../../app/components/FormDrawer.js";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useSession } from "../../app/session.js";
import {
  CONTACT_ROLES,
  customersKey,
  GENDERS,
  type ContactRole,
  type Email,
  type Gender,
  type Phone,
} from "../customers/api.js";
import { useDuplicateGuardedSave } from "../customers/duplicates.js";
import { ContactPointFields, TagsSelect, useUserNames } from "../customers/fields.js";
import { formatPhone } from "../customers/format.js";
import { revealFirstError, saveRecordForm, text } from "../customers/form-utils.js";
import { CustomFieldInputs } from "../custom-fields/CustomFieldInputs.js";
import { searchKey } from "../search/api.js";
import { UserSelect } from "../users/pickers.js";
import { contactKey, contactsKey, createContact, updateContact, useContact, type Contact, type ContactInput } from "./api.js";
import { CustomerPicker } from "./CustomerPicker.js";

interface LinkValues {
  customerId: string | undefined;
  role: ContactRole;
  isPrimary: boolean;
}

interface FormValues {
  name: string;
  gender: Gender | undefined;
  title: string;
  department: string;
  birthday: Dayjs | null;
  wechat: string;
  phones: Phone[];
  emails: Email[];
  notes: string;
  ownerId: string | undefined;
  tags: string[];
  customers: LinkValues[];
  custom: Record<string, unknown>;
}

function valuesOf(c: Contact): FormValues {
  return {
    name: c.name,
    gender: c.gender ?? undefined,
    title: c.title,
    department: c.department,
    birthday: c.birthday ? dayjs(c.birthday) : null,
    wechat: c.wechat,
    phones: c.phones.map((p) => ({ label: p.label, number: formatPhone(p.number) })),
    emails: c.emails,
    notes: c.notes,
    ownerId: c.ownerId ?? undefined,
    tags: c.tags,
    customers: c.customers.map((l) => ({ customerId: l.customerId, role: l.role, isPrimary: l.isPrimary })),
    custom: { ...c.custom },
  };
}

function inputOf(v: FormValues): ContactInput {
  return {
    name: text(v.name),
    gender: v.gender ?? null,
    title: text(v.title),
    department: text(v.department),
    birthday: v.birthday ? v.birthday.format("YYYY-MM-DD") : null,
    wechat: text(v.wechat),
    phones: (v.phones ?? []).filter((p) => text(p.number)).map((p) => ({ label: p.label, number: text(p.number) })),
    emails: (v.emails ?? []).filter((e) => text(e.address)).map((e) => ({ label: e.label, address: text(e.address) })),
    notes: text(v.notes),
    ownerId: v.ownerId ?? null,
    tags: v.tags ?? [],
    customers: (v.customers ?? [])
      .filter((l): l is LinkValues & { customerId: string } => Boolean(l.customerId))
      .map((l) => ({ customerId: l.customerId, role: l.role, isPrimary: Boolean(l.isPrimary) })),
  };
}

export interface PrefilledCustomer {
  customerId: string;
  name: string;
  /** Whether the new contact becomes the customer's primary contact. */
  isPrimary?: boolean;
}

/**
 * Creates (contactId null) or edits a contact. `customers` prefills the
 * links of a new contact (adding a contact from a customer's page).
 */
export function ContactFormDrawer({
  open,
  contactId,
  customers: prefilled,
  onClose,
  onCreated,
}: {
  open: boolean;
  contactId: string | null;
  customers?: PrefilledCustomer[];
  onClose: () => void;
  onCreated?: (c: Contact) => void;
}) {
  const { t } = useTranslation();
  const me = useSession();
  const [form] = Form.useForm<FormValues>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const userName = useUserNames();
  const editing = contactId !== null;
  const contact = useContact(open && editing ? contactId : null, { fresh: true });
  const loaded = !editing || contact.data !== undefined;
  const selfContact = contact.data?.isSelf === true;

  const knownCustomers = useMemo(
    () => Object.fromEntries([...(contact.data?.customers ?? []).map((l) => [l.customerId, l.name]), ...(prefilled ?? []).map((p) => [p.customerId, p.name])]),
    [contact.data, prefilled],
  );
  const knownUsers = useMemo(() => (contact.data?.ownerId ? { [contact.data.ownerId]: userName(contact.data.ownerId) ?? contact.data.ownerId } : {}), [contact.data, userName]);

  const guard = useDuplicateGuardedSave<FormValues, Contact>({
    objectType: "contact",
    save: (values, allowDuplicate) =>
      saveRecordForm({
        saved: contact.data,
        input: inputOf(values),
        inputOf: (saved) => inputOf(valuesOf(saved)),
        custom: values.custom,
        allowDuplicate,
        create: createContact,
        update: updateContact,
      }),
    onSaved: (saved) => {
      void queryClient.invalidateQueries({ queryKey: contactsKey });
      // The customers' 360° pages list their contacts.
      void queryClient.invalidateQueries({ queryKey: customersKey });
      void queryClient.invalidateQueries({ queryKey: searchKey });
      if (editing) {
        void message.success(t("common.saved"));
      } else {
        void message.success(t("contacts.createdMsg", { name: saved.name }));
        onCreated?.(saved);
      }
      onClose();
    },
    onFailed: (err) => {
      handleSaveError(err, form, () => {
        void queryClient.invalidateQueries({ queryKey: contactKey(contactId ?? "") });
      });
      revealFirstError(form);
    },
    probeOf: () => {
      const v = form.getFieldsValue(["phones", "emails"]) as Partial<FormValues>;
      return {
        objectType: "contact",
        phone: (v.phones ?? []).map((p) => text(p?.number)).filter(Boolean),
        email: (v.emails ?? []).map((e) => text(e?.address)).filter(Boolean),
        excludeId: contactId ?? undefined,
      };
    },
  });
  const { reset: resetGuard, checkDuplicates } = guard;

  // By value: callers pass a fresh array on every render.
  const prefillKey = JSON.stringify(prefilled ?? []);
  useEffect(() => {
    if (!open) return;
    resetGuard();
    if (!editing) {
      const links = JSON.parse(prefillKey) as PrefilledCustomer[];
      form.resetFields();
      form.setFieldsValue({
        ownerId: me.user.id,
        phones: [{ label: "mobile", number: "" }],
        emails: [{ label: "work", address: "" }],
        tags: [],
        customers: links.map((p) => ({ customerId: p.customerId, role: "other", isPrimary: p.isPrimary ?? false })),
        custom: {},
      });
    }
  }, [open, editing, form, me.user.id, prefillKey, resetGuard]);

  useEffect(() => {
    if (open && contact.data) form.setFieldsValue(valuesOf(contact.data));
  }, [open, contact.data, form]);

  const half = { xs: 24, sm: 12 } as const;
  const title = editing ? (contact.data ? `${t("contacts.editTitle")} · ${contact.data.name}` : t("contacts.editTitle")) : t("contacts.createTitle");

  return (
    <FormDrawer
      open={open}
      onClose={onClose}
      title={title}
      form={form}
      saving={guard.mutation.isPending}
      submitDisabled={!loaded || selfContact}
      submitLabel={editing ? t("common.save") : t("common.create")}
      testId="contact"
    >
      {contact.isError ? <QueryError error={contact.error} onRetry={() => void contact.refetch()} /> : null}
      {editing && contact.isPending ? <Skeleton active /> : null}
      {selfContact && contact.data?.customers[0] ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t("contacts.selfHint")}
          action={<Link to={`/customers/${contact.data.customers[0].customerId}`}>{t("contacts.openCustomer")}</Link>}
        />
      ) : null}
      {guard.notice}
      <Form<FormValues>
        form={form}
        name="contact"
        layout="vertical"
        disabled={selfContact}
        onFinish={guard.submit}
        onFinishFailed={() => revealFirstError(form)}
        style={{ display: loaded ? undefined : "none" }}
        data-testid="contact-form"
      >
        <Row gutter={16}>
          <Col xs={24} sm={14}>
            <Form.Item name="name" label={t("contacts.name")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("contacts.name") }) }]}>
              <Input maxLength={200} data-testid="contact-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item name="gender" label={t("customers.gender")}>
              <Radio.Group optionType="button" options={GENDERS.map((g) => ({ value: g, label: t(`customers.genders.${g}`) }))} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="title" label={t("contacts.jobTitle")}>
              <Input maxLength={100} placeholder={t("contacts.jobTitlePlaceholder")} data-testid="contact-title" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="department" label={t("contacts.department")}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="birthday" label={t("customers.birthday")}>
              <DatePicker style={{ width: "100%" }} disabledDate={(d) => d.isAfter(dayjs(), "day")} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="wechat" label={t("contacts.wechat")}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <ContactPointFields kind="phones" onBlurValue={checkDuplicates} />
          </Col>
          <Col span={24}>
            <ContactPointFields kind="emails" onBlurValue={checkDuplicates} />
          </Col>
          <Col span={24}>
            <Typography.Text>{t("contacts.customers")}</Typography.Text>
            <CustomerLinksFields known={knownCustomers} />
          </Col>
          <Col {...half}>
            <Form.Item name="ownerId" label={t("customers.owner")}>
              <UserSelect allowClear known={knownUsers} placeholder={t("contacts.noOwner")} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="tags" label={t("customers.tags")}>
              <TagsSelect />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="notes" label={t("contacts.notes")}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
            </Form.Item>
          </Col>
        </Row>
        <CustomFieldInputs objectType="contact" />
      </Form>
    </FormDrawer>
  );
}

/** The customers this person works for: customer, role in the deal, primary contact or not. */
function CustomerLinksFields({ known }: { known: Record<string, string> }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<FormValues>();
  const links = Form.useWatch("customers", form) ?? [];
  const chosen = links.map((l) => l?.customerId).filter((id): id is string => Boolean(id));
  return (
    <Form.List name="customers">
      {(fields, { add, remove }) => (
        <Flex vertical gap={8} style={{ marginTop: 8, marginBottom: 24 }}>
          {fields.map((field) => (
            <Flex key={field.key} gap={8} align="flex-start" wrap="wrap" style={{ padding: 8, border: "1px solid #f0f0f0", borderRadius: 6 }}>
              <Form.Item
                name={[field.name, "customerId"]}
                style={{ flex: "1 1 220px", marginBottom: 0, minWidth: 0 }}
                rules={[{ required: true, message: t("validation.select", { field: t("contacts.customer") }) }]}
              >
                <CustomerPicker known={known} exclude={chosen} data-testid={`contact-customer-${field.name}`} />
              </Form.Item>
              <Form.Item name={[field.name, "role"]} style={{ flex: "1 1 120px", marginBottom: 0 }}>
                <Select options={CONTACT_ROLES.map((r) => ({ value: r, label: t(`contacts.roles.${r}`) }))} aria-label={t("contacts.role")} />
              </Form.Item>
              <Flex align="center" gap={4} style={{ height: 32 }}>
                <Form.Item name={[field.name, "isPrimary"]} valuePropName="checked" noStyle>
                  <Checkbox>{t("contacts.primary")}</Checkbox>
                </Form.Item>
                <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} aria-label={t("common.remove")} />
              </Flex>
            </Flex>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ customerId: undefined, role: "other", isPrimary: false })} style={{ alignSelf: "flex-start" }}>
            {t("contacts.addCustomer")}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}
