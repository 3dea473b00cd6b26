import { Card, Col, Empty, List, Row, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { JobProgress } from "../features/jobs/JobProgress.js";
import { useRecentJobs } from "../features/jobs/api.js";
import { ComingSoonPage } from "./ComingSoonPage.js";
import { useSession } from "./session.js";

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const jobs = useRecentJobs(true);
  const items = jobs.data?.items ?? [];

  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        <Card>
          <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="dashboard-welcome">
            {t("dashboard.welcome", { name: me.user.name })}
          </Typography.Title>
          <Typography.Text type="secondary">
            {t("dashboard.subtitle", { workspace: me.workspace.name })}
            {i18n.language.startsWith("zh") ? "" : " "}
            {t("dashboard.roleLine", { role: me.role.name })}
          </Typography.Text>
        </Card>
      </Col>
      {items.length > 0 ? (
        <Col span={24}>
          <Card title={t("dashboard.recentJobs")} size="small">
            <List
              dataSource={items}
              locale={{ emptyText: <Empty description={t("dashboard.noJobs")} /> }}
              renderItem={(job) => (
                <List.Item key={job.id}>
                  <JobProgress jobId={job.id} initial={job} />
                </List.Item>
              )}
            />
          </Card>
        </Col>
      ) : null}
      <Col span={24}>
        <ComingSoonPage module="dashboard" />
      </Col>
    </Row>
  );
}
