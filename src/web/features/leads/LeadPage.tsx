import { CheckOutlined, CloseCircleOutlined, MessageOutlined, RedoOutlined, SwapOutlined, UserSwitchOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Descriptions, Flex, Form, Input, Modal, Skeleton, Steps, Tag, type ButtonProps } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { QueryError } from "../../app/components/QueryError.js";
import { DeleteButton, EditButton, RecordHeader, useDeleteRecord } from "../../app/components/record.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { RegionText } from "../customers/regions.js";
import { UserSelect } from "../users/pickers.js";
import { useUserNames } from "../users/names.js";
import { assignLead, deleteLead, followUpLead, leadKey, leadsKey, loseLead, OPEN_LEAD_STATUSES, qualifyLead, reopenLead, useLead, type Lead } from "./api.js";
import { ConvertModal } from "./ConvertModal.js";
import { ClaimLeadButton, ReleaseLeadButton } from "./LeadActions.js";
import { LeadFormDrawer } from "./LeadFormDrawer.js";
import { LeadStatusTag } from "./tags.js";
import { RecordTasksPanel } from "../tasks/RecordTasksPanel.js";

const dash = (v: string | null | undefined) => (v ? v : "—");
type Dialog = "lose" | "followUp" | "assign" | null;

function statusStep(l: Lead): { current: number; status: "process" | "error" | "finish" } {
  switch (l.status) {
    case "new":
      return { current: 0, status: "process" };
    case "contacted":
      return { current: 1, status: "process" };
    case "qualified":
      return { current: 2, status: "process" };
    case "converted":
      return { current: 3, status: "finish" };
    case "lost":
      return { current: l.lastFollowUpAt ? 1 : 0, status: "error" };
  }
}

