import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, Select } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useShowError } from "../../app/errors.js";
import { meKey, useSession, type Locale } from "../../app/session.js";
import { LOCALES, setLocale } from "../../i18n/index.js";
import { updateMe } from "./api.js";

export function ProfileForm() {
  const { t } = useTranslation();
  const me = useSession();
  const [form] = Form.useForm<{ name: string; locale: Locale }>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();

  useEffect(() => {
    form.setFieldsValue({ name: me.user.name, locale: me.user.locale });
  }, [me.user.name, me.user.locale, form]);

  const mutation = useMutation({
    mutationFn: updateMe,
    onSuccess: async (next) => {
      queryClient.setQueryData(meKey, next);
      await setLocale(next.user.locale);
      void message.success(t("profile.savedMsg"));
    },
    onError: (err) => showError(err, form),
  });

  return (
    <Card title={t("profile.basic")}>
      <Form form={form} name="profile" layout="vertical" onFinish={(v) => mutation.mutate({ name: v.name.trim(), locale: v.locale })} style={{ maxWidth: 480 }}>
        <Form.Item label={t("profile.email")}>
          <Input value={me.user.email} disabled />
        </Form.Item>
        <Form.Item name="name" label={t("profile.name")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("profile.name") }) }]}>
          <Input maxLength={100} autoComplete="name" />
        </Form.Item>
        <Form.Item name="locale" label={t("profile.language")}>
          <Select<Locale> options={LOCALES.map((l) => ({ value: l, label: t(`languages.${l}`) }))} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={mutation.isPending}>
          {t("common.save")}
        </Button>
      </Form>
    </Card>
  );
}
