import { DownloadOutlined, UndoOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Col, Descriptions, Flex, Progress, Result, Row, Select, Skeleton, Statistic, Steps, Table, Typography } from "antd";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";
import { QueryError } from "../../app/components/QueryError.js";
import { useSaveErrorHandler, useShowError } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { contactsKey } from "../contacts/api.js";
import { customersKey } from "../customers/api.js";
import { useJob } from "../jobs/api.js";
import { leadsKey } from "../leads/api.js";
import { productsKey } from "../products/api.js";
import { timelineKey } from "../timeline/api.js";
import { downloadReport, importKey, importsKey, startCheck, startRun, undoImport, updateImport, useImport, useIssues, type Import, type ImportCounts, type ImportStatus, type PreviewCell } from "./api.js";
import { OBJECT_TRAITS } from "./fields.js";
import { MappingStep } from "./MappingStep.js";
import { UploadStep } from "./UploadStep.js";

const STEP = { upload: 0, preview: 1, mapping: 2, check: 3, run: 4, result: 5 } as const;
type Step = (typeof STEP)[keyof typeof STEP];

/** Where a job's work puts the wizard whatever the user clicked. */
const FORCED: Partial<Record<ImportStatus, Step>> = { checking: STEP.check, running: STEP.run, completed: STEP.result, undoing: STEP.result, undone: STEP.result };

function StepBar({ current }: { current: Step }) {
  const { t } = useTranslation();
  return (
    <Steps
      data-testid="import-steps"
      data-current={current}
      current={current}
      size="small"
      style={{ marginBottom: 24 }}
      items={(["upload", "preview", "mapping", "check", "run", "result"] as const).map((k) => ({ title: t(`imports.steps.${k}`) }))}
    />
  );
}

/** The wizard before a file exists: step 1. */
export function NewImportWizard() {
  return (
    <Card>
      <StepBar current={STEP.upload} />
      <UploadStep />
    </Card>
  );
}

/** The wizard of an uploaded import, at the step its status says (opening an import from the history resumes it). */
export function ImportWizard({ id }: { id: string }) {
  const query = useImport(id);
  const location = useLocation();
  const fresh = (location.state as { fresh?: boolean } | null)?.fresh === true;
  const [chosen, setChosen] = useState<Step | null>(null);
  const queryClient = useQueryClient();
  const status = query.data?.status;
  const lastStatus = useRef(status);

  // A job moved the import on: its problem rows and the history are stale.
  useEffect(() => {
    if (status && lastStatus.current && status !== lastStatus.current) {
      void queryClient.invalidateQueries({ queryKey: [...importKey(id), "issues"] });
      void queryClient.invalidateQueries({ queryKey: [...importsKey, "list"] });
      // A run or an undo changed records: lists and counts must not show the cached ones.
      if (status === "completed" || status === "undone" || status === "failed") {
        for (const key of [customersKey, contactsKey, productsKey, leadsKey, timelineKey]) void queryClient.invalidateQueries({ queryKey: key });
      }
    }
    lastStatus.current = status;
  }, [status, id, queryClient]);

  if (query.isError) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <Skeleton active />;
  const imp = query.data;
  const byDefault: Step = imp.status === "uploaded" ? (fresh ? STEP.preview : STEP.mapping) : imp.status === "checked" ? STEP.check : STEP.run;
  const step = FORCED[imp.status] ?? chosen ?? byDefault;

  return (
    <Card data-testid="import-wizard" data-status={imp.status}>
      <StepBar current={step} />
      {step === STEP.preview ? <PreviewStep imp={imp} onNext={() => setChosen(STEP.mapping)} /> : null}
      {step === STEP.mapping ? <MappingStep imp={imp} onBack={() => setChosen(STEP.preview)} onChecked={() => setChosen(STEP.check)} /> : null}
      {step === STEP.check ? <CheckStep imp={imp} onMapping={() => setChosen(STEP.mapping)} onRun={() => setChosen(STEP.run)} /> : null}
      {step === STEP.run ? <RunStep imp={imp} onMapping={() => setChosen(STEP.mapping)} /> : null}
      {step === STEP.result ? <ResultStep imp={imp} /> : null}
    </Card>
  );
}

const cellText = (c: PreviewCell | undefined): string => (c === null || c === undefined ? "" : Array.isArray(c) ? c.join("; ") : String(c));

