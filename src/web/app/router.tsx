import type { ReactNode } from "react";
import { createBrowserRouter, type RouteObject } from "react-router";
import { AuditPage } from "../features/audit/AuditPage.js";
import { ForgotPasswordPage } from "../features/auth/ForgotPasswordPage.js";
import { LoginPage } from "../features/auth/LoginPage.js";
import { ResetPasswordPage } from "../features/auth/ResetPasswordPage.js";
import { ContactPage } from "../features/contacts/ContactPage.js";
import { ContactsPage } from "../features/contacts/ContactsPage.js";
import { CustomerPage } from "../features/customers/CustomerPage.js";
import { CustomersPage } from "../features/customers/CustomersPage.js";
import { TrashPage } from "../features/customers/TrashPage.js";
import { DuplicatesPage } from "../features/duplicates/DuplicatesPage.js";
import { ImportsPage } from "../features/imports/ImportsPage.js";
import { DepartmentsPage } from "../features/departments/DepartmentsPage.js";
import { PoolPage } from "../features/pool/PoolPage.js";
import { ProfilePage } from "../features/profile/ProfilePage.js";
import { RolesPage } from "../features/roles/RolesPage.js";
import { SetupPage } from "../features/setup/SetupPage.js";
import { MyTasksPage } from "../features/tasks/MyTasksPage.js";
import { TeamsPage } from "../features/teams/TeamsPage.js";
import { UsersPage } from "../features/users/UsersPage.js";
import { WorkspaceSettingsPage } from "../features/workspaces/WorkspaceSettingsPage.js";
import { ApprovalFlowsPage } from "../features/approvals/ApprovalFlowsPage.js";
import { ApprovalPage } from "../features/approvals/ApprovalPage.js";
import { ApprovalsPage } from "../features/approvals/ApprovalsPage.js";
import { LeadPage } from "../features/leads/LeadPage.js";
import { LeadSettingsPage } from "../features/leads/LeadSettingsPage.js";
import { LeadsPage } from "../features/leads/LeadsPage.js";
import { OpportunitiesPage } from "../features/opportunities/OpportunitiesPage.js";
import { OpportunityPage } from "../features/opportunities/OpportunityPage.js";
import { PipelinesPage } from "../features/opportunities/PipelinesPage.js";
import { OrderFormPage } from "../features/orders/OrderFormPage.js";
import { OrderPage } from "../features/orders/OrderPage.js";
import { OrdersPage } from "../features/orders/OrdersPage.js";
import { PriceListPage } from "../features/products/PriceListPage.js";
import { PriceListsPage } from "../features/products/PriceListsPage.js";
import { ProductsPage } from "../features/products/ProductsPage.js";
import { PaymentsPage } from "../features/payments/PaymentsPage.js";
import { SalesDashboardPage } from "../features/sales-dashboard/SalesDashboardPage.js";
import { TargetsPage } from "../features/targets/TargetsPage.js";
import { QuoteFormPage } from "../features/quotes/QuoteFormPage.js";
import { QuotePage } from "../features/quotes/QuotePage.js";
import { QuotesPage } from "../features/quotes/QuotesPage.js";
import { ComingSoonPage } from "./ComingSoonPage.js";
import { DashboardPage } from "./DashboardPage.js";
import { CrashPage, NotFoundPage, PublicOnly, RequireAuth, RequirePermission, SetupGate } from "./guards.js";
import { AppLayout } from "./layout/AppLayout.js";
import { ADMIN_NAV, BUSINESS_NAV, type NavKey } from "./layout/nav.js";

const ADMIN_PAGES: Partial<Record<NavKey, ReactNode>> = {
  users: <UsersPage />,
  roles: <RolesPage />,
  departments: <DepartmentsPage />,
  teams: <TeamsPage />,
  audit: <AuditPage />,
  workspace: <WorkspaceSettingsPage />,
};

const guarded = (path: string, permission: string, page: ReactNode): RouteObject => ({
  path,
  element: <RequirePermission permission={permission}>{page}</RequirePermission>,
});

