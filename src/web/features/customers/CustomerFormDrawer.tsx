import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Drawer, Flex, Form, Grid, Skeleton, Tabs } from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useSession } from "../../app/session.js";
import { contactsKey } from "../contacts/api.js";
import { changedCustom, CustomFieldInputs, filledCustom, useHasCustomFields } from "../custom-fields/CustomFieldInputs.js";
import { searchKey } from "../search/api.js";
import {
  createCustomer,
  customerKey,
  customersKey,
  duplicateConflictOf,
  updateCustomer,
  useCustomer,
  useDuplicateProbe,
  type Customer,
  type DuplicateConflict,
  type DuplicateProbe,
} from "./api.js";
import { inputOf, tabOf, valuesOf, type FormValues } from "./customer-form.js";
import { AnalysisFields, BasicFields, FinanceFields } from "./CustomerFormFields.js";
import { DuplicateConflictAlert, DuplicateHint } from "./duplicates.js";
import { changedFields, revealFirstError, text, withoutEmpty } from "./form-utils.js";

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
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<FormValues>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const editing = customerId !== null;
  const customer = useCustomer(open && editing ? customerId : null, { fresh: true });
  const [tab, setTab] = useState("basic");
  const [conflict, setConflict] = useState<DuplicateConflict | null>(null);
  const [probe, setProbe] = useState<DuplicateProbe | null>(null);
  const lastValues = useRef<FormValues | null>(null);
  const loaded = !editing || customer.data !== undefined;
  const bankMasked = customer.data?.bankAccountMasked ?? false;
  const hasCustom = useHasCustomFields("customer");

  useEffect(() => {
    if (!open) return;
    setTab("basic");
    setConflict(null);
    setProbe(null);
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
  }, [open, editing, form, me.user.id]);

  useEffect(() => {
    if (open && customer.data) form.setFieldsValue(valuesOf(customer.data));
  }, [open, customer.data, form]);

  const duplicates = useDuplicateProbe(probe);

  const mutation = useMutation({
    mutationFn: ({ values, allowDuplicate }: { values: FormValues; allowDuplicate: boolean }) => {
      const input = inputOf(values, bankMasked);
      const extra = allowDuplicate ? { allowDuplicate: true } : {};
      if (!customer.data) return createCustomer({ ...withoutEmpty(input), custom: filledCustom(values.custom), ...extra });
      const changed = changedFields(inputOf(valuesOf(customer.data), bankMasked), input);
      // Masked pool details are placeholders, never values to save.
      if (customer.data.contactDetailsMasked) {
        delete changed.phones;
        delete changed.emails;
      }
      const custom = changedCustom(customer.data.custom, values.custom);
      return updateCustomer(customer.data.id, { ...changed, ...(custom ? { custom } : {}), version: customer.data.version, ...extra });
    },
    onSuccess: (saved) => {
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
    onError: (err) => {
      const dup = duplicateConflictOf(err);
      if (dup) {
        setConflict(dup);
        return;
      }
      handleSaveError(err, form, () => {
        void queryClient.invalidateQueries({ queryKey: customerKey(customerId ?? "") });
      });
      revealFirstError(form, showTabOf);
    },
  });

  const showTabOf = (field: string) => setTab(tabOf(field));

  const save = (values: FormValues, allowDuplicate = false) => {
    lastValues.current = values;
    setConflict(null);
    mutation.mutate({ values, allowDuplicate });
  };

  // 查重 as the user leaves the name, credit code or a phone field (debounced: tabbing through fields asks once).
  const probeTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(probeTimer.current), []);
  const checkDuplicates = () => {
    clearTimeout(probeTimer.current);
    probeTimer.current = setTimeout(() => {
      const v = form.getFieldsValue(["name", "creditCode", "phones", "emails", "kind"]) as Partial<FormValues>;
      setProbe({
        objectType: "customer",
        name: text(v.name) || undefined,
        creditCode: v.kind === "organization" ? text(v.creditCode) || undefined : undefined,
        phone: (v.phones ?? []).map((p) => text(p?.number)).filter(Boolean),
        email: (v.emails ?? []).map((e) => text(e?.address)).filter(Boolean),
        excludeId: customerId ?? undefined,
      });
    }, 400);
  };

  const title = editing ? (customer.data ? `${t("customers.editTitle")} · ${customer.data.name}` : t("customers.editTitle")) : t("customers.createTitle");

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={title}
      size={screens.md ? 760 : "100%"}
      destroyOnHidden
      forceRender
      styles={{ body: { paddingTop: 8 } }}
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="primary" onClick={() => form.submit()} loading={mutation.isPending} disabled={!loaded} data-testid="customer-submit">
            {editing ? t("common.save") : t("common.create")}
          </Button>
        </Flex>
      }
      data-testid="customer-drawer"
    >
      {customer.isError ? <QueryError error={customer.error} onRetry={() => void customer.refetch()} /> : null}
      {editing && customer.isPending ? <Skeleton active /> : null}
      {conflict ? (
        <DuplicateConflictAlert
          conflict={conflict}
          objectType="customer"
          saving={mutation.isPending}
          onSaveAnyway={() => lastValues.current && save(lastValues.current, true)}
        />
      ) : (
        <DuplicateHint items={duplicates.data} />
      )}
      <Form<FormValues>
        form={form}
        name="customer"
        layout="vertical"
        onFinish={(v) => save(v)}
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
    </Drawer>
  );
}
