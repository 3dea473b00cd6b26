import { MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Checkbox, Col, DatePicker, Drawer, Flex, Form, Grid, Input, Radio, Row, Select, Skeleton, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useSession } from "../../app/session.js";
import {
  CONTACT_ROLES,
  customersKey,
  duplicateConflictOf,
  GENDERS,
  useDuplicateProbe,
  type ContactRole,
  type DuplicateConflict,
  type DuplicateProbe,
  type Email,
  type Gender,
  type Phone,
} from "../customers/api.js";
import { DuplicateConflictAlert, DuplicateHint } from "../customers/duplicates.js";
import { ContactPointFields, TagsSelect, useUserNames } from "../customers/fields.js";
import { formatPhone } from "../customers/format.js";
import { changedFields, revealFirstError, text, withoutEmpty } from "../customers/form-utils.js";
import { changedCustom, CustomFieldInputs, filledCustom } from "../custom-fields/CustomFieldInputs.js";
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
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<FormValues>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const userName = useUserNames();
  const editing = contactId !== null;
  const contact = useContact(open && editing ? contactId : null, { fresh: true });
  const [conflict, setConflict] = useState<DuplicateConflict | null>(null);
  const [probe, setProbe] = useState<DuplicateProbe | null>(null);
  const lastValues = useRef<FormValues | null>(null);
  const loaded = !editing || contact.data !== undefined;
  const selfContact = contact.data?.isSelf === true;

  const knownCustomers = useMemo(
    () => Object.fromEntries([...(contact.data?.customers ?? []).map((l) => [l.customerId, l.name]), ...(prefilled ?? []).map((p) => [p.customerId, p.name])]),
    [contact.data, prefilled],
  );
  const knownUsers = useMemo(() => (contact.data?.ownerId ? { [contact.data.ownerId]: userName(contact.data.ownerId) ?? contact.data.ownerId } : {}), [contact.data, userName]);

  // By value: callers pass a fresh array on every render.
  const prefillKey = JSON.stringify(prefilled ?? []);
  useEffect(() => {
    if (!open) return;
    setConflict(null);
    setProbe(null);
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
  }, [open, editing, form, me.user.id, prefillKey]);

  useEffect(() => {
    if (open && contact.data) form.setFieldsValue(valuesOf(contact.data));
  }, [open, contact.data, form]);

  const duplicates = useDuplicateProbe(probe);

  const mutation = useMutation({
    mutationFn: ({ values, allowDuplicate }: { values: FormValues; allowDuplicate: boolean }) => {
      const input = inputOf(values);
      const extra = allowDuplicate ? { allowDuplicate: true } : {};
      if (!contact.data) return createContact({ ...withoutEmpty(input), custom: filledCustom(values.custom), ...extra });
      const changed = changedFields(inputOf(valuesOf(contact.data)), input);
      // Masked pool details are placeholders, never values to save.
      if (contact.data.contactDetailsMasked) {
        delete changed.phones;
        delete changed.emails;
      }
      const custom = changedCustom(contact.data.custom, values.custom);
      return updateContact(contact.data.id, { ...changed, ...(custom ? { custom } : {}), version: contact.data.version, ...extra });
    },
    onSuccess: (saved) => {
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
    onError: (err) => {
      const dup = duplicateConflictOf(err);
      if (dup) {
        setConflict(dup);
        return;
      }
      handleSaveError(err, form, () => {
        void queryClient.invalidateQueries({ queryKey: contactKey(contactId ?? "") });
      });
      revealFirstError(form);
    },
  });

  const save = (values: FormValues, allowDuplicate = false) => {
    lastValues.current = values;
    setConflict(null);
    mutation.mutate({ values, allowDuplicate });
  };

  const probeTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(probeTimer.current), []);
  const checkDuplicates = () => {
    clearTimeout(probeTimer.current);
    probeTimer.current = setTimeout(() => {
      const v = form.getFieldsValue(["phones", "emails"]) as Partial<FormValues>;
      setProbe({
        objectType: "contact",
        phone: (v.phones ?? []).map((p) => text(p?.number)).filter(Boolean),
        email: (v.emails ?? []).map((e) => text(e?.address)).filter(Boolean),
        excludeId: contactId ?? undefined,
      });
    }, 400);
  };

  const half = { xs: 24, sm: 12 } as const;
  const title = editing ? (contact.data ? `${t("contacts.editTitle")} · ${contact.data.name}` : t("contacts.editTitle")) : t("contacts.createTitle");

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={title}
      size={screens.md ? 640 : "100%"}
      destroyOnHidden
      forceRender
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="primary" onClick={() => form.submit()} loading={mutation.isPending} disabled={!loaded || selfContact} data-testid="contact-submit">
            {editing ? t("common.save") : t("common.create")}
          </Button>
        </Flex>
      }
      data-testid="contact-drawer"
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
      {conflict ? (
        <DuplicateConflictAlert conflict={conflict} objectType="contact" saving={mutation.isPending} onSaveAnyway={() => lastValues.current && save(lastValues.current, true)} />
      ) : (
        <DuplicateHint items={duplicates.data} />
      )}
      <Form<FormValues>
        form={form}
        name="contact"
        layout="vertical"
        disabled={selfContact}
        onFinish={(v) => save(v)}
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
    </Drawer>
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
