import { MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined } from "@ant-design/icons";
import { Button, Drawer, Flex, Grid, Layout, Menu, Typography, type MenuProps } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Outlet, useLocation, useNavigate } from "react-router";
import { NotificationBell } from "../../features/notifications/NotificationBell.js";
import { GlobalSearch } from "../../features/search/GlobalSearch.js";
import { WorkspaceSwitcher } from "../../features/workspaces/WorkspaceSwitcher.js";
import { useCan } from "../session.js";
import { LanguageSwitch } from "./LanguageSwitch.js";
import { ADMIN_NAV, BUSINESS_NAV, activeNavPath, type NavEntry } from "./nav.js";
import { UserMenu } from "./UserMenu.js";

const SIDER_WIDTH = 220;

/** Side navigation on md and up; below md it lives in a Drawer opened from the header. */
export function AppLayout() {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const location = useLocation();
  const navigate = useNavigate();
  const can = useCan();
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  // useBreakpoint is empty on the first render; treat that as desktop to avoid a flash of the drawer button.
  const mobile = screens.md === false;

  const toItem = (e: NavEntry) => ({
    key: e.path,
    icon: e.icon,
    label: <span data-testid={`nav-${e.key}`}>{t(`nav.${e.key}`)}</span>,
    title: t(`nav.${e.key}`),
  });
  const allowed = (e: NavEntry) => !e.permission || can(e.permission);
  const admin = ADMIN_NAV.filter(allowed);
  const items: MenuProps["items"] = [
    { type: "group", key: "business", label: collapsed && !mobile ? null : t("nav.business"), children: BUSINESS_NAV.filter(allowed).map(toItem) },
    ...(admin.length > 0
      ? [{ type: "group" as const, key: "admin", label: collapsed && !mobile ? null : t("nav.admin"), children: admin.map(toItem) }]
      : []),
  ];
  const selected = activeNavPath(location.pathname);
  const menu = (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={selected ? [selected] : []}
      onClick={({ key }) => {
        setDrawerOpen(false);
        void navigate(key);
      }}
      style={{ borderInlineEnd: "none" }}
      data-testid="side-menu"
    />
  );

  const brand = (small: boolean) => (
    <Flex align="center" gap={10} style={{ height: 56, paddingInline: small ? 0 : 20, justifyContent: small ? "center" : "flex-start" }}>
      <img src="/favicon.svg" alt="" width={28} height={28} />
      {small ? null : (
        <Typography.Text strong style={{ fontSize: 16, whiteSpace: "nowrap" }}>
          {t("app.name")}
        </Typography.Text>
      )}
    </Flex>
  );

  return (
    <Layout style={{ minHeight: "100vh" }}>
      {mobile ? (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={SIDER_WIDTH + 40}
          styles={{ body: { padding: 0 }, header: { display: "none" } }}
          data-testid="nav-drawer"
        >
          {brand(false)}
          {menu}
        </Drawer>
      ) : (
        <Layout.Sider
          width={SIDER_WIDTH}
          collapsible
          collapsed={collapsed}
          trigger={null}
          theme="light"
          style={{ borderInlineEnd: "1px solid #f0f0f0", position: "sticky", top: 0, height: "100vh", overflow: "auto" }}
        >
          {brand(collapsed)}
          {menu}
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header
          style={{
            position: "sticky",
            top: 0,
            zIndex: 10,
            height: 56,
            lineHeight: "56px",
            paddingInline: mobile ? 8 : 16,
            background: "#fff",
            borderBottom: "1px solid #f0f0f0",
            display: "flex",
            alignItems: "center",
            gap: 4,
          }}
        >
          {mobile ? (
            <Button type="text" icon={<MenuOutlined />} onClick={() => setDrawerOpen(true)} aria-label={t("layout.openMenu")} data-testid="open-nav" />
          ) : (
            <Button
              type="text"
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={() => setCollapsed((c) => !c)}
              aria-label={collapsed ? t("layout.expandMenu") : t("layout.collapseMenu")}
            />
          )}
          <WorkspaceSwitcher maxWidth={mobile ? 120 : 240} />
          <div style={{ flex: 1 }} />
          <GlobalSearch compact={mobile} />
          <NotificationBell compact={mobile} />
          <LanguageSwitch compact={mobile} />
          <UserMenu showName={!mobile} />
        </Layout.Header>
        <Layout.Content style={{ padding: mobile ? 12 : 24, minWidth: 0 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
