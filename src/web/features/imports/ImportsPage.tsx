import { ArrowLeftOutlined } from "@ant-design/icons";
import { Button } from "antd";
import { useTranslation } from "react-i18next";
import { Link, Route, Routes, useParams } from "react-router";
import { PageHeader } from "../../app/components/PageHeader.js";
import { ImportHistory } from "./ImportHistory.js";
import { ImportWizard, NewImportWizard } from "./ImportWizard.js";

/** Imports: the history at /imports, the wizard at /imports/new (upload) and /imports/:id (preview → mapping → dry run → run → result). */
export function ImportsPage() {
  return (
    <Routes>
      <Route index element={<ImportHistory />} />
      <Route path="new" element={<WizardPage />} />
      <Route path=":id" element={<WizardPage />} />
    </Routes>
  );
}

function WizardPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  return (
    <>
      <PageHeader
        title={t("imports.title")}
        extra={
          <Link to="/imports">
            <Button icon={<ArrowLeftOutlined />}>{t("imports.backToHistory")}</Button>
          </Link>
        }
      />
      {/* A new key per import: the wizard's local step starts over. */}
      {id ? <ImportWizard key={id} id={id} /> : <NewImportWizard />}
    </>
  );
}
