import { EditOutlined, InboxOutlined, MinusCircleOutlined, PlusOutlined, UndoOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Checkbox, Col, Flex, Form, Input, InputNumber, Modal, Row, Segmented, Select, Table, Tag, Tooltip, Typography, type TableColumnsType } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { changedFields } from "../customers/form-utils.js";
import {
  createCustomField,
  CUSTOM_FIELD_TYPES,
  customFieldsKey,
  updateCustomField,
  useCustomFields,
  type CustomField,
  type CustomFieldObject,
  type CustomFieldOption,
  type CustomFieldType,
} from "./api.js";

interface Values {
  key: string;
  label: string;
  type: CustomFieldType;
  options: CustomFieldOption[];
  required: boolean;
  position: number;
}

const WITH_OPTIONS = new Set<CustomFieldType>(["select", "multiselect"]);

/** The workspace's custom fields of customers and contacts: add, relabel, reorder, require, archive. */
export function CustomFieldsCard() {
  const { t } = useTranslation();
  const [objectType, setObjectType] = useState<CustomFieldObject>("customer");
  const fields = useCustomFields(objectType);
  const [editing, setEditing] = useState<CustomField | "new" | null>(null);
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();

  const archive = useMutation({
    mutationFn: (f: CustomField) => updateCustomField(f.id, { archived: !f.archived, version: f.version }),
    onSuccess: (f) => {
      void queryClient.invalidateQueries({ queryKey: customFieldsKey });
      void message.success(f.archived ? t("customFields.archivedMsg", { label: f.label }) : t("customFields.restoredMsg", { label: f.label }));
    },
    onError: (err) => handleSaveError(err, undefined, () => void queryClient.invalidateQueries({ queryKey: customFieldsKey })),
  });

  const columns: TableColumnsType<CustomField> = [
    {
      key: "label",
      title: t("customFields.label"),
      render: (_, f) => (
        <Flex vertical>
          <Flex gap={6} align="center" wrap="wrap">
            <Typography.Text strong={!f.archived} type={f.archived ? "secondary" : undefined}>
              {f.label}
            </Typography.Text>
            {f.required ? <Tag color="red">{t("customFields.required")}</Tag> : null}
            {f.archived ? <Tag>{t("customFields.archived")}</Tag> : null}
          </Flex>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: "monospace" }}>
            {f.key}
          </Typography.Text>
        </Flex>
      ),
    },
    { key: "type", title: t("customFields.type"), render: (_, f) => t(`customFields.types.${f.type}`) },
    { key: "position", title: t("customFields.position"), dataIndex: "position", width: 70, responsive: ["sm"] },
    {
      key: "actions",
      width: 88,
      render: (_, f) => (
        <Flex gap={0}>
          <Button type="text" size="small" icon={<EditOutlined />} onClick={() => setEditing(f)} aria-label={t("common.edit")} data-testid={`custom-field-edit-${f.key}`} />
          <Tooltip title={f.archived ? t("customFields.restore") : t("customFields.archive")}>
            <Button
              type="text"
              size="small"
              icon={f.archived ? <UndoOutlined /> : <InboxOutlined />}
              loading={archive.isPending && archive.variables?.id === f.id}
              onClick={() => archive.mutate(f)}
              aria-label={f.archived ? t("customFields.restore") : t("customFields.archive")}
            />
          </Tooltip>
        </Flex>
      ),
    },
  ];

  return (
    <Card
      title={t("customFields.title")}
      extra={
        <Button size="small" icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="custom-field-create">
          {t("customFields.create")}
        </Button>
      }
      data-testid="custom-fields-card"
    >
      <Flex vertical gap={12}>
        <Segmented<CustomFieldObject>
          value={objectType}
          onChange={setObjectType}
          options={[
            { value: "customer", label: t("nav.customers") },
            { value: "contact", label: t("nav.contacts") },
          ]}
          style={{ alignSelf: "flex-start" }}
        />
        {fields.isError ? (
          <QueryError error={fields.error} onRetry={() => void fields.refetch()} />
        ) : (
          <Table<CustomField>
            rowKey="id"
            size="small"
            pagination={false}
            loading={fields.isPending}
            columns={columns}
            dataSource={fields.data ?? []}
            locale={{ emptyText: t("customFields.empty") }}
          />
        )}
      </Flex>
      <CustomFieldModal
        field={editing === "new" ? null : editing}
        open={editing !== null}
        objectType={objectType}
        nextPosition={Math.max(0, ...(fields.data ?? []).map((f) => f.position)) + 10}
        onClose={() => setEditing(null)}
      />
    </Card>
  );
}

