import { Button, Result } from "antd";
import { useTranslation } from "react-i18next";
import { isApiError } from "../api.js";
import { errorMessage } from "../errors.js";

/** What a page shows when its main query failed. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (isApiError(error) && error.status === 403) {
    return <Result status="403" title={t("errors.forbiddenTitle")} subTitle={error.message || t("errors.forbiddenDescription")} />;
  }
  return (
    <Result
      status="warning"
      title={t("errors.loadFailed")}
      subTitle={errorMessage(error)}
      extra={onRetry ? <Button onClick={onRetry}>{t("common.retry")}</Button> : undefined}
    />
  );
}
