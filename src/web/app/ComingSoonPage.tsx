import { RocketOutlined } from "@ant-design/icons";
import { Button, Card, Result } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import type { NavKey } from "./layout/nav.js";
import { useCan } from "./session.js";

/** Placeholder for the business modules that are still being built. */
export function ComingSoonPage({ module }: { module: NavKey }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const can = useCan();
  return (
    <Card data-testid={`coming-soon-${module}`}>
      <Result
        icon={<RocketOutlined style={{ color: "#1d39c4" }} />}
        title={t("comingSoon.title", { name: t(`nav.${module}`) })}
        subTitle={t("comingSoon.description")}
        extra={
          can("user:read") ? (
            <Button type="primary" onClick={() => void navigate("/admin/users")}>
              {t("comingSoon.goUsers")}
            </Button>
          ) : undefined
        }
      />
    </Card>
  );
}

/** The same placeholder inside a page (a tab of the customer 360° view): what will come, without the page chrome. */
export function ComingSoonPanel({ name, testId }: { name: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Result
      icon={<RocketOutlined style={{ color: "#1d39c4" }} />}
      title={t("comingSoon.title", { name })}
      subTitle={t("comingSoon.panelDescription")}
      data-testid={testId}
    />
  );
}
