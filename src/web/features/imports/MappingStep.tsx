import { DeleteOutlined, SaveOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Checkbox, Flex, Form, Input, Modal, Popconfirm, Radio, Select, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSaveErrorHandler, useShowError } from "../../app/errors.js";
import { UserSelect } from "../users/pickers.js";
import {
  applyTemplate,
  deleteTemplate,
  DUPLICATE_POLICIES,
  importKey,
  saveTemplate,
  startCheck,
  templatesKey,
  updateImport,
  useTemplates,
  type Import,
  type ImportOptions,
} from "./api.js";
import { OBJECT_TRAITS, STANDARD_FIELDS } from "./fields.js";
import { MappingTable } from "./MappingTable.js";

interface Draft {
  mapping: (string | null)[];
  options: ImportOptions;
}

/** Objects with times of day in their fields: the file's times are read in the browser's time zone. */
const TIMED: Import["objectType"][] = ["activity"];
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * Step 3: the field of each column, templates (apply one, save the mapping
 * as one) and the options. Changes stay local until saved, which happens
 * before a dry run or a template is saved; the import's version guards them.
 */
export function MappingStep({ imp, onBack, onChecked }: { imp: Import; onBack: () => void; onChecked: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const showError = useShowError();
  const onSaveError = useSaveErrorHandler();
  const templates = useTemplates(imp.objectType);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState(false);
  const [naming, setNaming] = useState(false);
  const [templateName, setTemplateName] = useState("");
  const current: Draft = draft ?? { mapping: imp.mapping, options: imp.options };
  const traits = OBJECT_TRAITS[imp.objectType];
  // A timed import not yet told its zone gets the browser's with the next save.
  const zoneMissing = TIMED.includes(imp.objectType) && !imp.options.timeZone;

  // Another tab or a template changed the import: start from what the server has.
  useEffect(() => setDraft(null), [imp.id, imp.version]);

  const store = (next: Import) => queryClient.setQueryData<Import>(importKey(imp.id), (old) => ({ ...next, preview: next.preview ?? old?.preview }));
  const reload = () => void queryClient.invalidateQueries({ queryKey: importKey(imp.id) });

  /** Saves the draft (if any); the import as it then is. */
  const save = async (): Promise<Import> => {
    if (!draft && !zoneMissing) return imp;
    const options = zoneMissing ? { ...current.options, timeZone: browserZone() } : current.options;
    const saved = await updateImport(imp.id, imp.version, { mapping: current.mapping, options });
    store(saved);
    setDraft(null);
    return saved;
  };

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } catch (err) {
      onSaveError(err, undefined, reload);
    } finally {
      setBusy(false);
    }
  };

  const setTarget = (column: number, target: string | null) => setDraft({ ...current, mapping: current.mapping.map((m, i) => (i === column ? target : m)) });
  const setOption = <K extends keyof ImportOptions>(key: K, value: ImportOptions[K]) => setDraft({ ...current, options: { ...current.options, [key]: value } });
  const nothingMapped = !current.mapping.some(Boolean);

  const startDryRun = () =>
    run(async () => {
      const saved = await save();
      store(await startCheck(saved.id));
      onChecked();
    });

  const apply = (templateId: string) =>
    run(async () => {
      const saved = await save();
      const next = await applyTemplate(saved.id, saved.version, templateId);
      store(next);
      void message.success(t("imports.mapping.templateApplied", { name: templates.data?.find((x) => x.id === templateId)?.name ?? "" }));
    });

  const saveAsTemplate = () =>
    run(async () => {
      const saved = await save();
      await saveTemplate(saved.id, templateName.trim());
      await queryClient.invalidateQueries({ queryKey: templatesKey(imp.objectType) });
      setNaming(false);
      setTemplateName("");
      void message.success(t("imports.mapping.templateSaved"));
    });

  const remove = async (id: string) => {
    try {
      await deleteTemplate(id);
      await queryClient.invalidateQueries({ queryKey: templatesKey(imp.objectType) });
      void message.success(t("imports.mapping.templateDeleted"));
    } catch (err) {
      showError(err);
    }
  };

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap="wrap" align="center">
        <Typography.Text>{t("imports.mapping.template")}</Typography.Text>
        <Select
          data-testid="template-select"
          style={{ minWidth: 240 }}
          placeholder={t("imports.mapping.templatePlaceholder")}
          value={null}
          loading={templates.isPending}
          disabled={busy || !templates.data?.length}
          onChange={(id: string) => void apply(id)}
          options={(templates.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
          optionRender={(o) => (
            <Flex justify="space-between" align="center" gap={8}>
              <span>{o.label}</span>
              <Popconfirm
                title={t("imports.mapping.deleteTemplateConfirm", { name: String(o.label) })}
                onConfirm={(e) => {
                  e?.stopPropagation();
                  void remove(String(o.value));
                }}
                onCancel={(e) => e?.stopPropagation()}
              >
                <Button size="small" type="text" icon={<DeleteOutlined />} aria-label={t("imports.mapping.deleteTemplate")} onClick={(e) => e.stopPropagation()} />
              </Popconfirm>
            </Flex>
          )}
        />
        <Button data-testid="template-save" icon={<SaveOutlined />} disabled={busy || nothingMapped} onClick={() => setNaming(true)}>
          {t("imports.mapping.saveTemplate")}
        </Button>
      </Flex>

      {imp.objectType === "order" ? (
        <Typography.Paragraph type="secondary" data-testid="order-hint">
          {t("imports.mapping.orderHint")}
        </Typography.Paragraph>
      ) : null}
      <MappingTable imp={imp} mapping={current.mapping} onChange={setTarget} disabled={busy} />

      <Card size="small" title={t("imports.mapping.options")}>
        <Form layout="vertical" disabled={busy}>
          <Form.Item label={t("imports.mapping.duplicatePolicy")}>
            <Radio.Group
              data-testid="option-policy"
              value={current.options.duplicatePolicy}
              onChange={(e) => setOption("duplicatePolicy", e.target.value as ImportOptions["duplicatePolicy"])}
              options={(traits.policies ?? DUPLICATE_POLICIES).map((p) => ({ value: p, label: t(`imports.mapping.policies.${p}`) }))}
            />
          </Form.Item>
          {current.options.duplicatePolicy !== "create" ? (
            <Form.Item label={t("imports.mapping.keys")}>
              <Checkbox.Group
                data-testid="option-keys"
                value={current.options.keys}
                onChange={(v) => setOption("keys", v as ImportOptions["keys"])}
                options={traits.keys.map((k) => ({ value: k, label: t(`imports.mapping.keyNames.${k}`) }))}
              />
            </Form.Item>
          ) : null}
          <Form.Item label={t("imports.mapping.dateOrder")}>
            <Radio.Group
              value={current.options.dateOrder}
              onChange={(e) => setOption("dateOrder", e.target.value as ImportOptions["dateOrder"])}
              options={(["mdy", "dmy"] as const).map((d) => ({ value: d, label: t(`imports.mapping.dateOrders.${d}`) }))}
            />
          </Form.Item>
          {TIMED.includes(imp.objectType) ? (
            <Typography.Paragraph type="secondary" data-testid="option-time-zone">
              {t("imports.mapping.timeZone", { zone: current.options.timeZone ?? browserZone() })}
            </Typography.Paragraph>
          ) : null}
          {traits.owner ? (
            <Form.Item
              label={imp.objectType === "customer" ? t("imports.mapping.owner") : t(`imports.mapping.ownerLabels.${imp.objectType as "contact"}`)}
              extra={imp.objectType === "customer" ? t("imports.mapping.ownerHelp") : t(`imports.mapping.ownerHelps.${imp.objectType as "contact"}`)}
            >
              <UserSelect
                allowClear
                value={current.options.ownerId ?? undefined}
                onChange={(v) => setOption("ownerId", (v as string | undefined) ?? null)}
                placeholder={imp.objectType === "customer" ? t("imports.mapping.ownerNone") : t(`imports.mapping.ownerNones.${imp.objectType as "contact"}`)}
                style={{ maxWidth: 360 }}
              />
            </Form.Item>
          ) : null}
          {STANDARD_FIELDS[imp.objectType].includes("tags") ? (
          <Form.Item label={t("imports.mapping.tags")}>
            <Select
              mode="tags"
              data-testid="option-tags"
              value={current.options.tags}
              onChange={(v: string[]) => setOption("tags", v.map((x) => x.trim()).filter(Boolean))}
              placeholder={t("imports.mapping.tagsPlaceholder")}
              open={false}
              style={{ maxWidth: 360 }}
            />
          </Form.Item>
          ) : null}
        </Form>
      </Card>

      <Flex gap={8} justify="flex-end" align="center">
        {nothingMapped ? <Typography.Text type="warning">{t("imports.mapping.nothingMapped")}</Typography.Text> : null}
        <Button onClick={onBack} disabled={busy}>
          {t("imports.mapping.back")}
        </Button>
        <Button
          data-testid="mapping-save"
          disabled={busy || !draft}
          onClick={() =>
            void run(async () => {
              await save();
              void message.success(t("imports.mapping.saved"));
            })
          }
        >
          {t("imports.mapping.save")}
        </Button>
        <Button type="primary" data-testid="mapping-next" loading={busy} disabled={nothingMapped} onClick={() => void startDryRun()}>
          {t("imports.mapping.next")}
        </Button>
      </Flex>

      <Modal
        open={naming}
        title={t("imports.mapping.saveTemplate")}
        okButtonProps={{ disabled: !templateName.trim(), loading: busy, "data-testid": "template-name-ok" }}
        onOk={() => void saveAsTemplate()}
        onCancel={() => setNaming(false)}
        cancelText={t("imports.common.cancel")}
        destroyOnHidden
      >
        <Input data-testid="template-name" placeholder={t("imports.mapping.templateName")} value={templateName} maxLength={100} onChange={(e) => setTemplateName(e.target.value)} />
      </Modal>
    </Flex>
  );
}
