import { DeleteOutlined, DownloadOutlined, DownOutlined, ExportOutlined, TagsOutlined, UserSwitchOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Dropdown, Flex, Form, Modal, Select, Typography, type ButtonProps } from "antd";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useShowError } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { contactsKey } from "../contacts/api.js";
import { usePools } from "../pool/api.js";
import { searchKey } from "../search/api.js";
import { UserSelect } from "../users/pickers.js";
import { bulkCustomers, customersKey, exportCustomers, GRADES, LIFECYCLE_STAGES, type BulkOperation, type BulkResult, type Customer } from "./api.js";
import { TagsSelect } from "./fields.js";

type Dialog = "assign" | "addTags" | "removeTags" | "release" | null;
/** The export API takes at most this many ids; larger selections export by filter instead. */
const EXPORT_IDS_MAX = 200;

/**
 * What can be done to the selected customers at once: assign, tag, grade,
 * stage, move to the pool, export, delete. The server does each customer on
 * its own and reports the ones it refused, which are listed.
 */
export function BulkActionsBar({
  selected,
  rows,
  knownTags,
  onDone,
  onClear,
}: {
  selected: string[];
  /** The loaded rows, to name the customers the server refused. */
  rows: Pick<Customer, "id" | "name" | "code">[];
  knownTags: string[];
  onDone: () => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const can = useCan();
  const queryClient = useQueryClient();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [exporting, setExporting] = useState(false);

  const report = (r: BulkResult) => {
    const failed = r.failed.length;
    if (!failed) {
      void message.success(t("bulk.done", { count: r.done }));
      return;
    }
    modal.warning({
      title: t("bulk.partly", { done: r.done, failed }),
      width: 520,
      content: (
        <ul style={{ paddingInlineStart: 18, marginTop: 8, maxHeight: 300, overflowY: "auto" }} data-testid="bulk-failures">
          {r.failed.map((f) => {
            const c = rows.find((x) => x.id === f.id);
            return (
              <li key={f.id}>
                <Typography.Text strong>{c ? `${c.name}（${c.code}）` : f.id}</Typography.Text>：{f.message}
              </li>
            );
          })}
        </ul>
      ),
    });
  };

  const run = useMutation({
    mutationFn: (op: BulkOperation) => bulkCustomers(selected, op),
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: customersKey });
      void queryClient.invalidateQueries({ queryKey: contactsKey });
      void queryClient.invalidateQueries({ queryKey: searchKey });
      setDialog(null);
      report(r);
      onDone();
    },
    onError: (err) => showError(err),
  });

  const exportSelected = async () => {
    setExporting(true);
    try {
      // Selections beyond the export's id limit are exported in slices.
      for (let i = 0; i < selected.length; i += EXPORT_IDS_MAX) await exportCustomers({ ids: selected.slice(i, i + EXPORT_IDS_MAX) });
    } catch (err) {
      showError(err);
    } finally {
      setExporting(false);
    }
  };

  const confirmDelete = () =>
    modal.confirm({
      title: t("customers.bulkDeleteConfirm", { count: selected.length }),
      content: t("customers.deleteHint"),
      okText: t("customers.moveToTrash"),
      okButtonProps: { danger: true },
      onOk: () => run.mutateAsync({ action: "delete" }).catch(() => undefined),
    });

  const canUpdate = can("customer:update");
  const busy = run.isPending;

  return (
    <Flex align="center" gap={8} wrap="wrap" style={{ padding: "8px 16px", background: "#f0f5ff", borderBlock: "1px solid #d6e4ff" }} data-testid="bulk-bar">
      <Typography.Text>{t("customers.selectedCount", { count: selected.length })}</Typography.Text>
      {canUpdate ? (
        <Button size="small" icon={<UserSwitchOutlined />} onClick={() => setDialog("assign")} disabled={busy} data-testid="bulk-assign">
          {t("bulk.assign")}
        </Button>
      ) : null}
      {canUpdate ? (
        <Dropdown
          trigger={["click"]}
          menu={{
            items: [
              { key: "addTags", label: t("bulk.addTags") },
              { key: "removeTags", label: t("bulk.removeTags") },
            ],
            onClick: ({ key }) => setDialog(key as Dialog),
          }}
        >
          <Button size="small" icon={<TagsOutlined />} disabled={busy} data-testid="bulk-tags">
            {t("customers.tags")} <DownOutlined />
          </Button>
        </Dropdown>
      ) : null}
      {canUpdate ? (
        <Dropdown
          trigger={["click"]}
          menu={{
            items: [...GRADES.map((g) => ({ key: g, label: t(`customers.grades.${g}`) })), { type: "divider" as const }, { key: "auto", label: t("customers.gradeAuto") }],
            onClick: ({ key }) => run.mutate({ action: "grade", grade: key === "auto" ? null : (key as (typeof GRADES)[number]) }),
          }}
        >
          <Button size="small" disabled={busy} data-testid="bulk-grade">
            {t("bulk.setGrade")} <DownOutlined />
          </Button>
        </Dropdown>
      ) : null}
      {canUpdate ? (
        <Dropdown
          trigger={["click"]}
          menu={{
            items: LIFECYCLE_STAGES.map((s) => ({ key: s, label: t(`customers.stages.${s}`) })),
            onClick: ({ key }) => run.mutate({ action: "stage", lifecycleStage: key as (typeof LIFECYCLE_STAGES)[number] }),
          }}
        >
          <Button size="small" disabled={busy} data-testid="bulk-stage">
            {t("bulk.setStage")} <DownOutlined />
          </Button>
        </Dropdown>
      ) : null}
      {can("pool:claim") ? (
        <Button size="small" icon={<ExportOutlined />} onClick={() => setDialog("release")} disabled={busy} data-testid="bulk-release">
          {t("pool.release")}
        </Button>
      ) : null}
      {can("customer:export") ? (
        <Button size="small" icon={<DownloadOutlined />} onClick={() => void exportSelected()} loading={exporting} data-testid="bulk-export">
          {t("bulk.export")}
        </Button>
      ) : null}
      {can("customer:delete") ? (
        <Button size="small" danger icon={<DeleteOutlined />} onClick={confirmDelete} loading={busy && run.variables?.action === "delete"} data-testid="bulk-delete">
          {t("customers.moveToTrash")}
        </Button>
      ) : null}
      <Button size="small" type="link" onClick={onClear}>
        {t("customers.clearSelection")}
      </Button>
      <BulkDialog dialog={dialog} count={selected.length} knownTags={knownTags} saving={busy} onCancel={() => setDialog(null)} onSubmit={(op) => run.mutate(op)} />
    </Flex>
  );
}