// Business modules that exist; the rest of BUSINESS_NAV shows the coming-soon page.
const BUSINESS_ROUTES: RouteObject[] = [
  guarded("customers", "customer:read", <CustomersPage />),
  guarded("customers/trash", "customer:restore", <TrashPage />),
  guarded("customers/:id", "customer:read", <CustomerPage />),
  guarded("contacts", "contact:read", <ContactsPage />),
  guarded("contacts/:id", "contact:read", <ContactPage />),
  guarded("pool", "pool:read", <PoolPage />),
  guarded("tasks", "task:read", <MyTasksPage />),
  guarded("imports/*", "customer:create", <ImportsPage />),
  guarded("duplicates", "customer:update", <DuplicatesPage />),
  guarded("products", "product:read", <ProductsPage />),
  guarded("products/price-lists", "price_list:read", <PriceListsPage />),
  guarded("products/price-lists/:id", "price_list:read", <PriceListPage />),
  guarded("orders", "order:read", <OrdersPage />),
  guarded("orders/new", "order:create", <OrderFormPage />),
  guarded("orders/:id", "order:read", <OrderPage />),
  guarded("orders/:id/edit", "order:update", <OrderFormPage />),
  guarded("approvals", "approval:read", <ApprovalsPage />),
  guarded("approvals/flows", "approval:manage", <ApprovalFlowsPage />),
  guarded("approvals/:id", "approval:read", <ApprovalPage />),
  guarded("quotes", "quote:read", <QuotesPage />),
  guarded("quotes/new", "quote:create", <QuoteFormPage />),
  guarded("quotes/:id", "quote:read", <QuotePage />),
  guarded("quotes/:id/edit", "quote:update", <QuoteFormPage />),
  guarded("payments", "payment:read", <PaymentsPage tab="payments" />),
  guarded("payments/receivables", "order:read", <PaymentsPage tab="receivables" />),
  guarded("payments/invoices", "invoice:read", <PaymentsPage tab="invoices" />),
  guarded("targets", "target:read", <TargetsPage />),
  guarded("sales", "sales_dashboard:read", <SalesDashboardPage />),
  guarded("leads", "lead:read", <LeadsPage />),
  guarded("leads/settings", "lead:manage", <LeadSettingsPage />),
  guarded("leads/:id", "lead:read", <LeadPage />),
  guarded("opportunities", "opportunity:read", <OpportunitiesPage />),
  guarded("opportunities/pipelines", "pipeline:manage", <PipelinesPage />),
  guarded("opportunities/:id", "opportunity:read", <OpportunityPage />),
];
const BUILT: NavKey[] = ["dashboard", "customers", "contacts", "pool", "tasks", "imports", "duplicates", "products", "orders", "approvals", "leads", "opportunities", "quotes", "payments", "targets", "sales"];

const appRoutes: RouteObject[] = [
  { index: true, element: <DashboardPage /> },
  ...BUSINESS_ROUTES,
  ...BUSINESS_NAV.filter((e) => !BUILT.includes(e.key)).map((e) => ({
    path: e.path.slice(1),
    element: <ComingSoonPage module={e.key} />,
  })),
  ...ADMIN_NAV.map((e) => ({
    path: e.path.slice(1),
    element: e.permission ? <RequirePermission permission={e.permission}>{ADMIN_PAGES[e.key]}</RequirePermission> : ADMIN_PAGES[e.key],
  })),
  { path: "profile", element: <ProfilePage /> },
  { path: "*", element: <NotFoundPage /> },
];

export const router = createBrowserRouter([
  {
    element: <SetupGate />,
    errorElement: <CrashPage />,
    children: [
      { path: "/setup", element: <SetupPage /> },
      {
        element: <PublicOnly />,
        children: [
          { path: "/login", element: <LoginPage /> },
          { path: "/forgot-password", element: <ForgotPasswordPage /> },
          { path: "/reset-password", element: <ResetPasswordPage /> },
        ],
      },
      {
        path: "/",
        element: (
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        ),
        children: appRoutes,
      },
    ],
  },
]);
