import { ExportOutlined, ImportOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Form, Input, Modal, type ButtonProps } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useShowError } from "../../app/errors.js";
import { useCan, useSession } from "../../app/session.js";
import { claimLead, leadKey, leadsKey, releaseLead, type Lead } from "./api.js";

/** 领取: a pool lead, for whoever may claim. The server explains a refusal (limits, cooldown, someone quicker). */
export function ClaimLeadButton({ lead, size, type = "primary" }: { lead: Pick<Lead, "id" | "name" | "ownerId">; size?: ButtonProps["size"]; type?: ButtonProps["type"] }) {
  const { t } = useTranslation();
  const can = useCan();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const claim = useMutation({
    mutationFn: () => claimLead(lead.id),
    onSuccess: (l) => {
      queryClient.setQueryData(leadKey(l.id), l);
      void queryClient.invalidateQueries({ queryKey: leadsKey });
      void message.success(t("leads.claimed", { name: lead.name }));
    },
    onError: (err) => {
      // Someone else may have been quicker: the list is stale.
      void queryClient.invalidateQueries({ queryKey: leadsKey });
      showError(err);
    },
  });
  if (lead.ownerId !== null || !can("lead:claim")) return null;
  return (
    <Button type={type} size={size} icon={<ImportOutlined />} loading={claim.isPending} onClick={() => claim.mutate()} data-testid={`lead-claim-${lead.name}`}>
      {t("leads.claim")}
    </Button>
  );
}

/** 释放到线索池: for the owner, or a manager. */
export function ReleaseLeadButton({ lead }: { lead: Pick<Lead, "id" | "name" | "ownerId" | "status"> }) {
  const { t } = useTranslation();
  const can = useCan();
  const me = useSession();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const release = useMutation({
    mutationFn: (reason: string) => releaseLead(lead.id, reason),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: leadsKey });
      void message.success(t("leads.released", { name: lead.name }));
      setOpen(false);
    },
    onError: (err) => showError(err, form),
  });
  const allowed = lead.ownerId !== null && lead.status !== "converted" && (lead.ownerId === me.user.id || can("lead:manage"));
  if (!allowed) return null;
  return (
    <>
      <Button
        icon={<ExportOutlined />}
        onClick={() => {
          form.resetFields();
          setOpen(true);
        }}
        data-testid="lead-release"
      >
        {t("leads.release")}
      </Button>
      <Modal
        open={open}
        onCancel={() => setOpen(false)}
        title={t("leads.releaseTitle", { name: lead.name })}
        okText={t("leads.release")}
        onOk={() => form.submit()}
        confirmLoading={release.isPending}
        okButtonProps={{ "data-testid": "lead-release-submit" } as ButtonProps}
        destroyOnHidden
        forceRender
      >
        <Form form={form} layout="vertical" name="lead-release" onFinish={(v) => release.mutate((v.reason ?? "").trim())}>
          <Form.Item name="reason" label={t("leads.releaseReason")}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} data-testid="lead-release-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
