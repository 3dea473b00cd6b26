import { PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Checkbox, Col, Flex, Form, Input, InputNumber, Modal, Row, Select, Skeleton } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler, useShowError } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { createPool, poolsKey, updatePool, usePools, type Pool, type PoolInput } from "./api.js";

type Values = Omit<PoolInput, "isDefault"> & { isDefault: boolean };

const valuesOf = (p: Pool): Values => ({
  name: p.name,
  isDefault: p.isDefault,
  dailyClaimLimit: p.dailyClaimLimit,
  maxHeld: p.maxHeld,
  reclaimNoFollowUpDays: p.reclaimNoFollowUpDays,
  reclaimNoDealDays: p.reclaimNoDealDays,
  warnDays: p.warnDays,
  cooldownDays: p.cooldownDays,
});

/** The pools' rules (公海规则): claim limits, automatic reclaim, warnings and cooldown. In the workspace settings for pool:update. */
export function PoolRulesCard() {
  const { t } = useTranslation();
  const can = useCan();
  const pools = usePools();
  const [selected, setSelected] = useState<string | undefined>();
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const pool = pools.data?.find((p) => p.id === selected) ?? pools.data?.[0];

  useEffect(() => {
    if (pool) form.setFieldsValue(valuesOf(pool));
  }, [pool, form]);

  const save = useMutation({
    mutationFn: (v: Values) =>
      updatePool(pool!.id, {
        ...v,
        name: v.name.trim(),
        // Only ever switched on here: the default cannot be removed, only moved to another pool.
        isDefault: v.isDefault || undefined,
        reclaimNoFollowUpDays: v.reclaimNoFollowUpDays ?? null,
        reclaimNoDealDays: v.reclaimNoDealDays ?? null,
        version: pool!.version,
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: poolsKey });
      void message.success(t("pool.rulesSaved"));
    },
    onError: (err) => handleSaveError(err, form, () => void pools.refetch()),
  });

  const days = (
    <InputNumber min={1} max={3650} precision={0} style={{ width: "100%" }} suffix={t("pool.daysUnit")} placeholder={t("pool.noReclaim")} />
  );
  const half = { xs: 24, sm: 12 } as const;

  return (
    <Card
      title={t("pool.rulesTitle")}
      extra={
        can("pool:create") ? (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="pool-create">
            {t("pool.create")}
          </Button>
        ) : null
      }
      data-testid="pool-rules"
    >
      {pools.isError ? (
        <QueryError error={pools.error} onRetry={() => void pools.refetch()} />
      ) : pools.isPending || !pool ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={16}>
          {pools.data.length > 1 ? (
            <Select
              value={pool.id}
              onChange={setSelected}
              options={pools.data.map((p) => ({ value: p.id, label: p.isDefault ? `${p.name}（${t("pool.default")}）` : p.name }))}
              style={{ maxWidth: 320 }}
              aria-label={t("pool.pool")}
            />
          ) : null}
          <Form form={form} layout="vertical" name="pool-rules" onFinish={(v) => save.mutate(v)}>
            <Row gutter={16}>
              <Col {...half}>
                <Form.Item name="name" label={t("pool.name")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("pool.name") }) }]}>
                  <Input maxLength={100} />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item name="isDefault" valuePropName="checked" label=" " extra={t("pool.defaultHelp")}>
                  <Checkbox disabled={pool.isDefault}>{t("pool.default")}</Checkbox>
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item name="dailyClaimLimit" label={t("pool.dailyClaimLimit")} extra={t("pool.dailyClaimLimitHelp")}>
                  <InputNumber min={0} max={10000} precision={0} style={{ width: "100%" }} />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item name="maxHeld" label={t("pool.maxHeld")} extra={t("pool.maxHeldHelp")}>
                  <InputNumber min={0} max={1_000_000} precision={0} style={{ width: "100%" }} />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item name="reclaimNoFollowUpDays" label={t("pool.reclaimNoFollowUpDays")} extra={t("pool.reclaimHelp")}>
                  {days}
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item name="reclaimNoDealDays" label={t("pool.reclaimNoDealDays")}>
                  {days}
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item name="warnDays" label={t("pool.warnDays")} extra={t("pool.warnDaysHelp")}>
                  <InputNumber min={0} max={365} precision={0} style={{ width: "100%" }} suffix={t("pool.daysUnit")} />
                </Form.Item>
              </Col>
              <Col {...half}>
                <Form.Item name="cooldownDays" label={t("pool.cooldownDays")} extra={t("pool.cooldownDaysHelp")}>
                  <InputNumber min={0} max={365} precision={0} style={{ width: "100%" }} suffix={t("pool.daysUnit")} />
                </Form.Item>
              </Col>
            </Row>
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="pool-rules-save">
              {t("common.save")}
            </Button>
          </Form>
        </Flex>
      )}
      <CreatePoolModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(p) => {
          setSelected(p.id);
          setCreating(false);
        }}
      />
    </Card>
  );
}

function CreatePoolModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (p: Pool) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string }>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const create = useMutation({
    mutationFn: (name: string) => createPool({ name }),
    onSuccess: (p) => {
      void queryClient.invalidateQueries({ queryKey: poolsKey });
      void message.success(t("pool.createdMsg", { name: p.name }));
      form.resetFields();
      onCreated(p);
    },
    onError: (err) => showError(err, form),
  });
  return (
    <Modal open={open} onCancel={onClose} title={t("pool.create")} onOk={() => form.submit()} confirmLoading={create.isPending} destroyOnHidden forceRender>
      <Form form={form} layout="vertical" name="pool-create" onFinish={(v) => create.mutate(v.name.trim())}>
        <Form.Item name="name" label={t("pool.name")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("pool.name") }) }]}>
          <Input maxLength={100} placeholder={t("pool.namePlaceholder")} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
