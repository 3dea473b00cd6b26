import { useQueryClient } from "@tanstack/react-query";
import { App, Form, Skeleton, Tabs } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { FormDrawer } from "../../app/components/FormDrawer.js";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useSession } from "../../app/session.js";
import { contactsKey } from "../contacts/api.js";
import { CustomFieldInputs, useHasCustomFields } from "../custom-fields/CustomFieldInputs.js";
import { searchKey } from "../search/api.js";
import {
  createCustomer,
  customerKey,
  customersKey,
  updateCustomer,
  useCustomer,
  type Customer,
} from "./api.js";
import { inputOf, tabOf, valuesOf, type FormValues } from "./customer-form.js";
import { AnalysisFields, BasicFields, FinanceFields } from "./CustomerFormFields.js";
import { useDuplicateGuardedSave } from "./duplicates.js";
import { revealFirstError, saveRecordForm, text } from "./form-utils.js";

/** Creates (customerId null) or edits a customer in a drawer with Basic / Finance / Analysis tabs. */
export function CustomerFormDrawer({
  open,
  customerId,
  onClose,
  onCreated,
}: {
  open: boolean;
  customerId: string | null;
  onClose: () => void;
  onCreated?: (c: Customer) => void;
}) {
  const { t } = useTranslation();
  const me = useSession();
  const [form] = Form.useForm<FormValues>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const editing = customerId !== null;
  const customer = useCustomer(open && editing ? customerId : null, { fresh: true });
  const [tab, setTab] = useState("basic");
  const loaded = !editing || customer.data !== undefined;
  const bankMasked = customer.data?.bankAccountMasked ?? false;
  const hasCustom = useHasCustomFields("customer");

  const showTabOf = (field: string) => setTab(tabOf(field));

  const guard = useDuplicateGuardedSave<FormValues, Customer>({
    objectType: "customer",
    save: (values, allowDuplicate) =>
      saveRecordForm({
        saved: customer.data,
        input: inputOf(values, bankMasked),
        inputOf: (saved) => inputOf(valuesOf(saved), bankMasked),
        custom: values.custom,
        allowDuplicate,
        create: createCustomer,
        update: updateCustomer,
      }),
    onSaved: (saved) => {
      void queryClient.invalidateQueries({ queryKey: customersKey });
      // An individual's own contact mirrors the customer; search titles follow names.
      void queryClient.invalidateQueries({ queryKey: contactsKey });
      void queryClient.invalidateQueries({ queryKey: searchKey });
      if (editing) {
        void message.success(t("common.saved"));
      } else {
        void message.success(t("customers.createdMsg", { name: saved.name, code: saved.code }));
        onCreated?.(saved);
      }
      onClose();
    },
    onFailed: (err) => {
      handleSaveError(err, form, () => {
        void queryClient.invalidateQueries({ queryKey: customerKey(customerId ?? "") });
      });
      revealFirstError(form, showTabOf);
    },
    // 查重 as the user leaves the name, credit code or a phone field.
    probeOf: () => {
      const v = form.getFieldsValue(["name", "creditCode", "phones", "emails", "kind"]) as Partial<FormValues>;
      return {
        objectType: "customer",
        name: text(v.name) || undefined,
        creditCode: v.kind === "organization" ? text(v.creditCode) || undefined : undefined,
        phone: (v.phones ?? []).map((p) => text(p?.number)).filter(Boolean),
        email: (v.emails ?? []).map((e) => text(e?.address)).filter(Boolean),
        excludeId: customerId ?? undefined,
      };
    },
  });
  const { reset: resetGuard, checkDuplicates } = guard;

  useEffect(() => {
    if (!open) return;
    setTab("basic");
    resetGuard();
    if (!editing) {
      form.resetFields();
      form.setFieldsValue({
        kind: "organization",
        status: "active",
        lifecycleStage: "prospect",
        ownerId: me.user.id,
        currency: "CNY",
        // A company's number is usually its switchboard.
        phones: [{ label: "work", number: "" }],
        emails: [],
        tags: [],
        collaboratorIds: [],
        addresses: [],
        custom: {},
      });
    }
  }, [open, editing, form, me.user.id, resetGuard]);

  useEffect(() => {
    if (open && customer.data) form.setFieldsValue(valuesOf(customer.data));
  }, [open, customer.data, form]);

  const title = editing ? (customer.data ? `${t("customers.editTitle")} · ${customer.data.name}` : t("customers.editTitle")) : t("customers.createTitle");

  return (
    <FormDrawer
      open={open}
      onClose={onClose}
      title={title}
      width={760}
      styles={{ body: { paddingTop: 8 } }}
      form={form}
      saving={guard.mutation.isPending}
      submitDisabled={!loaded}
      submitLabel={editing ? t("common.save") : t("common.create")}
      testId="customer"
    >
      {customer.isError ? <QueryError error={customer.error} onRetry={() => void customer.refetch()} /> : null}
      {editing && customer.isPending ? <Skeleton active /> : null}
      {guard.notice}
      <Form<FormValues>
        form={form}
        name="customer"
        layout="vertical"
        onFinish={guard.submit}
        onFinishFailed={() => revealFirstError(form, showTabOf)}
        style={{ display: loaded ? undefined : "none" }}
        data-testid="customer-form"
      >
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: "basic", label: t("customers.tabs.basic"), forceRender: true, children: <BasicFields form={form} onIdentityBlur={checkDuplicates} customer={customer.data} /> },
            { key: "finance", label: t("customers.tabs.finance"), forceRender: true, children: <FinanceFields form={form} customer={customer.data} onIdentityBlur={checkDuplicates} /> },
            { key: "analysis", label: t("customers.tabs.analysis"), forceRender: true, children: <AnalysisFields form={form} /> },
            ...(hasCustom ? [{ key: "custom", label: <span data-testid="customer-form-tab-custom">{t("customFields.section")}</span>, forceRender: true, children: <CustomFieldInputs objectType="customer" divider={false} /> }] : []),
          ]}
        />
      </Form>
    </FormDrawer>
  );
}
