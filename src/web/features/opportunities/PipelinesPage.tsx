import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined, MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Empty, Flex, Form, Input, InputNumber, Popconfirm, Select, Skeleton, Switch, Table, Tag, Typography, type TableColumnsType } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { FormDrawer } from "../../app/components/FormDrawer.js";
import { PageHeader } from "../../app/components/PageHeader.js";
import { QueryError } from "../../app/components/QueryError.js";
import { BackLink } from "../../app/components/record.js";
import { useSaveErrorHandler, useShowError } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { createPipeline, deletePipeline, pipelinesKey, REQUIRABLE_FIELDS, STAGE_KINDS, updatePipeline, usePipelines, type Pipeline, type RequirableField, type Stage, type StageInput, type StageKind } from "./api.js";
import { StageKindTag } from "./tags.js";

/** Pipelines (销售流程) and their stages: order, probability, kind (open/won/lost) and the fields a stage requires. */
export function PipelinesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const pipelines = usePipelines();
  const queryClient = useQueryClient();
  const showError = useShowError();
  const [editing, setEditing] = useState<Pipeline | null | undefined>(undefined);
  const manage = can("pipeline:manage");
  const remove = useMutation({
    mutationFn: (id: string) => deletePipeline(id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: pipelinesKey }),
    onError: (err) => showError(err),
  });

  const columns: TableColumnsType<Stage> = [
    { key: "position", title: "#", width: 50, render: (_, _s, i) => i + 1 },
    { key: "name", title: t("opportunities.pipelines.stageName"), dataIndex: "name" },
    { key: "probability", title: t("opportunities.probability"), width: 90, align: "right", render: (_, s) => `${s.probability}%` },
    { key: "kind", title: t("opportunities.pipelines.kind"), width: 100, render: (_, s) => <StageKindTag kind={s.kind} /> },
    {
      key: "required",
      title: t("opportunities.pipelines.requiredFields"),
      render: (_, s) => (s.requiredFields.length ? s.requiredFields.map((f) => <Tag key={f}>{t(`opportunities.fields.${f as RequirableField}`)}</Tag>) : "—"),
    },
  ];

  return (
    <>
      <BackLink to="/opportunities">{t("opportunities.backToBoard")}</BackLink>
      <PageHeader
        title={t("opportunities.pipelines.title")}
        subtitle={t("opportunities.pipelines.subtitle")}
        extra={
          manage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="pipeline-create">
              {t("opportunities.pipelines.create")}
            </Button>
          ) : null
        }
      />
      {pipelines.isError ? (
        <QueryError error={pipelines.error} onRetry={() => void pipelines.refetch()} />
      ) : !pipelines.data ? (
        <Skeleton active />
      ) : pipelines.data.length === 0 ? (
        <Empty />
      ) : (
        <Flex vertical gap={16}>
          {pipelines.data.map((p) => (
            <Card
              key={p.id}
              title={
                <Flex gap={8} align="center">
                  <span>{p.name}</span>
                  {p.isDefault ? <Tag color="blue">{t("opportunities.pipelines.default")}</Tag> : null}
                </Flex>
              }
              extra={
                manage ? (
                  <Flex gap={8}>
                    <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(p)} data-testid={`pipeline-edit-${p.name}`}>
                      {t("common.edit")}
                    </Button>
                    {p.isDefault ? null : (
                      <Popconfirm title={t("opportunities.pipelines.deleteConfirm")} onConfirm={() => remove.mutateAsync(p.id).catch(() => undefined)}>
                        <Button size="small" danger type="text" icon={<DeleteOutlined />} aria-label={t("common.delete")} />
                      </Popconfirm>
                    )}
                  </Flex>
                ) : null
              }
              styles={{ body: { padding: 0 } }}
              data-testid={`pipeline-${p.name}`}
            >
              <Table<Stage> size="small" rowKey="id" columns={columns} dataSource={p.stages} pagination={false} />
            </Card>
          ))}
        </Flex>
      )}
      <PipelineDrawer pipeline={editing} onClose={() => setEditing(undefined)} />
    </>
  );
}

interface StageValues {
  id?: string;
  name: string;
  probability: number;
  kind: StageKind;
  requiredFields: RequirableField[];
}
interface Values {
  name: string;
  isDefault: boolean;
  stages: StageValues[];
}

