import { QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp, ConfigProvider, theme } from "antd";
import enUSModule from "antd/locale/en_US.js";
import zhCNModule from "antd/locale/zh_CN.js";
import type { Locale as AntLocale } from "antd/es/locale/index.js";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { RouterProvider } from "react-router";
import { setUnauthenticatedHandler } from "./api.js";
import { queryClient } from "./query-client.js";
import { router } from "./router.js";
import { loseSession } from "./session.js";
import { isLocale, type Locale } from "../i18n/index.js";

// antd's locale files are CommonJS: depending on the bundler the default import is the locale or its module.
const interop = <T,>(m: T | { default: T }): T =>
  m !== null && typeof m === "object" && "default" in m ? (m as { default: T }).default : (m as T);

const ANTD_LOCALES: Record<Locale, AntLocale> = {
  "zh-CN": interop<AntLocale>(zhCNModule as unknown as AntLocale),
  "en-US": interop<AntLocale>(enUSModule as unknown as AntLocale),
};

export function App() {
  const { i18n } = useTranslation();
  const locale: Locale = isLocale(i18n.language) ? i18n.language : "zh-CN";

  useEffect(() => {
    setUnauthenticatedHandler(() => loseSession(queryClient));
  }, []);

  useEffect(() => {
    // The server localizes names (system roles) and messages: refetch in the new language.
    const refetch = () => void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== "me" });
    i18n.on("languageChanged", refetch);
    return () => i18n.off("languageChanged", refetch);
  }, [i18n]);

  return (
    <ConfigProvider
      locale={ANTD_LOCALES[locale]}
      button={{ autoInsertSpace: false }}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: {
          colorPrimary: "#1d39c4",
          colorLink: "#1d39c4",
          borderRadius: 6,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
        },
      }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