/** One lead: its details, where it stands, and what may be done with it (qualify, lose, reopen, claim, release, convert). */
export function LeadPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const can = useCan();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const userName = useUserNames();
  const lead = useLead(id);
  const [editing, setEditing] = useState(false);
  const [converting, setConverting] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [form] = Form.useForm<{ text?: string; userId?: string }>();

  const reload = () => void lead.refetch();
  const done = (l: Lead, text: string) => {
    queryClient.setQueryData(leadKey(l.id), l);
    void queryClient.invalidateQueries({ queryKey: leadsKey });
    setDialog(null);
    void message.success(text);
  };

  const act = useMutation({
    mutationFn: ({ action, text, userId }: { action: "qualify" | "reopen" | "lose" | "followUp" | "assign"; text?: string; userId?: string }) => {
      const l = lead.data!;
      switch (action) {
        case "qualify":
          return qualifyLead(l.id, l.version);
        case "reopen":
          return reopenLead(l.id, l.version);
        case "lose":
          return loseLead(l.id, l.version, text ?? "");
        case "followUp":
          return followUpLead(l.id, l.version, text ?? "");
        case "assign":
          return assignLead(l.id, l.version, userId ?? "");
      }
    },
    onSuccess: (l, { action }) => done(l, t(`leads.actions.${action}Done`)),
    onError: (err) => handleSaveError(err, dialog ? form : undefined, reload),
  });
  const remove = useDeleteRecord({ remove: () => deleteLead(id), invalidate: [leadsKey], done: t("common.deleted"), to: "/leads" });

  if (lead.isError) return <QueryError error={lead.error} onRetry={reload} />;
  if (!lead.data) return <Skeleton active />;
  const l = lead.data;
  const open = OPEN_LEAD_STATUSES.includes(l.status);
  const update = can("lead:update");
  const owned = l.ownerId !== null;
  const step = statusStep(l);

  const openDialog = (d: Dialog) => {
    form.resetFields();
    setDialog(d);
  };

  const actions = (
    <Flex gap={8} wrap="wrap">
      <ClaimLeadButton lead={l} />
      {open && owned && update ? (
        <Button type="primary" icon={<SwapOutlined />} onClick={() => setConverting(true)} data-testid="lead-convert">
          {t("leads.actions.convert")}
        </Button>
      ) : null}
      {(l.status === "new" || l.status === "contacted") && owned && update ? (
        <Button icon={<CheckOutlined />} loading={act.isPending && act.variables?.action === "qualify"} onClick={() => act.mutate({ action: "qualify" })} data-testid="lead-qualify">
          {t("leads.actions.qualify")}
        </Button>
      ) : null}
      {open && owned && update ? (
        <Button icon={<MessageOutlined />} onClick={() => openDialog("followUp")} data-testid="lead-follow-up">
          {t("leads.actions.followUp")}
        </Button>
      ) : null}
      {l.status !== "converted" && update ? <EditButton onClick={() => setEditing(true)} testId="lead-edit" /> : null}
      {l.status !== "converted" && can("lead:manage") ? (
        <Button icon={<UserSwitchOutlined />} onClick={() => openDialog("assign")} data-testid="lead-assign">
          {t("leads.actions.assign")}
        </Button>
      ) : null}
      <ReleaseLeadButton lead={l} />
      {open && owned && update ? (
        <Button danger icon={<CloseCircleOutlined />} onClick={() => openDialog("lose")} data-testid="lead-lose">
          {t("leads.actions.lose")}
        </Button>
      ) : null}
      {l.status === "lost" && update ? (
        <Button icon={<RedoOutlined />} loading={act.isPending && act.variables?.action === "reopen"} onClick={() => act.mutate({ action: "reopen" })} data-testid="lead-reopen">
          {t("leads.actions.reopen")}
        </Button>
      ) : null}
      {can("lead:delete") ? <DeleteButton title={t("leads.deleteConfirm")} remove={remove} testId="lead-delete" /> : null}
    </Flex>
  );

  const dialogTitle = dialog === "lose" ? t("leads.actions.loseTitle", { name: l.name }) : dialog === "followUp" ? t("leads.actions.followUpTitle", { name: l.name }) : t("leads.actions.assignTitle", { name: l.name });

  return (
    <>
      <RecordHeader
        back="/leads"
        backLabel={t("leads.backToList")}
        title={l.name}
        titleTestId="lead-title"
        tags={
          <>
            <LeadStatusTag status={l.status} />
            {owned ? null : <Tag color="purple">{t("leads.pool")}</Tag>}
          </>
        }
        subtitle={[l.company, l.ownerId ? t("leads.ownedBy", { name: userName(l.ownerId) ?? "—" }) : null].filter(Boolean).join(" · ")}
        actions={actions}
        testId="lead"
      >
        <Steps
          style={{ marginTop: 20 }}
          size="small"
          current={step.current}
          status={step.status}
          items={(["new", "contacted", "qualified", "converted"] as const).map((s) => ({ title: t(`leads.statuses.${s}`) }))}
          data-testid="lead-steps"
        />
      </RecordHeader>
      {l.status === "lost" ? <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t("leads.lostBecause", { reason: l.lostReason })} data-testid="lead-lost-reason" /> : null}
      {l.status === "converted" ? (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          title={t("leads.convertedAt", { time: l.convertedAt ? dayjs(l.convertedAt).format("L LT") : "" })}
          description={
            <Flex gap={16} wrap="wrap">
              {l.customerId ? <Link to={`/customers/${l.customerId}`}>{t("leads.convert.customerLinkShort")}</Link> : null}
              {l.contactId ? <Link to={`/contacts/${l.contactId}`}>{t("leads.convert.contactLink")}</Link> : null}
              {l.opportunityId ? (
                <Link to={`/opportunities/${l.opportunityId}`} data-testid="lead-opportunity-link">
                  {t("leads.convert.opportunityLink")}
                </Link>
              ) : null}
            </Flex>
          }
          data-testid="lead-converted"
        />
      ) : null}
      {l.contactDetailsMasked ? <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t("leads.masked")} /> : null}
      <Card>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2 }}
          items={[
            { key: "company", label: t("leads.company"), children: dash(l.company) },
            { key: "title", label: t("leads.jobTitle"), children: dash(l.title) },
            { key: "phone", label: t("leads.phone"), children: <span data-testid="lead-phone-value">{dash(l.phone)}</span> },
            { key: "email", label: t("leads.email"), children: dash(l.email) },
            { key: "source", label: t("leads.source"), children: dash(l.source) },
            { key: "campaign", label: t("leads.campaign"), children: dash(l.campaign) },
            { key: "region", label: t("leads.province"), children: l.provinceCode ? <RegionText codes={[l.provinceCode, l.cityCode]} /> : "—" },
            { key: "productLine", label: t("leads.productLine"), children: dash(l.productLine) },
            { key: "owner", label: t("leads.owner"), children: l.ownerId ? (userName(l.ownerId) ?? "—") : t("leads.pool") },
            { key: "lastFollowUp", label: t("leads.lastFollowUp"), children: l.lastFollowUpAt ? dayjs(l.lastFollowUpAt).format("L LT") : "—" },
            { key: "notes", label: t("leads.notes"), span: "filled", children: l.notes ? <span style={{ whiteSpace: "pre-wrap" }}>{l.notes}</span> : "—" },
            { key: "createdAt", label: t("common.createdAt"), children: dayjs(l.createdAt).format("L LT") },
            { key: "updatedAt", label: t("common.updatedAt"), children: dayjs(l.updatedAt).format("L LT") },
          ]}
        />
      </Card>
      <div style={{ marginTop: 16 }}>
        <RecordTasksPanel objectType="lead" objectId={l.id} />
      </div>
      <LeadFormDrawer open={editing} leadId={l.id} onClose={() => setEditing(false)} />
      {converting ? <ConvertModal lead={l} open onClose={() => setConverting(false)} /> : null}
      <Modal
        open={dialog !== null}
        title={dialogTitle}
        onCancel={() => setDialog(null)}
        onOk={() => form.submit()}
        okButtonProps={{ danger: dialog === "lose", "data-testid": "lead-dialog-submit" } as ButtonProps}
        confirmLoading={act.isPending}
        destroyOnHidden
        forceRender
      >
        <Form
          form={form}
          name="lead-action"
          layout="vertical"
          onFinish={(v) => {
            if (dialog === "assign") act.mutate({ action: "assign", userId: v.userId });
            else if (dialog) act.mutate({ action: dialog, text: (v.text ?? "").trim() });
          }}
        >
          {dialog === "assign" ? (
            <Form.Item name="userId" label={t("leads.owner")} rules={[{ required: true, message: t("validation.select", { field: t("leads.owner") }) }]}>
              <UserSelect data-testid="lead-assign-user" />
            </Form.Item>
          ) : (
            <Form.Item
              name="text"
              label={dialog === "lose" ? t("leads.actions.lostReason") : t("leads.actions.followUpNote")}
              rules={[{ required: true, whitespace: true, message: t("validation.required", { field: dialog === "lose" ? t("leads.actions.lostReason") : t("leads.actions.followUpNote") }) }]}
            >
              <Input.TextArea rows={3} maxLength={dialog === "lose" ? 500 : 5000} data-testid="lead-dialog-text" />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </>
  );
}