/** Step 2: the file as read (format, encoding, sheet) and its first rows. */
function PreviewStep({ imp, onNext }: { imp: Import; onNext: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const onSaveError = useSaveErrorHandler();
  const [busy, setBusy] = useState(false);
  const rows = imp.preview ?? [];

  const chooseSheet = async (sheet: string) => {
    setBusy(true);
    try {
      await updateImport(imp.id, imp.version, { sheet });
    } catch (err) {
      onSaveError(err, undefined, () => undefined);
    } finally {
      // Another sheet has other columns and rows: read the preview again.
      await queryClient.invalidateQueries({ queryKey: importKey(imp.id) });
      setBusy(false);
    }
  };

  return (
    <Flex vertical gap={16}>
      <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }}>
        <Descriptions.Item label={t("imports.preview.file")}>{imp.fileName}</Descriptions.Item>
        <Descriptions.Item label={t("imports.preview.format")}>{imp.format.toUpperCase()}</Descriptions.Item>
        {imp.encoding ? (
          <Descriptions.Item label={t("imports.preview.encoding")}>
            <span data-testid="preview-encoding">{imp.encoding}</span>
          </Descriptions.Item>
        ) : null}
        {imp.format === "xlsx" ? (
          <Descriptions.Item label={t("imports.preview.sheet")}>
            <Select
              data-testid="preview-sheet"
              size="small"
              style={{ minWidth: 160 }}
              value={imp.sheet ?? undefined}
              disabled={busy || imp.sheets.length < 2}
              onChange={(s: string) => void chooseSheet(s)}
              options={imp.sheets.map((s) => ({ value: s, label: s }))}
            />
          </Descriptions.Item>
        ) : null}
      </Descriptions>
      <Typography.Text type="secondary">{t("imports.preview.rows", { count: rows.length })}</Typography.Text>
      <Table
        data-testid="preview-table"
        size="small"
        loading={busy}
        rowKey="source"
        pagination={false}
        scroll={{ x: "max-content", y: 420 }}
        locale={{ emptyText: t("imports.preview.noRows") }}
        dataSource={rows}
        columns={[
          { title: t("imports.preview.row"), dataIndex: "source", width: 64, fixed: "left" },
          ...imp.headers.map((h, i) => ({
            key: String(i),
            title: h || `#${i + 1}`,
            render: (_: unknown, r: (typeof rows)[number]) => cellText(r.cells[i]),
            ellipsis: true,
            width: 160,
          })),
        ]}
      />
      <Flex justify="flex-end">
        <Button type="primary" data-testid="preview-next" onClick={onNext}>
          {t("imports.steps.mapping")}
        </Button>
      </Flex>
    </Flex>
  );
}

/** A job's progress as a bar with rows done, polled every second. */
function JobBar({ jobId }: { jobId: string | null }) {
  return jobId ? <JobBarOf jobId={jobId} /> : <Progress percent={0} status="active" />;
}

function JobBarOf({ jobId }: { jobId: string }) {
  const { t } = useTranslation();
  const job = useJob(jobId).data;
  if (!job) return <Progress percent={0} status="active" />;
  const total = job.progressTotal ?? 0;
  const percent = job.state === "completed" ? 100 : total > 0 ? Math.min(99, Math.floor((job.progressDone / total) * 100)) : 0;
  return (
    <Flex vertical gap={4} data-testid="import-progress" data-state={job.state}>
      <Progress percent={percent} status={job.state === "failed" || job.state === "cancelled" ? "exception" : job.state === "completed" ? "success" : "active"} />
      <Typography.Text type="secondary">{total > 0 ? t("imports.run.progress", { done: job.progressDone, total }) : t("imports.run.queued")}</Typography.Text>
    </Flex>
  );
}

function JobError({ jobId }: { jobId: string }) {
  const { t } = useTranslation();
  const job = useJob(jobId).data;
  return <Alert type="error" showIcon title={t("imports.run.failed", { error: job?.error ?? "" })} data-testid="import-failed" />;
}

