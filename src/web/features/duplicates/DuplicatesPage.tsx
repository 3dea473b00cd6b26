import { CloseOutlined, MergeCellsOutlined, ScanOutlined, UndoOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Checkbox, Col, Empty, Flex, List, Popconfirm, Progress, Row, Skeleton, Tabs, Tag, Tooltip, Typography } from "antd";
import dayjs from "dayjs";
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { PageHeader } from "../../app/components/PageHeader.js";
import { QueryError } from "../../app/components/QueryError.js";
import { useShowError } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { contactsKey } from "../contacts/api.js";
import { customersKey } from "../customers/api.js";
import { useUserNames } from "../customers/fields.js";
import { JobProgress } from "../jobs/JobProgress.js";
import { searchKey } from "../search/api.js";
import { dismissPair, duplicatesKey, startScan, undoMerge, useMerges, usePairs, useScans, type DedupObject, type Merge, type Pair, type PairRecord } from "./api.js";
import { MergeDialog } from "./MergeDialog.js";

/** The duplicate review queue: scan, review pairs with their reasons, merge or dismiss. */
export function DuplicatesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab: DedupObject = params.get("tab") === "contact" ? "contact" : "customer";
  return (
    <>
      <PageHeader title={t("duplicates.title")} subtitle={t("duplicates.subtitle")} />
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === "contact" ? { tab: k } : {}, { replace: true })}
        destroyOnHidden
        items={(["customer", "contact"] as const).map((o) => ({ key: o, label: t(`duplicates.tabs.${o}`), children: <Duplicates objectType={o} /> }))}
      />
    </>
  );
}

/** After a merge or undo: every list and record that may show the records changed. */
function useRefreshAll() {
  const queryClient = useQueryClient();
  return useCallback(() => {
    for (const queryKey of [duplicatesKey, customersKey, contactsKey, searchKey]) void queryClient.invalidateQueries({ queryKey });
  }, [queryClient]);
}

function Duplicates({ objectType }: { objectType: DedupObject }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const refresh = useRefreshAll();
  const [merging, setMerging] = useState<string[] | null>(null);

  const undo = useMutation({
    mutationFn: undoMerge,
    onSuccess: () => {
      refresh();
      void message.success(t("duplicates.merge.undone"));
    },
    onError: (err) => showError(err),
  });

  const onMerged = (m: Merge, name: string) => {
    setMerging(null);
    refresh();
    const key = `merge-${m.id}`;
    void message.success({
      key,
      duration: 10,
      content: (
        <Flex gap={12} align="center" data-testid="merge-done">
          <span>{t("duplicates.merge.success", { count: m.mergedIds.length + 1, name })}</span>
          <Button
            size="small"
            icon={<UndoOutlined />}
            data-testid="merge-undo"
            onClick={() => {
              message.destroy(key);
              undo.mutate(m.id);
            }}
          >
            {t("duplicates.merge.undo")}
          </Button>
        </Flex>
      ),
    });
  };

  return (
    <Flex vertical gap={16}>
      <ScanCard objectType={objectType} />
      <PairQueue objectType={objectType} onMerge={setMerging} />
      <MergeHistory objectType={objectType} onUndo={(id) => undo.mutate(id)} undoing={undo.isPending} />
      {merging ? <MergeDialog objectType={objectType} ids={merging} open onClose={() => setMerging(null)} onMerged={onMerged} /> : null}
    </Flex>
  );
}

