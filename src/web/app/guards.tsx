import { useEffect, type ReactNode } from "react";
import { Button, Result } from "antd";
import { useTranslation } from "react-i18next";
import { Navigate, Outlet, ScrollRestoration, useLocation } from "react-router";
import { useSetupStatus } from "../features/setup/api.js";
import { setLocale } from "../i18n/index.js";
import { FullPageSpin } from "./components/FullPageSpin.js";
import { QueryError } from "./components/QueryError.js";
import { hasPermission, useMe, wasSignedOutOnPurpose } from "./session.js";

/** Sends a fresh installation to /setup, and keeps everyone else away from it. */
export function SetupGate() {
  const status = useSetupStatus();
  const location = useLocation();
  if (status.isPending) return <FullPageSpin />;
  if (status.isError) return <QueryError error={status.error} onRetry={() => void status.refetch()} />;
  const onSetup = location.pathname === "/setup";
  if (status.data.needsSetup && !onSetup) return <Navigate to="/setup" replace />;
  if (!status.data.needsSetup && onSetup) return <Navigate to="/" replace />;
  return (
    <>
      <Outlet />
      {/* New pages start at the top; back/forward restores where the user was. */}
      <ScrollRestoration />
    </>
  );
}

/** Pages for signed-in users. The user's own language wins over the browser's once known. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  const userLocale = me.data?.user.locale;

  useEffect(() => {
    if (userLocale) void setLocale(userLocale);
  }, [userLocale]);

  if (me.isPending) return <FullPageSpin />;
  if (me.isError) return <QueryError error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) {
    const next = location.pathname + location.search;
    const to = wasSignedOutOnPurpose() || next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`;
    return <Navigate to={to} replace />;
  }
  return <>{children}</>;
}

/** Sign-in pages: a signed-in user goes straight on. */
export function PublicOnly() {
  const me = useMe();
  if (me.isPending) return <FullPageSpin />;
  if (me.data) return <Navigate to={safeNext(new URLSearchParams(window.location.search).get("next"))} replace />;
  return <Outlet />;
}

/** Only same-site paths, so a crafted ?next= cannot send the user elsewhere. */
export function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  if (!hasPermission(me.data, permission)) {
    return <Result status="403" title={t("errors.forbiddenTitle")} subTitle={t("errors.forbiddenDescription")} data-testid="forbidden" />;
  }
  return <>{children}</>;
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={t("errors.notFoundTitle")}
      subTitle={t("errors.notFoundDescription")}
      extra={
        <Button type="primary" href="/">
          {t("errors.backHome")}
        </Button>
      }
    />
  );
}

export function CrashPage() {
  const { t } = useTranslation();
  return (
    <Result
      status="500"
      title={t("errors.crashTitle")}
      subTitle={t("errors.crashDescription")}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t("common.refresh")}
        </Button>
      }
    />
  );
}
