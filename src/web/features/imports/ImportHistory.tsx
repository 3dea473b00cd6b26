import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Table, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { PageHeader } from "../../app/components/PageHeader.js";
import { QueryError } from "../../app/components/QueryError.js";
import { useUserNames } from "../users/names.js";
import { useImports, type Import, type ImportStatus } from "./api.js";

const STATUS_COLOR: Record<ImportStatus, string> = {
  uploaded: "default",
  checking: "processing",
  checked: "blue",
  running: "processing",
  completed: "success",
  failed: "error",
  undoing: "processing",
  undone: "warning",
};

/** The recent imports (own, or everyone's with visibility of all records); a row opens its wizard where it stands. */
export function ImportHistory() {
  const { t } = useTranslation();
  const imports = useImports();
  const userName = useUserNames();
  return (
    <>
      <PageHeader
        title={t("imports.title")}
        subtitle={t("imports.subtitle")}
        extra={
          <Link to="/imports/new">
            <Button type="primary" icon={<PlusOutlined />} data-testid="import-new">
              {t("imports.newImport")}
            </Button>
          </Link>
        }
      />
      <Card styles={{ body: { paddingBlock: 8 } }}>
        {imports.isError ? (
          <QueryError error={imports.error} onRetry={() => void imports.refetch()} />
        ) : (
          <Table<Import>
            data-testid="import-history"
            rowKey="id"
            size="small"
            loading={imports.isPending}
            dataSource={imports.data ?? []}
            locale={{ emptyText: t("imports.history.empty") }}
            pagination={false}
            scroll={{ x: true }}
            onRow={(r) => ({ "data-testid": `import-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              {
                title: t("imports.history.file"),
                dataIndex: "fileName",
                render: (name: string, r) => <Link to={`/imports/${r.id}`}>{name}</Link>,
              },
              { title: t("imports.history.object"), dataIndex: "objectType", render: (o: Import["objectType"]) => t(`imports.objects.${o}`) },
              { title: t("imports.history.status"), dataIndex: "status", render: (s: ImportStatus) => <Tag color={STATUS_COLOR[s]}>{t(`imports.status.${s}`)}</Tag> },
              {
                title: t("imports.history.counts"),
                key: "counts",
                render: (_: unknown, r) =>
                  r.counts ? (
                    t("imports.history.countsText", { ...r.counts })
                  ) : r.checkCounts ? (
                    <Typography.Text type="secondary">{t("imports.history.checkText", { ...r.checkCounts })}</Typography.Text>
                  ) : (
                    "—"
                  ),
              },
              { title: t("imports.history.createdBy"), dataIndex: "createdBy", render: (id: string | null) => userName(id) ?? "—" },
              { title: t("imports.history.createdAt"), dataIndex: "createdAt", render: (d: string) => dayjs(d).format("L LT") },
            ]}
          />
        )}
      </Card>
    </>
  );
}
