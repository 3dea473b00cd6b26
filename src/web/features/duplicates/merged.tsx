import { Alert } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useNavigate } from "react-router";

/**
 * A merged-away id: the API followed its 308 to the survivor (`servedId`), and
 * so does the address, `<base>/<servedId>`. True on the survivor's page when
 * it was reached that way.
 */
export function useMergedRedirect(base: string, id: string, servedId: string | undefined): boolean {
  const navigate = useNavigate();
  const location = useLocation();
  const mergedFrom = (location.state as { mergedFrom?: string } | null)?.mergedFrom;
  useEffect(() => {
    if (servedId && servedId !== id) void navigate(`${base}/${servedId}`, { replace: true, state: { mergedFrom: id } });
  }, [base, servedId, id, navigate]);
  return Boolean(mergedFrom);
}

/** Says that the record asked for was merged into the one shown. */
export function MergedNotice({ show }: { show: boolean }) {
  const { t } = useTranslation();
  return show ? <Alert type="info" showIcon closable style={{ marginBottom: 16 }} title={t("duplicates.redirected")} data-testid="merged-notice" /> : null;
}