function ScanCard({ objectType }: { objectType: DedupObject }) {
  const { t } = useTranslation();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const scans = useScans(objectType);
  const last = scans.data?.items[0];
  const running = last && (last.status === "queued" || last.status === "running");
  const start = useMutation({
    mutationFn: () => startScan(objectType),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: [...duplicatesKey, "scans", objectType] }),
    onError: (err) => showError(err),
  });
  const onFinished = useCallback(() => void queryClient.invalidateQueries({ queryKey: duplicatesKey }), [queryClient]);

  return (
    <Card size="small">
      <Flex justify="space-between" align="center" gap={16} wrap="wrap">
        <Flex vertical gap={4} style={{ minWidth: 0, flex: 1 }}>
          {scans.isLoading ? (
            <Skeleton.Input active size="small" />
          ) : last ? (
            <>
              <Typography.Text type="secondary">{t("duplicates.scan.last", { time: dayjs(last.createdAt).format("L LT") })}</Typography.Text>
              {last.counts ? <Typography.Text data-testid="scan-counts">{t("duplicates.scan.counts", last.counts)}</Typography.Text> : null}
              {last.status === "failed" ? <Typography.Text type="danger">{t("duplicates.scan.failed")}</Typography.Text> : null}
            </>
          ) : (
            <Typography.Text type="secondary">{t("duplicates.scan.never")}</Typography.Text>
          )}
          {running && last.jobId ? <JobProgress key={last.jobId} jobId={last.jobId} onFinished={onFinished} /> : null}
        </Flex>
        <Button type="primary" icon={<ScanOutlined />} loading={start.isPending} disabled={Boolean(running)} onClick={() => start.mutate()} data-testid="scan-now">
          {t("duplicates.scan.button")}
        </Button>
      </Flex>
    </Card>
  );
}

function RecordSummary({ objectType, record }: { objectType: DedupObject; record: PairRecord }) {
  const { t } = useTranslation();
  const userName = useUserNames();
  return (
    <Flex vertical gap={2} style={{ minWidth: 0 }}>
      <Flex gap={6} align="baseline" wrap="wrap">
        <Link to={`/${objectType === "customer" ? "customers" : "contacts"}/${record.id}`}>
          <Typography.Text strong>{record.name}</Typography.Text>
        </Link>
        {record.code ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {record.code}
          </Typography.Text>
        ) : null}
      </Flex>
      {record.phones.length ? <Typography.Text type="secondary">{record.phones.join("、")}</Typography.Text> : null}
      {record.emails.length ? <Typography.Text type="secondary">{record.emails.join("、")}</Typography.Text> : null}
      {record.companies?.length ? <Typography.Text type="secondary">{t("duplicates.queue.companies", { names: record.companies.join("、") })}</Typography.Text> : null}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {record.ownerId ? t("duplicates.queue.owner", { name: userName(record.ownerId) ?? "—" }) : t("duplicates.queue.pool")}
      </Typography.Text>
    </Flex>
  );
}

