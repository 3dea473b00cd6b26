import { LogoutOutlined, PoweroffOutlined, UserOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { App, Avatar, Button, Dropdown, Flex, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { logout, logoutAll } from "../../features/auth/api.js";
import { errorMessage } from "../errors.js";
import { signOutLocally, useSession } from "../session.js";

export function UserMenu({ showName }: { showName: boolean }) {
  const { t } = useTranslation();
  const me = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message, modal } = App.useApp();

  const signOut = async (everywhere: boolean) => {
    try {
      await (everywhere ? logoutAll() : logout());
    } catch (err) {
      // A session that is already gone is signed out; anything else is worth saying.
      void message.error(errorMessage(err));
    }
    signOutLocally(queryClient);
    void navigate("/login", { replace: true });
    void message.success(t("layout.signedOut"));
  };

  return (
    <Dropdown
      trigger={["click"]}
      menu={{
        items: [
          {
            key: "who",
            type: "group",
            label: (
              <Flex vertical style={{ maxWidth: 240 }}>
                <Typography.Text strong ellipsis>
                  {me.user.name}
                </Typography.Text>
                <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
                  {me.user.email} · {me.role.name}
                </Typography.Text>
              </Flex>
            ),
          },
          { type: "divider" },
          { key: "profile", icon: <UserOutlined />, label: <span data-testid="menu-profile">{t("layout.profile")}</span> },
          { key: "logout", icon: <LogoutOutlined />, label: <span data-testid="menu-sign-out">{t("layout.signOut")}</span> },
          {
            key: "logout-all",
            icon: <PoweroffOutlined />,
            danger: true,
            label: <span data-testid="menu-sign-out-everywhere">{t("layout.signOutEverywhere")}</span>,
          },
        ],
        onClick: ({ key }) => {
          if (key === "profile") void navigate("/profile");
          else if (key === "logout") void signOut(false);
          else if (key === "logout-all")
            modal.confirm({
              title: t("layout.signOutEverywhere"),
              content: t("layout.signOutEverywhereConfirm"),
              okButtonProps: { danger: true },
              okText: t("layout.signOutEverywhere"),
              onOk: () => signOut(true),
            });
        },
      }}
    >
      <Button type="text" data-testid="user-menu" aria-label={t("layout.userMenu")} style={{ paddingInline: 6 }}>
        <Avatar size="small" style={{ background: "#1d39c4" }}>
          {initial(me.user.name)}
        </Avatar>
        {showName ? (
          <Typography.Text ellipsis style={{ maxWidth: 140 }}>
            {me.user.name}
          </Typography.Text>
        ) : null}
      </Button>
    </Dropdown>
  );
}

const initial = (name: string) => Array.from(name.trim())[0]?.toUpperCase() ?? "?";
