import { Col, Row } from "antd";
import { useTranslation } from "react-i18next";
import { PageHeader } from "../../app/components/PageHeader.js";
import { useSession } from "../../app/session.js";
import { PasswordForm } from "./PasswordForm.js";
import { ProfileForm } from "./ProfileForm.js";
import { TokensCard } from "./TokensCard.js";
import { TotpCard } from "./TotpCard.js";

export function ProfilePage() {
  const { t } = useTranslation();
  const me = useSession();
  return (
    <>
      <PageHeader title={t("profile.title")} subtitle={me.user.email} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <ProfileForm />
        </Col>
        <Col xs={24} xl={12}>
          <PasswordForm />
        </Col>
        <Col span={24}>
          <TotpCard />
        </Col>
        <Col span={24}>
          <TokensCard />
        </Col>
      </Row>
    </>
  );
}
