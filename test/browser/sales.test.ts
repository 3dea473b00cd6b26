import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, settledPage } from "./browser.js";
import { startGuanxi, type RunningGuanxi } from "./server.js";

/**
 * The sales journey: the owner sends orders over a limit for approval, adds a
 * product and a customer with a credit limit of ¥1,000, and orders ten units
 * (¥5,650 with tax) — submitting sends it for approval and the order page says
 * which limit it exceeds and by how much. An admin (who decides when the owner
 * has no department managers: approvals/policy.ts) approves it from the inbox,
 * in English, and the order is approved. Screenshots go to test-results/screenshots/.
 */

const owner = { name: "王小明", email: "owner@example.com", password: "correct-horse-battery" };
const admin = { name: "钱经理", email: "admin@example.com", password: "another-long-secret" };
const product = { sku: "GX-PRN-01", name: "热敏打印机", price: "500", unit: "台" };
const company = { name: "上海远山贸易有限公司", creditLimit: "1000" };

let server: RunningGuanxi;
let browser: Browser;
let page: Page;

const shot = (name: string) => screenshot(page, name);
const settled = () => settledPage(page);

async function signIn(user: { email: string; password: string }): Promise<void> {
  await page.getByTestId("login-email").fill(user.email);
  await page.getByTestId("login-password").fill(user.password);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("dashboard-welcome").waitFor();
}

async function signOut(): Promise<void> {
  await page.getByTestId("user-menu").click();
  await page.getByTestId("menu-sign-out").click();
  await page.waitForURL((u) => u.pathname === "/login");
}

/** Picks an option of an antd select by typing and waiting for the option with that title. */
async function pick(testId: string, typed: string, title: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(typed);
  await page.locator(`.ant-select-item-option[title="${title}"]`).waitFor();
  await page.keyboard.press("Enter");
}

