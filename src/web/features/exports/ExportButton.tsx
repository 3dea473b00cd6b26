import { DownloadOutlined, UploadOutlined } from "@ant-design/icons";
import { Alert, Button, Dropdown, Flex, Modal, Tooltip, Typography, type MenuProps } from "antd";
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useShowError } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import type { Job } from "../jobs/api.js";
import { JobProgress } from "../jobs/JobProgress.js";
import { createExport, downloadExport, getExport, type ExportFormat, type ExportJob, type ExportObject, type ExportQuery } from "./api.js";

/**
 * The list toolbar's "Import" and "Export ▾" (CSV / Excel / vCard): the export
 * runs as a job on exactly what the list shows (`query`); its progress shows
 * in a dialog that offers the file when it is written.
 */
export function ExportButton({ objectType, query }: { objectType: ExportObject; query: ExportQuery }) {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const showError = useShowError();
  const [starting, setStarting] = useState(false);
  const [current, setCurrent] = useState<ExportJob | null>(null);
  const [downloading, setDownloading] = useState(false);

  const start = async (format: ExportFormat) => {
    setStarting(true);
    try {
      setCurrent(await createExport(objectType, format, query));
    } catch (err) {
      showError(err);
    } finally {
      setStarting(false);
    }
  };

  // The job finished: read the export again for its row count and link.
  const onFinished = useCallback(
    (job: Job) => {
      if (!current || job.id !== current.jobId) return;
      getExport(current.id)
        .then(setCurrent)
        .catch((err: unknown) => showError(err));
    },
    [current, showError],
  );

  const download = async () => {
    if (!current) return;
    setDownloading(true);
    try {
      await downloadExport(current);
    } catch (err) {
      showError(err);
    } finally {
      setDownloading(false);
    }
  };

  const items: MenuProps["items"] = [
    { key: "csv", label: t("exports.csv") },
    { key: "xlsx", label: t("exports.xlsx") },
    { key: "vcard", label: t("exports.vcard") },
  ];

  return (
    <>
      {can(`${objectType}:create`) ? (
        <Button icon={<UploadOutlined />} onClick={() => void navigate(`/imports/new?object=${objectType}`)} data-testid={`${objectType}-import`}>
          {t("exports.import")}
        </Button>
      ) : null}
      {can(`${objectType}:export`) ? (
        <Tooltip title={t("exports.help")}>
          <Dropdown menu={{ items, onClick: ({ key }) => void start(key as ExportFormat) }} trigger={["click"]} disabled={starting}>
            <Button icon={<DownloadOutlined />} loading={starting} data-testid={`${objectType}-export`}>
              {t("exports.button")}
            </Button>
          </Dropdown>
        </Tooltip>
      ) : null}
      <Modal
        open={current !== null}
        title={current?.status === "completed" ? t("exports.done", { rows: current.rows ?? 0 }) : t("exports.running")}
        onCancel={() => setCurrent(null)}
        destroyOnHidden
        footer={
          <Flex justify="end" gap={8}>
            <Button onClick={() => setCurrent(null)}>{t("exports.close")}</Button>
            <Button type="primary" icon={<DownloadOutlined />} disabled={current?.status !== "completed"} loading={downloading} onClick={() => void download()} data-testid="export-download">
              {t("exports.download")}
            </Button>
          </Flex>
        }
      >
        {current ? (
          <Flex vertical gap={12} data-testid="export-dialog" data-status={current.status}>
            {current.status === "completed" ? (
              <Typography.Text strong>{current.fileName}</Typography.Text>
            ) : (
              <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
                {t("exports.preparing")}
              </Typography.Paragraph>
            )}
            {current.jobId ? <JobProgress jobId={current.jobId} onFinished={onFinished} /> : null}
            {current.status === "failed" ? <Alert type="error" showIcon message={current.error ?? t("exports.failed")} /> : null}
            {current.status === "expired" ? <Alert type="warning" showIcon message={t("exports.expired")} /> : null}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t("exports.keptFor")}
            </Typography.Text>
          </Flex>
        ) : null}
      </Modal>
    </>
  );
}
