import { GlobalOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { App, Button, Dropdown } from "antd";
import { useTranslation } from "react-i18next";
import { updateMe } from "../../features/profile/api.js";
import { LOCALES, currentLocale, setLocale, type Locale } from "../../i18n/index.js";
import { errorMessage } from "../errors.js";
import { meKey, type Me } from "../session.js";

/**
 * 中文 / English. Switches the UI at once; when signed in, the choice is also
 * saved on the account so it follows the user to other browsers.
 */
export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const locale = currentLocale();

  const choose = async (next: Locale) => {
    if (next === locale) return;
    await setLocale(next);
    const me = queryClient.getQueryData<Me | null>(meKey);
    if (!me) return;
    // Optimistic, so the effect that follows user.locale does not switch back.
    queryClient.setQueryData<Me>(meKey, { ...me, user: { ...me.user, locale: next } });
    try {
      queryClient.setQueryData(meKey, await updateMe({ locale: next }));
    } catch (err) {
      void message.warning(t("layout.languageSaveFailed", { message: errorMessage(err) }));
    }
  };

  return (
    <Dropdown
      trigger={["click"]}
      menu={{
        selectable: true,
        selectedKeys: [locale],
        items: LOCALES.map((l) => ({ key: l, label: <span data-testid={`language-option-${l}`}>{t(`languages.${l}`)}</span> })),
        onClick: ({ key }) => void choose(key as Locale),
      }}
    >
      <Button type="text" icon={<GlobalOutlined />} aria-label={t("layout.language")} data-testid="language-switch">
        {compact ? null : t(`languages.${locale}`)}
      </Button>
    </Dropdown>
  );
}
