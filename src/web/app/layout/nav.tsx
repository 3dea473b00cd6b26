import {
  AimOutlined,
  ApartmentOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BarChartOutlined,
  CarryOutOutlined,
  CheckSquareOutlined,
  ContactsOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  FileTextOutlined,
  FundOutlined,
  GiftOutlined,
  ImportOutlined,
  InboxOutlined,
  LineChartOutlined,
  MergeCellsOutlined,
  NotificationOutlined,
  PayCircleOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  ShopOutlined,
  ShoppingCartOutlined,
  TeamOutlined,
  ThunderboltOutlined,
  UserOutlined,
} from "@ant-design/icons";
import type { ReactNode } from "react";

export type NavKey =
  | "dashboard"
  | "customers"
  | "contacts"
  | "pool"
  | "tasks"
  | "imports"
  | "duplicates"
  | "leads"
  | "opportunities"
  | "quotes"
  | "products"
  | "orders"
  | "approvals"
  | "payments"
  | "targets"
  | "sales"
  | "tickets"
  | "campaigns"
  | "loyalty"
  | "analytics"
  | "users"
  | "roles"
  | "departments"
  | "teams"
  | "audit"
  | "workspace";

export interface NavEntry {
  key: NavKey;
  path: string;
  icon: ReactNode;
  /** Needed to see the entry; business modules that are still placeholders are not gated. */
  permission?: string;
}

export const BUSINESS_NAV: NavEntry[] = [
  { key: "dashboard", path: "/", icon: <DashboardOutlined /> },
  { key: "customers", path: "/customers", icon: <ShopOutlined />, permission: "customer:read" },
  { key: "contacts", path: "/contacts", icon: <ContactsOutlined />, permission: "contact:read" },
  { key: "pool", path: "/pool", icon: <InboxOutlined />, permission: "pool:read" },
  { key: "tasks", path: "/tasks", icon: <CarryOutOutlined />, permission: "task:read" },
  { key: "imports", path: "/imports", icon: <ImportOutlined />, permission: "customer:create" },
  { key: "duplicates", path: "/duplicates", icon: <MergeCellsOutlined />, permission: "customer:update" },
  { key: "leads", path: "/leads", icon: <ThunderboltOutlined />, permission: "lead:read" },
  { key: "opportunities", path: "/opportunities", icon: <FundOutlined />, permission: "opportunity:read" },
  { key: "quotes", path: "/quotes", icon: <FileTextOutlined />, permission: "quote:read" },
  { key: "products", path: "/products", icon: <AppstoreOutlined />, permission: "product:read" },
  { key: "orders", path: "/orders", icon: <ShoppingCartOutlined />, permission: "order:read" },
  { key: "approvals", path: "/approvals", icon: <CheckSquareOutlined />, permission: "approval:read" },
  { key: "payments", path: "/payments", icon: <PayCircleOutlined />, permission: "payment:read" },
  { key: "targets", path: "/targets", icon: <AimOutlined />, permission: "target:read" },
  { key: "sales", path: "/sales", icon: <LineChartOutlined />, permission: "sales_dashboard:read" },
  { key: "tickets", path: "/tickets", icon: <CustomerServiceOutlined /> },
  { key: "campaigns", path: "/campaigns", icon: <NotificationOutlined /> },
  { key: "loyalty", path: "/loyalty", icon: <GiftOutlined /> },
  { key: "analytics", path: "/analytics", icon: <BarChartOutlined /> },
];

export const ADMIN_NAV: NavEntry[] = [
  { key: "users", path: "/admin/users", icon: <UserOutlined />, permission: "user:read" },
  { key: "roles", path: "/admin/roles", icon: <SafetyCertificateOutlined />, permission: "role:read" },
  { key: "departments", path: "/admin/departments", icon: <ApartmentOutlined />, permission: "department:read" },
  { key: "teams", path: "/admin/teams", icon: <TeamOutlined />, permission: "team:read" },
  { key: "audit", path: "/admin/audit", icon: <AuditOutlined />, permission: "audit:read" },
  { key: "workspace", path: "/admin/workspace", icon: <SettingOutlined />, permission: "workspace:update" },
];

/** The menu entry a URL belongs to (longest matching path wins). */
export function activeNavPath(pathname: string): string {
  let best = "/";
  for (const e of [...BUSINESS_NAV, ...ADMIN_NAV]) {
    if (e.path !== "/" && (pathname === e.path || pathname.startsWith(`${e.path}/`)) && e.path.length > best.length) best = e.path;
  }
  return best === "/" && pathname !== "/" ? "" : best;
}
