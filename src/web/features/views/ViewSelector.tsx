import { DeleteOutlined, DownOutlined, EditOutlined, SaveOutlined, ShareAltOutlined, SyncOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Checkbox, Dropdown, Flex, Form, Input, Modal, Select, Space, type MenuProps } from "antd";
import { useEffect, useState, type ComponentProps, type CSSProperties } from "react";
import { useTranslation } from "react-i18next";
import { useSaveErrorHandler, useShowError } from "../../app/errors.js";
import { useCan, useSession } from "../../app/session.js";
import { createView, deleteView, updateView, useViews, viewsKey, type SavedView, type ViewLayout, type ViewObjectType, type ViewQuery } from "./api.js";

export interface CurrentView {
  query: ViewQuery;
  layout: ViewLayout;
}

/**
 * Saved views over a list: pick one to apply its filters, sort, search,
 * columns and layout; save the current state as a new view (shared with the
 * workspace for those with view:share); rename, update or delete one's own.
 */
export function ViewSelector({
  objectType,
  current,
  activeId,
  onApply,
  onClear,
  style,
}: {
  objectType: ViewObjectType;
  current: CurrentView;
  activeId: string | undefined;
  onApply: (v: SavedView) => void;
  onClear: () => void;
  style?: CSSProperties;
}) {
  const { t } = useTranslation();
  const can = useCan();
  const me = useSession();
  const views = useViews(objectType, can("view:read"));
  const queryClient = useQueryClient();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const handleSaveError = useSaveErrorHandler();
  const [naming, setNaming] = useState<"create" | "rename" | null>(null);
  const active = views.data?.find((v) => v.id === activeId);
  const editable = active && (active.ownerId === me.user.id || (active.shared && can("view:share")));

  const refresh = () => void queryClient.invalidateQueries({ queryKey: viewsKey });

  const overwrite = useMutation({
    mutationFn: (v: SavedView) => updateView(v.id, { query: current.query, layout: current.layout, version: v.version }),
    onSuccess: (v) => {
      refresh();
      void message.success(t("views.updatedMsg", { name: v.name }));
    },
    onError: (err) => handleSaveError(err, undefined, refresh),
  });

  const remove = useMutation({
    mutationFn: (v: SavedView) => deleteView(v.id),
    onSuccess: () => {
      refresh();
      onClear();
      void message.success(t("views.deletedMsg"));
    },
    onError: (err) => showError(err),
  });

  if (!can("view:read")) return null;

  const items: MenuProps["items"] = [
    ...(can("view:create") ? [{ key: "create", icon: <SaveOutlined />, label: <span data-testid="view-save">{t("views.saveCurrent")}</span> }] : []),
    ...(editable
      ? [
          { key: "overwrite", icon: <SyncOutlined />, label: t("views.overwrite", { name: active.name }) },
          { key: "rename", icon: <EditOutlined />, label: t("views.rename") },
          { type: "divider" as const },
          { key: "delete", icon: <DeleteOutlined />, danger: true, label: t("views.delete") },
        ]
      : []),
  ];

  const onMenu: MenuProps["onClick"] = ({ key }) => {
    if (key === "create") setNaming("create");
    else if (key === "rename") setNaming("rename");
    else if (key === "overwrite" && active) overwrite.mutate(active);
    else if (key === "delete" && active)
      modal.confirm({
        title: t("views.deleteConfirm", { name: active.name }),
        okButtonProps: { danger: true },
        okText: t("common.delete"),
        onOk: () => remove.mutateAsync(active).catch(() => undefined),
      });
  };

  return (
    <>
      <Space.Compact style={style}>
        <Select
          allowClear
          value={activeId}
          placeholder={t("views.placeholder")}
          loading={views.isLoading}
          onChange={(id: string | undefined) => {
            const v = views.data?.find((x) => x.id === id);
            if (v) onApply(v);
            else onClear();
          }}
          options={(views.data ?? []).map((v) => ({
            value: v.id,
            label: (
              <span>
                {v.name}
                {v.shared ? <ShareAltOutlined style={{ marginInlineStart: 6, color: "#8c8c8c" }} aria-label={t("views.shared")} /> : null}
              </span>
            ),
          }))}
          style={{ minWidth: 150, flex: 1 }}
          data-testid="view-select"
        />
        {items.length ? (
          <Dropdown menu={{ items, onClick: onMenu }} trigger={["click"]}>
            <Button icon={<DownOutlined />} aria-label={t("views.manage")} loading={overwrite.isPending || remove.isPending} data-testid="view-menu" />
          </Dropdown>
        ) : null}
      </Space.Compact>
      <ViewNameModal
        mode={naming}
        view={naming === "rename" ? active : undefined}
        objectType={objectType}
        current={current}
        onClose={() => setNaming(null)}
        onSaved={(v) => {
          setNaming(null);
          onApply(v);
        }}
      />
    </>
  );
}

function ViewNameModal({
  mode,
  view,
  objectType,
  current,
  onClose,
  onSaved,
}: {
  mode: "create" | "rename" | null;
  view: SavedView | undefined;
  objectType: ViewObjectType;
  current: CurrentView;
  onClose: () => void;
  onSaved: (v: SavedView) => void;
}) {
  const { t } = useTranslation();
  const can = useCan();
  const [form] = Form.useForm<{ name: string; shared: boolean }>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();

  useEffect(() => {
    if (mode) form.setFieldsValue({ name: view?.name ?? "", shared: view?.shared ?? false });
  }, [mode, view, form]);

  const save = useMutation({
    mutationFn: (v: { name: string; shared: boolean }) =>
      mode === "rename" && view
        ? updateView(view.id, { name: v.name.trim(), ...(can("view:share") ? { shared: v.shared } : {}), version: view.version })
        : createView({ objectType, name: v.name.trim(), shared: can("view:share") ? v.shared : false, layout: current.layout, query: current.query }),
    onSuccess: (v) => {
      void queryClient.invalidateQueries({ queryKey: viewsKey });
      void message.success(t("views.savedMsg", { name: v.name }));
      onSaved(v);
    },
    onError: (err) => handleSaveError(err, form, () => void queryClient.invalidateQueries({ queryKey: viewsKey })),
  });

  return (
    <Modal
      open={mode !== null}
      onCancel={onClose}
      title={mode === "rename" ? t("views.rename") : t("views.saveCurrent")}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={{ "data-testid": "view-name-submit" } as ComponentProps<typeof Button>}
      destroyOnHidden
      forceRender
    >
      <Form form={form} layout="vertical" name="view-name" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="name" label={t("views.name")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("views.name") }) }]}>
          <Input maxLength={100} placeholder={t("views.namePlaceholder")} data-testid="view-name" />
        </Form.Item>
        {can("view:share") ? (
          <Form.Item name="shared" valuePropName="checked" extra={t("views.sharedHelp")}>
            <Checkbox>{t("views.shareWithWorkspace")}</Checkbox>
          </Form.Item>
        ) : null}
        {mode === "create" ? (
          <Flex vertical style={{ color: "#8c8c8c", fontSize: 12 }}>
            {t("views.whatIsSaved")}
          </Flex>
        ) : null}
      </Form>
    </Modal>
  );
}
