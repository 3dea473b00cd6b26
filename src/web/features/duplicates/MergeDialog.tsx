import { useMutation } from "@tanstack/react-query";
import { Alert, Flex, Modal, Radio, Skeleton, Switch, Table, Tag, Typography, type TableColumnsType } from "antd";
import dayjs from "dayjs";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { QueryError } from "../../app/components/QueryError.js";
import { useShowError } from "../../app/errors.js";
import { translateOr } from "../../i18n/index.js";
import { useUserNames } from "../customers/fields.js";
import { RegionText } from "../customers/regions.js";
import { createMerge, useMergePreview, type DedupObject, type Merge, type MergePreview, type MergePreviewField } from "./api.js";

/** Built-in fields whose values are option keys with their own labels in the customers catalog. */
const OPTION_LABELS: Record<string, string> = {
  kind: "customers.kinds",
  status: "customers.statuses",
  lifecycleStage: "customers.stages",
  grade: "customers.grades",
  companySize: "customers.companySizes",
  gender: "customers.genders",
};

const isBlank = (v: unknown) =>
  v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && !Array.isArray(v) && Object.values(v as object).every((x) => x === null || x === ""));

function Value({ field, value }: { field: string; value: unknown }) {
  const { t } = useTranslation();
  const userName = useUserNames();
  if (isBlank(value)) return <Typography.Text type="secondary">{t("duplicates.merge.empty")}</Typography.Text>;
  if (field === "ownerId") return <>{userName(value as string) ?? "—"}</>;
  if (field === "phones") return <>{(value as { number: string }[]).map((p) => p.number).join("、")}</>;
  if (field === "emails") return <>{(value as { address: string }[]).map((e) => e.address).join("、")}</>;
  if (field === "address") {
    const a = value as { provinceCode: string | null; cityCode: string | null; districtCode: string | null; address: string };
    return (
      <>
        <RegionText codes={[a.provinceCode, a.cityCode, a.districtCode]} /> {a.address}
      </>
    );
  }
  if (Array.isArray(value)) {
    return (
      <Flex gap={4} wrap="wrap">
        {value.map((v) => (
          <Tag key={String(v)}>{String(v)}</Tag>
        ))}
      </Flex>
    );
  }
  const options = OPTION_LABELS[field];
  if (options) return <>{translateOr(`${options}.${String(value)}`, String(value))}</>;
  if (typeof value === "boolean") return <>{value ? t("duplicates.merge.yes") : t("duplicates.merge.no")}</>;
  return <span style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>{String(value)}</span>;
}

function fieldLabel(f: MergePreviewField): string {
  if (f.label) return f.label;
  return translateOr(`duplicates.fields.${f.field}`, f.field);
}

/**
 * Merging 2+ records: which one to keep (top row), then per field which
 * record's value to keep (phones, e-mails and tags may keep all of them).
 */
export function MergeDialog({ objectType, ids, open, onClose, onMerged }: { objectType: DedupObject; ids: string[]; open: boolean; onClose: () => void; onMerged: (merge: Merge, survivorName: string) => void }) {
  const { t } = useTranslation();
  const showError = useShowError();
  const preview = useMergePreview(objectType, ids, open);
  const [survivorId, setSurvivorId] = useState<string>();
  const [choices, setChoices] = useState<Record<string, string>>({});
  const [differsOnly, setDiffersOnly] = useState(true);

  useEffect(() => {
    if (!preview.data) return;
    setSurvivorId(preview.data.survivorId);
    setChoices(Object.fromEntries(preview.data.fields.map((f) => [f.field, f.suggested])));
  }, [preview.data]);

  const merge = useMutation({
    mutationFn: (p: MergePreview) =>
      createMerge({
        objectType,
        survivorId: survivorId!,
        mergedIds: p.records.map((r) => r.id).filter((id) => id !== survivorId),
        choices,
        version: Object.fromEntries(p.records.map((r) => [r.id, r.version])),
      }),
    onSuccess: (m) => onMerged(m, m.names[m.survivorId] ?? ""),
    onError: (err) => {
      showError(err);
      void preview.refetch();
    },
  });

  const p = preview.data;
  const columns = useMemo<TableColumnsType<MergePreviewField>>(() => {
    if (!p) return [];
    return [
      {
        key: "field",
        title: t("duplicates.merge.field"),
        width: 160,
        fixed: "left",
        render: (_, f) => (
          <Flex vertical gap={4}>
            <Typography.Text strong>{fieldLabel(f)}</Typography.Text>
            {f.list ? (
              <Radio checked={choices[f.field] === "union"} onChange={() => setChoices((c) => ({ ...c, [f.field]: "union" }))} data-testid={`merge-union-${f.field}`}>
                {t("duplicates.merge.union")}
              </Radio>
            ) : null}
          </Flex>
        ),
      },
      ...p.records.map((r) => ({
        key: r.id,
        title: (
          <Flex vertical gap={4}>
            <Radio checked={survivorId === r.id} onChange={() => setSurvivorId(r.id)} data-testid={`merge-survivor-${r.id}`}>
              <Typography.Text strong>{t("duplicates.merge.survivor")}</Typography.Text>
            </Radio>
            <Link to={`/${objectType === "customer" ? "customers" : "contacts"}/${r.id}`} target="_blank">
              {r.name}
            </Link>
            <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: "normal" }}>
              {r.code ? `${r.code} · ` : ""}
              {t("duplicates.merge.updated", { time: dayjs(r.updatedAt).format("L LT") })}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: "normal" }}>
              {objectType === "customer" ? t("duplicates.merge.related", r.related) : t("duplicates.merge.relatedContact", r.related)}
            </Typography.Text>
          </Flex>
        ),
        render: (_: unknown, f: MergePreviewField): ReactNode => (
          <Radio checked={choices[f.field] === r.id} onChange={() => setChoices((c) => ({ ...c, [f.field]: r.id }))} style={{ alignItems: "flex-start" }}>
            <Value field={f.field} value={f.values[r.id]} />
          </Radio>
        ),
      })),
    ];
  }, [p, choices, survivorId, objectType, t]);

  const rows = p ? p.fields.filter((f) => !differsOnly || f.differs) : [];

  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t("duplicates.merge.title")}
      width={Math.min(1200, 320 + 300 * ids.length)}
      okText={t("duplicates.merge.submit")}
      okButtonProps={{ disabled: !p || !survivorId, loading: merge.isPending, danger: true, id: "merge-submit" }}
      onOk={() => p && merge.mutate(p)}
      destroyOnHidden
    >
      {preview.isError ? (
        <QueryError error={preview.error} onRetry={() => void preview.refetch()} />
      ) : !p ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={12}>
          <Alert type="info" showIcon title={t("duplicates.merge.hint")} />
          <Flex gap={8} align="center">
            <Switch size="small" checked={differsOnly} onChange={setDiffersOnly} />
            <Typography.Text>{t("duplicates.merge.differsOnly")}</Typography.Text>
          </Flex>
          <Table<MergePreviewField> rowKey="field" size="small" pagination={false} columns={columns} dataSource={rows} scroll={{ x: true, y: 480 }} data-testid="merge-table" />
        </Flex>
      )}
    </Modal>
  );
}
