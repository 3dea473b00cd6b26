import { ExportOutlined, ImportOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Form, Input, Modal, Select, type ButtonProps } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useShowError } from "../../app/errors.js";
import { useCan, useSession } from "../../app/session.js";
import { contactsKey } from "../contacts/api.js";
import { customersKey, type Customer } from "../customers/api.js";
import { searchKey } from "../search/api.js";
import { claimCustomer, releaseCustomer, usePools } from "./api.js";

/** Everything that shows an owner or masked contact details changes with a claim or a release. */
function useInvalidateOwnership() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: customersKey });
    void queryClient.invalidateQueries({ queryKey: contactsKey });
    void queryClient.invalidateQueries({ queryKey: searchKey });
  };
}

/** 领取: shown for pool customers to whoever may claim. The server explains a refusal (limits, cooldown, someone quicker). */
export function ClaimButton({ customer, size, type = "primary" }: { customer: Pick<Customer, "id" | "name" | "ownerId" | "code">; size?: ButtonProps["size"]; type?: ButtonProps["type"] }) {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const showError = useShowError();
  const invalidate = useInvalidateOwnership();
  const claim = useMutation({
    mutationFn: () => claimCustomer(customer.id),
    onSuccess: () => {
      invalidate();
      void message.success(t("pool.claimed", { name: customer.name }));
    },
    onError: (err) => {
      // Someone else was quicker: the list is stale.
      invalidate();
      showError(err);
    },
  });
  if (customer.ownerId !== null || !can("pool:claim")) return null;
  return (
    <Button type={type} size={size} icon={<ImportOutlined />} loading={claim.isPending} onClick={() => claim.mutate()} data-testid={`claim-${customer.code}`}>
      {t("pool.claim")}
    </Button>
  );
}

/** 释放到公海: for the owner, or a manager who may change the customer. */
export function ReleaseButton({ customer }: { customer: Pick<Customer, "id" | "name" | "ownerId" | "poolId"> }) {
  const { t } = useTranslation();
  const can = useCan();
  const me = useSession();
  const [open, setOpen] = useState(false);
  const allowed = customer.ownerId !== null && can("pool:claim") && (customer.ownerId === me.user.id || can("customer:update"));
  if (!allowed) return null;
  return (
    <>
      <Button icon={<ExportOutlined />} onClick={() => setOpen(true)} data-testid="customer-release">
        {t("pool.release")}
      </Button>
      <ReleaseModal open={open} onClose={() => setOpen(false)} customer={customer} />
    </>
  );
}

function ReleaseModal({ open, onClose, customer }: { open: boolean; onClose: () => void; customer: Pick<Customer, "id" | "name" | "poolId"> }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ poolId?: string; reason: string }>();
  const pools = usePools(open);
  const { message } = App.useApp();
  const showError = useShowError();
  const invalidate = useInvalidateOwnership();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    const fallback = pools.data?.find((p) => p.id === customer.poolId) ?? pools.data?.find((p) => p.isDefault);
    if (fallback) form.setFieldsValue({ poolId: fallback.id });
  }, [open, pools.data, customer.poolId, form]);

  const release = useMutation({
    mutationFn: (v: { poolId?: string; reason: string }) => releaseCustomer(customer.id, { poolId: v.poolId, reason: v.reason?.trim() || undefined }),
    onSuccess: () => {
      invalidate();
      void message.success(t("pool.released", { name: customer.name }));
      onClose();
    },
    onError: (err) => showError(err, form),
  });

  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t("pool.releaseTitle", { name: customer.name })}
      okText={t("pool.release")}
      onOk={() => form.submit()}
      confirmLoading={release.isPending}
      okButtonProps={{ "data-testid": "release-submit" } as ButtonProps}
      destroyOnHidden
      forceRender
    >
      <Form form={form} layout="vertical" name="release" onFinish={(v) => release.mutate(v)}>
        <Form.Item name="poolId" label={t("pool.pool")} extra={t("pool.releaseHelp")}>
          <Select loading={pools.isLoading} options={(pools.data ?? []).map((p) => ({ value: p.id, label: p.name }))} data-testid="release-pool" />
        </Form.Item>
        <Form.Item name="reason" label={t("pool.reason")}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} placeholder={t("pool.reasonPlaceholder")} data-testid="release-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