function Counts({ counts, dry }: { counts: ImportCounts; dry: boolean }) {
  const { t } = useTranslation();
  const items = dry
    ? ([
        ["total", "imports.check.total"],
        ["created", "imports.check.wouldCreate"],
        ["updated", "imports.check.wouldUpdate"],
        ["skipped", "imports.check.wouldSkip"],
        ["failed", "imports.check.wouldFail"],
      ] as const)
    : ([
        ["total", "imports.result.total"],
        ["created", "imports.result.created"],
        ["updated", "imports.result.updated"],
        ["skipped", "imports.result.skipped"],
        ["failed", "imports.result.failed"],
      ] as const);
  return (
    <Row gutter={16} data-testid={dry ? "check-counts" : "run-counts"}>
      {items.map(([key, label]) => (
        <Col key={key} xs={12} sm={8} md={4}>
          <Statistic title={t(label)} value={counts[key]} styles={key === "failed" && counts.failed > 0 ? { content: { color: "#cf1322" } } : undefined} data-testid={`count-${key}`} />
        </Col>
      ))}
    </Row>
  );
}

/** The problem rows of the last run or dry run, a row per message, with the .xlsx report. */
function Issues({ imp, dryRun }: { imp: Import; dryRun: boolean }) {
  const { t } = useTranslation();
  const showError = useShowError();
  const issues = useIssues(imp.id, dryRun, true);
  const rows = useMemo(
    () => (issues.data?.pages ?? []).flatMap((p) => p.items.flatMap((r) => r.issues.map((i, n) => ({ key: `${r.source}-${n}`, source: r.source, column: i.column, message: i.message })))),
    [issues.data],
  );
  const [downloading, setDownloading] = useState(false);
  const download = async () => {
    setDownloading(true);
    try {
      await downloadReport(imp, dryRun);
    } catch (err) {
      showError(err);
    } finally {
      setDownloading(false);
    }
  };
  return (
    <Flex vertical gap={8}>
      <Flex justify="space-between" align="center">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t("imports.issues.title")}
        </Typography.Title>
        <Button icon={<DownloadOutlined />} data-testid="report-download" loading={downloading} onClick={() => void download()}>
          {t("imports.issues.report")}
        </Button>
      </Flex>
      {issues.isError ? (
        <QueryError error={issues.error} onRetry={() => void issues.refetch()} />
      ) : (
        <Table
          data-testid="issues-table"
          size="small"
          loading={issues.isPending}
          pagination={false}
          scroll={{ y: 360 }}
          dataSource={rows}
          locale={{ emptyText: t("imports.issues.none") }}
          columns={[
            { title: t("imports.issues.row"), dataIndex: "source", width: 80 },
            { title: t("imports.issues.column"), dataIndex: "column", width: 160, render: (c: string | null) => c ?? "—" },
            { title: t("imports.issues.message"), dataIndex: "message" },
          ]}
        />
      )}
      {issues.hasNextPage ? (
        <Button onClick={() => void issues.fetchNextPage()} loading={issues.isFetchingNextPage}>
          {t("imports.issues.more")}
        </Button>
      ) : null}
    </Flex>
  );
}

function useStart(imp: Import) {
  const queryClient = useQueryClient();
  const onSaveError = useSaveErrorHandler();
  const [busy, setBusy] = useState(false);
  const start = async (fn: (id: string) => Promise<Import>, then?: () => void) => {
    setBusy(true);
    try {
      const next = await fn(imp.id);
      queryClient.setQueryData<Import>(importKey(imp.id), (old) => ({ ...next, preview: old?.preview }));
      void queryClient.invalidateQueries({ queryKey: [...importsKey, "list"] });
      then?.();
    } catch (err) {
      onSaveError(err, undefined, () => void queryClient.invalidateQueries({ queryKey: importKey(imp.id) }));
    } finally {
      setBusy(false);
    }
  };
  return { busy, start };
}

/** Step 4: the dry run's progress, then what the import would do and the problem rows. */
function CheckStep({ imp, onMapping, onRun }: { imp: Import; onMapping: () => void; onRun: () => void }) {
  const { t } = useTranslation();
  const { busy, start } = useStart(imp);
  if (imp.status === "checking") {
    return (
      <Flex vertical gap={12}>
        <Typography.Text>{t("imports.check.running")}</Typography.Text>
        <JobBar jobId={imp.jobId} />
      </Flex>
    );
  }
  const counts = imp.status === "checked" ? imp.checkCounts : null;
  return (
    <Flex vertical gap={16}>
      {counts ? (
        <>
          <Counts counts={counts} dry />
          {counts.failed === 0 ? <Alert type="success" showIcon title={t("imports.check.allGood")} /> : null}
          <Issues imp={imp} dryRun />
        </>
      ) : (
        <Typography.Text>{t("imports.check.intro")}</Typography.Text>
      )}
      <Flex gap={8} justify="flex-end">
        <Button onClick={onMapping} disabled={busy}>
          {t("imports.check.editMapping")}
        </Button>
        <Button data-testid="check-again" disabled={busy} onClick={() => void start(startCheck)}>
          {counts ? t("imports.check.again") : t("imports.check.start")}
        </Button>
        <Button type="primary" data-testid="import-run" loading={busy} onClick={() => void start(startRun, onRun)}>
          {t("imports.check.run")}
        </Button>
      </Flex>
    </Flex>
  );
}