function BulkDialog({
  dialog,
  count,
  knownTags,
  saving,
  onCancel,
  onSubmit,
}: {
  dialog: Dialog;
  count: number;
  knownTags: string[];
  saving: boolean;
  onCancel: () => void;
  onSubmit: (op: BulkOperation) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ ownerId?: string; tags?: string[]; poolId?: string }>();
  const pools = usePools(dialog === "release");
  const titles: Record<Exclude<Dialog, null>, string> = {
    assign: t("bulk.assignTitle", { count }),
    addTags: t("bulk.addTagsTitle", { count }),
    removeTags: t("bulk.removeTagsTitle", { count }),
    release: t("bulk.releaseTitle", { count }),
  };
  const submit = (v: { ownerId?: string; tags?: string[]; poolId?: string }) => {
    if (dialog === "assign" && v.ownerId) onSubmit({ action: "assign", ownerId: v.ownerId });
    else if ((dialog === "addTags" || dialog === "removeTags") && v.tags?.length) onSubmit({ action: dialog, tags: v.tags });
    else if (dialog === "release") onSubmit({ action: "release", poolId: v.poolId });
  };
  let body: ReactNode = null;
  if (dialog === "assign")
    body = (
      <Form.Item name="ownerId" label={t("customers.owner")} rules={[{ required: true, message: t("validation.select", { field: t("customers.owner") }) }]}>
        <UserSelect data-testid="bulk-owner" />
      </Form.Item>
    );
  else if (dialog === "addTags" || dialog === "removeTags")
    body = (
      <Form.Item name="tags" label={t("customers.tags")} rules={[{ required: true, message: t("validation.select", { field: t("customers.tags") }) }]}>
        <TagsSelect options={knownTags} />
      </Form.Item>
    );
  else if (dialog === "release")
    body = (
      <Form.Item name="poolId" label={t("pool.pool")} extra={t("bulk.releaseHelp")}>
        <Select allowClear loading={pools.isLoading} options={(pools.data ?? []).map((p) => ({ value: p.id, label: p.name }))} />
      </Form.Item>
    );
  return (
    <Modal
      open={dialog !== null}
      onCancel={onCancel}
      title={dialog ? titles[dialog] : null}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okButtonProps={{ "data-testid": "bulk-submit" } as ButtonProps}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" name="bulk" onFinish={submit} preserve={false}>
        {body}
      </Form>
    </Modal>
  );
}
