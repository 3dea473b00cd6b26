import { Flex, Progress, Tag, Typography } from "antd";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage } from "../../app/errors.js";
import { translateOr } from "../../i18n/index.js";
import { isFinished, useJob, type Job, type JobState } from "./api.js";

const STATE_COLOR: Record<JobState, string> = {
  queued: "default",
  running: "processing",
  completed: "success",
  failed: "error",
  cancelled: "warning",
};

/**
 * Progress of one background job, polled every second until it finishes.
 * `onFinished` fires once with the final job.
 */
export function JobProgress({ jobId, initial, onFinished }: { jobId: string; initial?: Job; onFinished?: (job: Job) => void }) {
  const { t } = useTranslation();
  const query = useJob(jobId);
  const job = query.data ?? initial;
  const reported = useRef(false);

  useEffect(() => {
    if (job && isFinished(job.state) && !reported.current) {
      reported.current = true;
      onFinished?.(job);
    }
  }, [job, onFinished]);

  if (!job) {
    return query.isError ? <Typography.Text type="danger">{errorMessage(query.error)}</Typography.Text> : <Progress percent={0} status="active" />;
  }

  const total = job.progressTotal ?? 0;
  const percent = job.state === "completed" ? 100 : total > 0 ? Math.min(99, Math.floor((job.progressDone / total) * 100)) : 0;
  const status = job.state === "failed" || job.state === "cancelled" ? "exception" : job.state === "completed" ? "success" : "active";

  return (
    <Flex vertical gap={4} style={{ width: "100%" }} data-testid="job-progress" data-state={job.state}>
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Text type="secondary" ellipsis>
          {translateOr(`jobs.kinds.${job.kind}`, job.kind)}
        </Typography.Text>
        <Flex gap={8} align="center">
          {total > 0 ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t("jobs.progress", { done: job.progressDone, total })}
            </Typography.Text>
          ) : null}
          <Tag color={STATE_COLOR[job.state]}>{t(`jobs.state.${job.state}`)}</Tag>
        </Flex>
      </Flex>
      <Progress percent={percent} status={status} />
      {job.error ? <Typography.Text type="danger">{job.error}</Typography.Text> : null}
    </Flex>
  );
}