function PairQueue({ objectType, onMerge }: { objectType: DedupObject; onMerge: (ids: string[]) => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const pairs = usePairs(objectType);
  const items = pairs.data?.pages.flatMap((p) => p.items) ?? [];
  const mayMerge = can(`${objectType}:update`) && can(`${objectType}:delete`);
  // Pairs ticked to merge together: a record found in several pairs makes a group of 3 or more.
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const keyOf = (p: Pair) => `${p.leftId}|${p.rightId}`;
  const pickedIds = [...new Set(items.filter((p) => picked.has(keyOf(p))).flatMap((p) => [p.leftId, p.rightId]))];

  const dismiss = useMutation({
    mutationFn: dismissPair,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: [...duplicatesKey, "pairs", objectType] });
      void message.success(t("duplicates.queue.dismissed"));
    },
    onError: (err) => showError(err),
  });

  if (pairs.isError) return <QueryError error={pairs.error} onRetry={() => void pairs.refetch()} />;
  return (
    <Card
      size="small"
      title={t(pairs.hasNextPage ? "duplicates.queue.titleMore" : "duplicates.queue.title", { count: items.length })}
      extra={
        mayMerge && picked.size ? (
          <Flex gap={8}>
            <Button size="small" onClick={() => setPicked(new Set())}>
              {t("duplicates.queue.clear")}
            </Button>
            <Button
              size="small"
              type="primary"
              icon={<MergeCellsOutlined />}
              disabled={pickedIds.length < 2 || pickedIds.length > 10}
              onClick={() => {
                onMerge(pickedIds);
                setPicked(new Set());
              }}
              data-testid="merge-picked"
            >
              {t("duplicates.queue.mergePicked", { count: pickedIds.length })}
            </Button>
          </Flex>
        ) : null
      }
    >
      <List<Pair>
        loading={pairs.isLoading}
        dataSource={items}
        locale={{ emptyText: <Empty description={t("duplicates.queue.empty")} /> }}
        rowKey={keyOf}
        renderItem={(p) => (
          <List.Item data-testid="duplicate-pair">
            <Flex gap={12} align="flex-start" style={{ width: "100%" }}>
              {mayMerge ? (
                <Checkbox
                  checked={picked.has(keyOf(p))}
                  onChange={(e) =>
                    setPicked((prev) => {
                      const next = new Set(prev);
                      if (e.target.checked) next.add(keyOf(p));
                      else next.delete(keyOf(p));
                      return next;
                    })
                  }
                  aria-label={t("duplicates.queue.pick")}
                />
              ) : null}
              <Flex vertical gap={8} style={{ width: "100%" }}>
                <Row gutter={16} align="top">
                  <Col xs={24} md={9}>
                    <RecordSummary objectType={objectType} record={p.left} />
                  </Col>
                  <Col xs={24} md={9}>
                    <RecordSummary objectType={objectType} record={p.right} />
                  </Col>
                  <Col xs={24} md={6}>
                    <Flex vertical gap={8} align="flex-end">
                      <Tooltip title={t("duplicates.queue.score", { score: Math.round(p.score * 100) })}>
                        <Progress type="circle" size={44} percent={Math.round(p.score * 100)} />
                      </Tooltip>
                      <Flex gap={8} wrap="wrap" justify="flex-end">
                        <Button size="small" icon={<CloseOutlined />} loading={dismiss.isPending && dismiss.variables?.leftId === p.leftId} onClick={() => dismiss.mutate(p)} disabled={!can(`${objectType}:update`)}>
                          {t("duplicates.queue.dismiss")}
                        </Button>
                        <Button size="small" type="primary" icon={<MergeCellsOutlined />} disabled={!mayMerge} onClick={() => onMerge([p.leftId, p.rightId])} data-testid="pair-merge">
                          {t("duplicates.queue.merge")}
                        </Button>
                      </Flex>
                    </Flex>
                  </Col>
                </Row>
                <Flex gap={4} wrap="wrap">
                  {p.reasons.map((r) => (
                    <Tag key={`${r.kind}|${r.detail}`} color={r.score < 0 ? "default" : "blue"}>
                      {r.message}
                    </Tag>
                  ))}
                </Flex>
              </Flex>
            </Flex>
          </List.Item>
        )}
      />
      {pairs.hasNextPage ? (
        <Flex justify="center" style={{ marginTop: 8 }}>
          <Button onClick={() => void pairs.fetchNextPage()} loading={pairs.isFetchingNextPage}>
            {t("duplicates.queue.loadMore")}
          </Button>
        </Flex>
      ) : null}
    </Card>
  );
}

function MergeHistory({ objectType, onUndo, undoing }: { objectType: DedupObject; onUndo: (id: string) => void; undoing: boolean }) {
  const { t } = useTranslation();
  const can = useCan();
  const userName = useUserNames();
  const merges = useMerges(objectType);
  const path = objectType === "customer" ? "customers" : "contacts";
  if (merges.isError) return <QueryError error={merges.error} onRetry={() => void merges.refetch()} />;
  return (
    <Card size="small" title={t("duplicates.history.title")}>
      <List<Merge>
        loading={merges.isLoading}
        dataSource={merges.data?.items ?? []}
        locale={{ emptyText: <Empty description={t("duplicates.history.empty")} /> }}
        rowKey="id"
        renderItem={(m) => (
          <List.Item
            data-testid="merge-history-item"
            actions={[
              m.undoneAt ? (
                <Tag key="undone">{t("duplicates.history.undone")}</Tag>
              ) : can(`${objectType}:delete`) ? (
                <Popconfirm key="undo" title={t("duplicates.history.undoConfirm")} onConfirm={() => onUndo(m.id)}>
                  <Button size="small" icon={<UndoOutlined />} loading={undoing}>
                    {t("duplicates.history.undo")}
                  </Button>
                </Popconfirm>
              ) : null,
            ]}
          >
            <Flex vertical gap={2}>
              <span>
                {t("duplicates.history.summary", { count: m.mergedIds.length + 1 })} <Link to={`/${path}/${m.survivorId}`}>{m.names[m.survivorId] ?? m.survivorId}</Link>
                <Typography.Text type="secondary">
                  {" "}
                  ({m.mergedIds.map((id) => m.names[id] ?? id).join("、")})
                </Typography.Text>
              </span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {dayjs(m.createdAt).format("L LT")} · {userName(m.createdBy) ?? "—"}
              </Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
    </Card>
  );
}