function CustomFieldModal({
  open,
  field,
  objectType,
  nextPosition,
  onClose,
}: {
  open: boolean;
  field: CustomField | null;
  objectType: CustomFieldObject;
  nextPosition: number;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const type = Form.useWatch("type", form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      field
        ? { key: field.key, label: field.label, type: field.type, options: field.options, required: field.required, position: field.position }
        : { type: "text", options: [], required: false, position: nextPosition },
    );
  }, [open, field, form, nextPosition]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const options = WITH_OPTIONS.has(v.type) ? (v.options ?? []).map((o) => ({ value: o.value.trim(), label: o.label.trim() })) : undefined;
      if (!field) return createCustomField({ objectType, key: v.key.trim(), label: v.label.trim(), type: v.type, options, required: v.required, position: v.position });
      const before = { label: field.label, options: WITH_OPTIONS.has(field.type) ? field.options : undefined, required: field.required, position: field.position };
      return updateCustomField(field.id, { ...changedFields(before, { label: v.label.trim(), options, required: v.required, position: v.position }), version: field.version });
    },
    onSuccess: (f) => {
      void queryClient.invalidateQueries({ queryKey: customFieldsKey });
      void message.success(t("customFields.savedMsg", { label: f.label }));
      onClose();
    },
    onError: (err) => handleSaveError(err, form, () => void queryClient.invalidateQueries({ queryKey: customFieldsKey })),
  });

  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={field ? t("customFields.editTitle") : t("customFields.createTitle")}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
      forceRender
      width={560}
    >
      <Form form={form} layout="vertical" name="custom-field" onFinish={(v) => save.mutate(v)}>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="label" label={t("customFields.label")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("customFields.label") }) }]}>
              <Input maxLength={100} data-testid="custom-field-label" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="key"
              label={t("customFields.key")}
              extra={field ? t("customFields.keyFixed") : t("customFields.keyHelp")}
              rules={[
                { required: true, message: t("validation.required", { field: t("customFields.key") }) },
                { pattern: /^[a-z][a-z0-9_]{1,39}$/, message: t("customFields.keyPattern") },
              ]}
            >
              <Input maxLength={40} disabled={Boolean(field)} style={{ fontFamily: "monospace" }} data-testid="custom-field-key" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="type" label={t("customFields.type")} extra={field ? t("customFields.typeFixed") : undefined}>
              <Select disabled={Boolean(field)} options={CUSTOM_FIELD_TYPES.map((ty) => ({ value: ty, label: t(`customFields.types.${ty}`) }))} data-testid="custom-field-type" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="position" label={t("customFields.position")}>
              <InputNumber min={0} max={10000} precision={0} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="required" valuePropName="checked" label=" ">
              <Checkbox>{t("customFields.required")}</Checkbox>
            </Form.Item>
          </Col>
        </Row>
        {type && WITH_OPTIONS.has(type) ? <OptionsFields /> : null}
      </Form>
    </Modal>
  );
}

function OptionsFields() {
  const { t } = useTranslation();
  return (
    <Form.List
      name="options"
      rules={[
        {
          validator: async (_, value: CustomFieldOption[] | undefined) => {
            if (!value?.length) throw new Error(t("customFields.optionsRequired"));
          },
        },
      ]}
    >
      {(items, { add, remove }, { errors }) => (
        <Flex vertical gap={8}>
          <Typography.Text>{t("customFields.options")}</Typography.Text>
          {items.map((item) => (
            <Flex key={item.key} gap={8} align="flex-start">
              <Form.Item name={[item.name, "label"]} style={{ flex: 1, marginBottom: 0 }} rules={[{ required: true, whitespace: true, message: t("customFields.optionLabel") }]}>
                <Input maxLength={100} placeholder={t("customFields.optionLabel")} />
              </Form.Item>
              <Form.Item name={[item.name, "value"]} style={{ flex: 1, marginBottom: 0 }} rules={[{ required: true, whitespace: true, message: t("customFields.optionValue") }]}>
                <Input maxLength={100} placeholder={t("customFields.optionValue")} style={{ fontFamily: "monospace" }} />
              </Form.Item>
              <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(item.name)} aria-label={t("common.remove")} />
            </Flex>
          ))}
          <Form.ErrorList errors={errors} />
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ label: "", value: "" })} style={{ alignSelf: "flex-start" }}>
            {t("customFields.addOption")}
          </Button>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t("customFields.optionsHelp")}
          </Typography.Text>
        </Flex>
      )}
    </Form.List>
  );
}