function PipelineDrawer({ pipeline, onClose }: { pipeline: Pipeline | null | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const [form] = Form.useForm<Values>();
  const open = pipeline !== undefined;

  useEffect(() => {
    if (pipeline === undefined) return;
    form.resetFields();
    form.setFieldsValue(
      pipeline
        ? {
            name: pipeline.name,
            isDefault: pipeline.isDefault,
            stages: pipeline.stages.map((s) => ({ id: s.id, name: s.name, probability: s.probability, kind: s.kind, requiredFields: s.requiredFields.filter((f): f is RequirableField => (REQUIRABLE_FIELDS as readonly string[]).includes(f)) })),
          }
        : {
            name: "",
            isDefault: false,
            stages: [
              { name: t("opportunities.pipelines.sampleOpen"), probability: 20, kind: "open", requiredFields: [] },
              { name: t("opportunities.pipelines.sampleWon"), probability: 100, kind: "won", requiredFields: [] },
              { name: t("opportunities.pipelines.sampleLost"), probability: 0, kind: "lost", requiredFields: [] },
            ],
          },
    );
  }, [pipeline, form, t]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const stages: StageInput[] = v.stages.map((s) => ({ ...(s.id ? { id: s.id } : {}), name: s.name.trim(), probability: s.probability, kind: s.kind, requiredFields: s.requiredFields ?? [] }));
      if (!pipeline) return createPipeline({ name: v.name.trim(), isDefault: v.isDefault || undefined, stages });
      return updatePipeline(pipeline.id, { version: pipeline.version, name: v.name.trim(), stages, ...(v.isDefault && !pipeline.isDefault ? { isDefault: true } : {}) });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: pipelinesKey });
      void queryClient.invalidateQueries({ queryKey: ["opportunities", "board"] });
      void message.success(t("common.saved"));
      onClose();
    },
    onError: (err) => handleSaveError(err, form, () => void queryClient.invalidateQueries({ queryKey: pipelinesKey })),
  });

  return (
    <FormDrawer
      open={open}
      onClose={onClose}
      title={pipeline ? t("opportunities.pipelines.editTitle") : t("opportunities.pipelines.createTitle")}
      width={860}
      wide="lg"
      destroyOnHidden={false}
      form={form}
      saving={save.isPending}
      submitLabel={t("common.save")}
      testId="pipeline"
    >
      <Form<Values> form={form} name="pipeline" layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Flex gap={16} wrap="wrap" align="flex-end">
          <Form.Item name="name" label={t("opportunities.pipelines.name")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("opportunities.pipelines.name") }) }]} style={{ flex: "1 1 260px" }}>
            <Input maxLength={100} data-testid="pipeline-name" />
          </Form.Item>
          <Form.Item name="isDefault" label={t("opportunities.pipelines.default")} valuePropName="checked" extra={pipeline?.isDefault ? t("opportunities.pipelines.defaultHelp") : undefined}>
            <Switch disabled={pipeline?.isDefault} />
          </Form.Item>
        </Flex>
        <Typography.Title level={5}>{t("opportunities.pipelines.stages")}</Typography.Title>
        <Typography.Paragraph type="secondary">{t("opportunities.pipelines.stagesHelp")}</Typography.Paragraph>
        <Form.List name="stages">
          {(fields, { add, remove, move }) => (
            <Flex vertical gap={8}>
              {fields.map((f, i) => (
                <Card key={f.key} size="small" styles={{ body: { paddingBlock: 8 } }} data-testid={`stage-row-${i}`}>
                  <Flex gap={8} align="flex-start" wrap="wrap">
                    <Flex vertical gap={0}>
                      <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, i - 1)} aria-label={t("opportunities.pipelines.moveUp")} />
                      <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={i === fields.length - 1} onClick={() => move(i, i + 1)} aria-label={t("opportunities.pipelines.moveDown")} />
                    </Flex>
                    <Form.Item name={[f.name, "name"]} label={t("opportunities.pipelines.stageName")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("opportunities.pipelines.stageName") }) }]} style={{ flex: "2 1 160px", margin: 0 }}>
                      <Input maxLength={60} data-testid={`stage-name-${i}`} />
                    </Form.Item>
                    <Form.Item name={[f.name, "probability"]} label={t("opportunities.probability")} rules={[{ required: true, message: t("validation.required", { field: t("opportunities.probability") }) }]} style={{ flex: "0 1 100px", margin: 0 }}>
                      <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: "100%" }} data-testid={`stage-probability-${i}`} />
                    </Form.Item>
                    <Form.Item name={[f.name, "kind"]} label={t("opportunities.pipelines.kind")} style={{ flex: "0 1 120px", margin: 0 }}>
                      <Select options={STAGE_KINDS.map((k) => ({ value: k, label: t(`opportunities.kinds.${k}`) }))} data-testid={`stage-kind-${i}`} />
                    </Form.Item>
                    <Form.Item name={[f.name, "requiredFields"]} label={t("opportunities.pipelines.requiredFields")} style={{ flex: "2 1 200px", margin: 0 }}>
                      <Select mode="multiple" allowClear options={REQUIRABLE_FIELDS.map((k) => ({ value: k, label: t(`opportunities.fields.${k}`) }))} data-testid={`stage-required-${i}`} />
                    </Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} disabled={fields.length <= 3} aria-label={t("common.remove")} style={{ marginTop: 30 }} />
                  </Flex>
                </Card>
              ))}
              {fields.length < 30 ? (
                <Button icon={<PlusOutlined />} onClick={() => {
                    // A new stage goes before the first won or lost stage: closing stages stay at the end.
                    const firstClosed = fields.findIndex((x) => form.getFieldValue(["stages", x.name, "kind"]) !== "open");
                    add({ name: "", probability: 50, kind: "open", requiredFields: [] }, firstClosed === -1 ? undefined : firstClosed);
                  }} style={{ alignSelf: "flex-start" }} data-testid="stage-add">
                  {t("opportunities.pipelines.addStage")}
                </Button>
              ) : null}
            </Flex>
          )}
        </Form.List>
      </Form>
    </FormDrawer>
  );
}