describe("sales", () => {
  beforeAll(async () => {
    server = await startGuanxi();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    server?.cleanup();
  });

  it("sends an order over the credit limit for approval, and an admin approves it", async () => {
    // 1. A workspace and an admin colleague.
    await page.goto(`${server.url}/`);
    await page.waitForURL("**/setup");
    await page.getByTestId("setup-workspace-name").fill("远山测试");
    await page.getByTestId("setup-name").fill(owner.name);
    await page.getByTestId("setup-email").fill(owner.email);
    await page.getByTestId("setup-password").fill(owner.password);
    await page.getByTestId("setup-confirm").fill(owner.password);
    await page.getByTestId("setup-submit").click();
    await page.getByTestId("dashboard-welcome").waitFor();

    await page.getByTestId("nav-users").click();
    await page.waitForURL("**/admin/users");
    await page.getByTestId("user-create").click();
    await page.getByTestId("user-create-email").fill(admin.email);
    await page.getByTestId("user-create-name").fill(admin.name);
    await pick("user-create-role", "管理员", "管理员");
    await page.getByTestId("user-create-password").fill(admin.password);
    const userCreated = page.waitForResponse((r) => r.url().endsWith("/api/v1/users") && r.request().method() === "POST");
    await page.getByTestId("user-create-submit").click();
    expect((await userCreated).status()).toBe(201);
    await page.locator(".ant-modal").waitFor({ state: "hidden" });

    // 2. Orders over a limit go to approval (订单设置).
    await page.getByTestId("nav-workspace").click();
    await page.waitForURL("**/admin/workspace");
    const settings = page.getByTestId("order-settings");
    await settings.getByText("订单编号规则").waitFor();
    await settings.getByTestId("credit-mode-block").click();
    await settings.getByTestId("credit-mode-approval").click();
    const settingsSaved = page.waitForResponse((r) => r.url().endsWith("/api/v1/order-settings") && r.request().method() === "PATCH");
    await settings.getByTestId("order-settings-save").click();
    const settingsRes = await settingsSaved;
    expect(settingsRes.status(), await settingsRes.text()).toBe(200);
    expect(((await settingsRes.json()) as { creditMode: string }).creditMode).toBe("approval");
    await page.getByTestId("pricing-settings").getByText("本位币", { exact: true }).waitFor();
    await settled();
    await shot("s01-order-settings");

    // 3. A product.
    await page.getByTestId("nav-products").click();
    await page.waitForURL("**/products");
    await page.getByTestId("product-create").click();
    const productDrawer = page.getByTestId("product-drawer");
    await productDrawer.getByTestId("product-sku").fill(product.sku);
    await productDrawer.getByTestId("product-name").fill(product.name);
    await productDrawer.locator("#product_unit").fill(product.unit);
    await page.keyboard.press("Escape");
    await productDrawer.getByTestId("product-list-price").fill(product.price);
    await settled();
    await shot("s02-product-create");
    const productCreated = page.waitForResponse((r) => r.url().endsWith("/api/v1/products") && r.request().method() === "POST");
    await page.getByTestId("product-submit").click();
    const productRes = await productCreated;
    expect(productRes.status(), await productRes.text()).toBe(201);
    const created = (await productRes.json()) as { listPrice: string; taxRate: string };
    expect(created.taxRate).toMatch(/^0\.130*$/);
    const row = page.getByTestId(`product-row-${product.sku}`);
    await row.getByText("¥500.00").waitFor();
    await row.getByText("13%").waitFor();

    // 4. A customer with a credit limit of ¥1,000.
    await page.getByTestId("nav-customers").click();
    await page.waitForURL("**/customers");
    await page.getByTestId("customer-create").click();
    const customerDrawer = page.getByTestId("customer-drawer");
    await customerDrawer.getByTestId("customer-name").fill(company.name);
    await customerDrawer.getByRole("tab", { name: "财务信息" }).click();
    await customerDrawer.locator("#customer_creditLimit").fill(company.creditLimit);
    const customerCreated = page.waitForResponse((r) => r.url().endsWith("/api/v1/customers") && r.request().method() === "POST");
    await page.getByTestId("customer-submit").click();
    const customerRes = await customerCreated;
    expect(customerRes.status(), await customerRes.text()).toBe(201);
    const customer = (await customerRes.json()) as { id: string; creditLimit: string };
    expect(customer.creditLimit).toBe("1000.00");
    await page.waitForURL(`**/customers/${customer.id}`);

    // 5. An order from the customer's orders tab: ten printers at the list price.
    await page.getByTestId("customer-tab-orders").click();
    await page.getByTestId("credit-limit").getByText("¥1,000.00").waitFor();
    await page.getByTestId("customer-new-order").click();
    await page.waitForURL("**/orders/new?customerId=*");
    await page.getByTestId("credit-available").getByText("¥1,000.00").waitFor();
    await pick("order-line-product-0", product.sku, `${product.name} (${product.sku})`);
    await page.getByTestId("order-line-quantity-0").fill("10");
    // No unit price typed: the server prices the line, so the form shows no estimate.
    await page.getByTestId("order-preview-total").getByText("部分明细的单价将在保存时确定").waitFor();
    await settled();
    await shot("s03-order-form");
    const orderCreated = page.waitForResponse((r) => r.url().endsWith("/api/v1/orders") && r.request().method() === "POST");
    await page.getByTestId("order-save").click();
    const orderRes = await orderCreated;
    expect(orderRes.status(), await orderRes.text()).toBe(201);
    const order = (await orderRes.json()) as { id: string; number: string; total: string };
    expect(order.total).toBe("5650.00");
    await page.waitForURL(`**/orders/${order.id}`);
    await page.getByTestId("order-total").getByText("¥5,650.00").waitFor();
    await page.getByTestId("order-status").getByText("草稿").waitFor();

    // 6. Submitted: over the credit limit, so it waits for approval and says why.
    await page.getByTestId("order-submit").click();
    const submitted = page.waitForResponse((r) => r.url().endsWith(`/api/v1/orders/${order.id}/submit`));
    await page.getByTestId("order-submit-confirm").click();
    const submitRes = await submitted;
    expect(submitRes.status(), await submitRes.text()).toBe(200);
    await page.getByTestId("order-status").getByText("待审批").waitFor();
    await page.getByTestId("order-pending-approval").waitFor();
    const why = page.getByTestId("credit-check-credit_limit");
    await why.waitFor();
    await expect(why.textContent()).resolves.toBe("信用额度：应收 ¥0.00 + 本单 ¥5,650.00 = ¥5,650.00，额度 ¥1,000.00，超出 ¥4,650.00");
    await settled();
    await shot("s04-order-pending");

    // 7. The admin approves it from the inbox, in English.
    await signOut();
    await signIn(admin);
    await page.getByTestId("language-switch").click();
    await page.getByTestId("language-option-en-US").click();
    await page.getByTestId("nav-approvals").getByText("Approvals").waitFor();
    await page.getByTestId("nav-approvals").click();
    await page.waitForURL("**/approvals");
    const request = page.getByTestId("approvals-inbox-table").getByTestId("approval-link").filter({ hasText: order.number });
    await request.waitFor();
    await settled();
    await shot("s05-inbox");
    await request.click();
    await page.getByTestId("approval-title").waitFor();
    await page.getByTestId("credit-check-credit_limit").getByText("over by ¥4,650.00").waitFor();
    await page.getByTestId("approval-comment").fill("Long-standing customer, approved once.");
    const approved = page.waitForResponse((r) => r.url().includes("/api/v1/approvals/") && r.url().endsWith("/approve"));
    await page.getByTestId("approval-approve").click();
    const approvedRes = await approved;
    expect(approvedRes.status(), await approvedRes.text()).toBe(200);
    await page.getByTestId("approval-status").getByText("Approved").waitFor();
    await page.getByTestId("approval-history").getByText("Long-standing customer, approved once.").waitFor();
    await settled();
    await shot("s06-approved");

    // 8. The order is approved.
    await page.getByTestId("approval-order-link").click();
    await page.waitForURL(`**/orders/${order.id}`);
    await page.getByTestId("order-status").getByText("Approved").waitFor();
    await expect(page.getByTestId("order-status").getAttribute("data-status")).resolves.toBe("approved");
    await page.getByTestId("order-deliver").waitFor();
    await settled();
    await shot("s07-order-approved");
  });
});
