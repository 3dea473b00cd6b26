import { Typography } from "antd";
import { useTranslation } from "react-i18next";

/** The duplicate review queue: scan, review pairs with their reasons, merge or dismiss. */
export function DuplicatesPage() {
  const { t } = useTranslation();
  return <Typography.Title level={3}>{t("duplicates.title")}</Typography.Title>;
}
