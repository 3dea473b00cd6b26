import { Card, Flex, Typography } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { LanguageSwitch } from "../layout/LanguageSwitch.js";

/** The centred card of the signed-out pages (setup, login, password reset). */
export function AuthCard({ title, subtitle, children, width = 420 }: { title: ReactNode; subtitle?: ReactNode; children: ReactNode; width?: number }) {
  const { t } = useTranslation();
  return (
    <Flex vertical align="center" style={{ minHeight: "100%", padding: "24px 16px", boxSizing: "border-box", background: "linear-gradient(160deg, #eef2ff 0%, #f5f6fa 55%)" }}>
      <Flex justify="space-between" align="center" style={{ width: "100%", maxWidth: width, marginBottom: 16 }}>
        <Flex align="center" gap={10}>
          <img src="/favicon.svg" alt="" width={32} height={32} />
          <Typography.Text strong style={{ fontSize: 18 }}>
            {t("app.name")}
          </Typography.Text>
        </Flex>
        <LanguageSwitch />
      </Flex>
      <Card style={{ width: "100%", maxWidth: width, boxShadow: "0 8px 24px rgba(29,57,196,0.08)" }}>
        <Typography.Title level={3} style={{ marginTop: 0, marginBottom: subtitle ? 4 : 20 }}>
          {title}
        </Typography.Title>
        {subtitle ? (
          <Typography.Paragraph type="secondary" style={{ marginBottom: 20 }}>
            {subtitle}
          </Typography.Paragraph>
        ) : null}
        {children}
      </Card>
    </Flex>
  );
}
