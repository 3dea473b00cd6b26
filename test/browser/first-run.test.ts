import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGuanxi, type RunningGuanxi } from "./server.js";

/**
 * The first-run journey of a new installation: setup in Chinese, sign out,
 * sign in, switch to English, add a colleague, find that in the audit log,
 * then the same screens at phone width. Screenshots of every step go to
 * test-results/screenshots/.
 */
const SHOTS = join(process.cwd(), "test-results", "screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const owner = { name: "王小明", email: "owner@example.com", password: "correct-horse-battery" };
const colleague = { name: "Li Lei", email: "li.lei@example.com", password: "another-long-secret" };

let server: RunningGuanxi;
let browser: Browser;
let page: Page;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * Waits until requests, spinners and antd's open/close animations are done,
 * so screenshots show the page as a user sees it. Only screenshots depend on it.
 */
async function settled(): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(
    () =>
      !document.querySelector(".ant-spin-spinning") &&
      !document.querySelector(".ant-dropdown:not(.ant-dropdown-hidden)") &&
      document.getAnimations().every((a) => a.playState !== "running"),
    undefined,
    { timeout: 10_000 },
  );
}

describe("first run", () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startGuanxi();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-quic",
      ],
    });
    // An English browser on purpose: Guanxi still opens in Chinese until the user says otherwise.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    server?.cleanup();
  });

  it("sets up, signs in, switches language, adds a user and audits it", async () => {
    // 1. A fresh installation sends every path to /setup, in Chinese.
    await page.goto(`${server.url}/admin/users`);
    await page.waitForURL("**/setup");
    await page.getByRole("heading", { name: "欢迎使用关系 CRM" }).waitFor();
    await page.getByTestId("setup-workspace-name").fill("星辰科技");
    await page.getByTestId("setup-name").fill(owner.name);
    await page.getByTestId("setup-email").fill(owner.email);
    await page.getByTestId("setup-password").fill(owner.password);
    await page.getByTestId("setup-confirm").fill(owner.password);
    await shot("01-setup-zh");
    await page.getByTestId("setup-submit").click();
    await page.getByTestId("dashboard-welcome").waitFor();
    expect(await page.getByTestId("dashboard-welcome").textContent()).toContain(owner.name);
    await settled();
    await shot("02-dashboard-zh");

    // 2. Sign out.
    await page.getByTestId("user-menu").click();
    await page.getByTestId("menu-sign-out").click();
    await page.waitForURL((u) => u.pathname === "/login");
    await page.getByTestId("login-form").waitFor();
    await shot("03-login-zh");

    // 3. Sign in again.
    await page.getByTestId("login-email").fill(owner.email);
    await page.getByTestId("login-password").fill(owner.password);
    await page.getByTestId("login-submit").click();
    await page.getByTestId("dashboard-welcome").waitFor();
    expect(new URL(page.url()).pathname).toBe("/");

    // 4. English, saved on the account (a reload keeps it).
    const saved = page.waitForResponse((r) => r.url().endsWith("/api/v1/me") && r.request().method() === "PATCH");
    await page.getByTestId("language-switch").click();
    await page.getByTestId("language-option-en-US").click();
    expect((await saved).status()).toBe(200);
    await page.getByTestId("dashboard-welcome").getByText(`Hello, ${owner.name}`).waitFor();
    await page.reload();
    await page.getByTestId("dashboard-welcome").getByText(`Hello, ${owner.name}`).waitFor();
    await expect(page.getByTestId("nav-users").textContent()).resolves.toBe("Users");
    await settled();
    await shot("04-dashboard-en");

    // 5. Add a colleague.
    await page.getByTestId("nav-users").click();
    await page.waitForURL("**/admin/users");
    await page.getByTestId(`user-row-${owner.email}`).waitFor();
    await page.getByTestId("user-create").click();
    await page.getByTestId("user-create-email").fill(colleague.email);
    await page.getByTestId("user-create-name").fill(colleague.name);
    await page.getByTestId("user-create-role").click();
    await page.locator(".ant-select-item-option").filter({ hasText: /^Sales$/ }).click();
    await page.getByTestId("user-create-password").fill(colleague.password);
    await shot("05-user-create-en");
    const created = page.waitForResponse((r) => r.url().endsWith("/api/v1/users") && r.request().method() === "POST");
    await page.getByTestId("user-create-submit").click();
    const createdRes = await created;
    expect(createdRes.status()).toBe(201);
    const user = (await createdRes.json()) as { id: string; email: string };
    expect(user.email).toBe(colleague.email);
    await page.getByTestId(`user-row-${colleague.email}`).waitFor();
    await page.locator(".ant-modal").waitFor({ state: "hidden" });
    await settled();
    await shot("06-users-en");

    // 6. The audit log shows who created whom.
    await page.getByTestId("nav-audit").click();
    await page.waitForURL("**/admin/audit");
    const row = page.locator(`[data-testid="audit-row-user.created"][data-object-id="${user.id}"]`);
    await row.waitFor();
    await row.click();
    await page.getByTestId("audit-details").first().waitFor();
    await settled();
    await shot("07-audit-en");

    // 7. Phone width: the side menu becomes a drawer.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId("open-nav").waitFor();
    await settled();
    await shot("08-audit-phone-en");
    await page.getByTestId("open-nav").click();
    await page.getByTestId("nav-users").waitFor();
    await page.locator(".ant-drawer-content-wrapper").waitFor();
    await settled();
    await page.waitForTimeout(400); // the drawer slides in with a CSS transition, not an animation
    await page.screenshot({ path: join(SHOTS, "09-nav-drawer-phone-en.png") });
    await page.getByTestId("nav-users").click();
    await page.waitForURL("**/admin/users");
    await page.getByTestId(`user-row-${colleague.email}`).waitFor();

    // 8. And back to Chinese on the phone.
    await page.getByTestId("language-switch").click();
    await page.getByTestId("language-option-zh-CN").click();
    await page.getByRole("heading", { name: "用户" }).waitFor();
    await settled();
    await shot("10-users-phone-zh");
  });

  it("stops cleanly on SIGTERM", async () => {
    await browser.close();
    const code = await server.stop();
    expect(code, server.output().slice(-4000)).toBe(0);
  });
});
