import { Typography } from "antd";
import { useTranslation } from "react-i18next";

/** Imports: the wizard (upload → preview → mapping → dry run → run) and the history. */
export function ImportsPage() {
  const { t } = useTranslation();
  return <Typography.Title level={3}>{t("imports.title")}</Typography.Title>;
}