/** Step 5: the run's progress; a failed run can be resumed (rows already written are skipped). */
function RunStep({ imp, onMapping }: { imp: Import; onMapping: () => void }) {
  const { t } = useTranslation();
  const { busy, start } = useStart(imp);
  if (imp.status === "failed") {
    return (
      <Flex vertical gap={16}>
        {imp.jobId ? <JobError jobId={imp.jobId} /> : <Alert type="error" showIcon title={t("imports.status.failed")} data-testid="import-failed" />}
        <Flex gap={8} justify="flex-end">
          <Button onClick={onMapping} disabled={busy}>
            {t("imports.check.editMapping")}
          </Button>
          <Button disabled={busy} onClick={() => void start(startCheck)}>
            {t("imports.check.again")}
          </Button>
          <Button type="primary" data-testid="import-retry" loading={busy} onClick={() => void start(startRun)}>
            {t("imports.run.retry")}
          </Button>
        </Flex>
      </Flex>
    );
  }
  return (
    <Flex vertical gap={12}>
      <Typography.Text>{t("imports.run.running")}</Typography.Text>
      <JobBar jobId={imp.jobId} />
    </Flex>
  );
}

/** Step 6: what the run did, the list, the error report and the undo. */
function ResultStep({ imp }: { imp: Import }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const { busy, start } = useStart(imp);
  const can = useCan();
  const traits = OBJECT_TRAITS[imp.objectType];
  // Undoing removes (or archives) and rewrites records: the rights each object asks for (the server checks the rest).
  const mayUndo = imp.status === "completed" && traits.undo.every((p) => can(p));
  const undo = () =>
    modal.confirm({
      title: t("imports.result.undoTitle"),
      content: imp.objectType === "product" ? t("imports.result.undoBodyProduct") : imp.objectType === "order" ? t("imports.result.undoBodyOrder") : t("imports.result.undoBody"),
      okText: t("imports.result.undoOk"),
      okButtonProps: { danger: true, "data-testid": "undo-confirm" },
      cancelText: t("imports.common.cancel"),
      onOk: () => start(undoImport, () => void message.success(t("imports.result.undoStarted"))),
    });

  if (imp.status === "undoing") {
    return (
      <Flex vertical gap={12}>
        <Typography.Text>{t("imports.result.undoing")}</Typography.Text>
        <JobBar jobId={imp.jobId} />
      </Flex>
    );
  }
  return (
    <Flex vertical gap={16}>
      <Result
        status={imp.status === "undone" ? "info" : "success"}
        title={imp.status === "undone" ? t("imports.result.undone") : t("imports.result.completed")}
        data-testid="import-result"
        extra={[
          // Timeline entries have no list of their own: they show on their customers.
          <Link key="list" to={traits.list ?? "/customers"} data-testid="result-list">
            <Button type="primary">{t("imports.result.openList", { object: t(`imports.objectsPlural.${traits.list ? imp.objectType : "customer"}`) })}</Button>
          </Link>,
          <Link key="new" to={`/imports/new?object=${imp.objectType}`}>
            <Button>{t("imports.result.newImport")}</Button>
          </Link>,
          mayUndo ? (
            <Button key="undo" danger icon={<UndoOutlined />} data-testid="import-undo" loading={busy} onClick={undo}>
              {t("imports.result.undo")}
            </Button>
          ) : null,
        ]}
      />
      {imp.counts ? <Counts counts={imp.counts} dry={false} /> : null}
      {imp.counts && imp.counts.failed > 0 && imp.status === "completed" ? <Issues imp={imp} dryRun={false} /> : null}
    </Flex>
  );
}
