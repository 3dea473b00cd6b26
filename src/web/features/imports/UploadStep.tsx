import { InboxOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, Flex, Radio, Spin, Typography, Upload } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router";
import { isApiError } from "../../app/api.js";
import { errorMessage } from "../../app/errors.js";
import { useCan } from "../../app/session.js";
import { IMPORT_OBJECTS, importKey, importsKey, uploadImport, type ImportObject } from "./api.js";

/** Step 1: what to import (customers or contacts; `?object=contact` preselects) and the file, sent as raw bytes. */
export function UploadStep() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const allowed = IMPORT_OBJECTS.filter((o) => can(`${o}:create`));
  const wanted = params.get("object") as ImportObject | null;
  const [object, setObject] = useState<ImportObject>(wanted && allowed.includes(wanted) ? wanted : (allowed[0] ?? "customer"));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async (file: File) => {
    setBusy(true);
    setError(null);
    try {
      const imp = await uploadImport(object, file);
      queryClient.setQueryData(importKey(imp.id), imp);
      void queryClient.invalidateQueries({ queryKey: [...importsKey, "list"] });
      void navigate(`/imports/${imp.id}`, { state: { fresh: true } });
    } catch (err) {
      // A body over the server's limit may be cut off before any answer: say what probably happened.
      if (isApiError(err) && err.code === "NETWORK") setError(t("imports.upload.network"));
      else if (isApiError(err) && err.code === "PAYLOAD_TOO_LARGE" && typeof err.details.limit === "number") {
        // The server gives its limit in bytes whichever check refused the file: say it in MB.
        setError(t("imports.upload.tooLarge", { limit: Math.round(err.details.limit / 1048576) }));
      } else setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex vertical gap={16}>
      <Flex align="center" gap={12}>
        <Typography.Text>{t("imports.upload.object")}</Typography.Text>
        <Radio.Group
          data-testid="import-object"
          optionType="button"
          value={object}
          onChange={(e) => setObject(e.target.value as ImportObject)}
          options={allowed.map((o) => ({ value: o, label: t(`imports.objects.${o}`) }))}
          disabled={busy}
        />
      </Flex>
      <Spin spinning={busy} description={t("imports.upload.uploading")}>
        <div data-testid="import-upload">
        <Upload.Dragger
          accept=".csv,.txt,.tsv,.xlsx,.vcf"
          multiple={false}
          showUploadList={false}
          disabled={busy}
          beforeUpload={(file) => {
            void send(file);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t("imports.upload.drop")}</p>
          <p className="ant-upload-hint">{t("imports.upload.hint")}</p>
        </Upload.Dragger>
        </div>
      </Spin>
      {error ? <Alert data-testid="upload-error" type="error" showIcon title={error} /> : null}
    </Flex>
  );
}
