import { basename } from "node:path";
import type { Browser, Locator, Page, Request, Response } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import { launchBrowser, screenshot, settledPage } from "./browser.js";
import { startGuanxi, type RunningGuanxi } from "./server.js";

/**
 * The steps every browser journey shares: a server and a page per test file,
 * a screenshot when a test fails, signing in and out, antd selects and menus,
 * and setting up a workspace through the API when the set-up screen is not
 * what the test is about.
 */

export interface Guanxi {
  server: RunningGuanxi;
  browser: Browser;
  page: Page;
  /** An absolute URL of this server. */
  url: (path: string) => string;
}

/**
 * The browser's and the server's time zone. The server takes "today" (an
 * order's date, a target's period) from its process's zone and the UI from the
 * browser's; on a UTC machine they differ from 16:00 to 24:00, so both are
 * pinned to one zone, as are the dates the tests compute.
 */
export const TIME_ZONE = "Asia/Shanghai";

export interface GuanxiOptions {
  viewport?: { width: number; height: number };
  locale?: string;
  acceptDownloads?: boolean;
  /** Added to the server's environment. */
  env?: Record<string, string>;
  /** The tests of the file are steps of one journey: after a failure the later ones are skipped, not failed again. */
  journey?: boolean;
}

/**
 * Starts `guanxi start` and a Chromium page for the tests of this file
 * (beforeAll), leaves a screenshot of the page in test-results/screenshots when a
 * test fails, and stops both at the end. The returned object is filled in
 * beforeAll: read its fields inside tests and hooks.
 */
export function useGuanxi(options: GuanxiOptions = {}): Guanxi {
  const g = { url: (path: string) => `${g.server.url}${path}` } as Guanxi;
  let failed = false;

  beforeAll(async () => {
    g.server = await startGuanxi({ TZ: TIME_ZONE, ...options.env });
    g.browser = await launchBrowser();
    const context = await g.browser.newContext({
      viewport: options.viewport ?? { width: 1280, height: 800 },
      locale: options.locale ?? "zh-CN",
      timezoneId: TIME_ZONE,
      acceptDownloads: options.acceptDownloads ?? false,
    });
    g.page = await context.newPage();
    g.page.setDefaultTimeout(15_000);
  });

  if (options.journey) {
    beforeEach((ctx) => {
      if (failed) ctx.skip("an earlier step of the journey failed");
    });
  }

  afterEach(async ({ task }) => {
    if (task.result?.state !== "fail") return;
    failed = true;
    if (!g.page || g.page.isClosed()) return;
    const name = `FAILED-${basename(task.file.name, ".test.ts")}-${task.name}`.replace(/[^\p{L}\p{N}._-]+/gu, "-").slice(0, 120);
    try {
      await screenshot(g.page, name);
      console.error(`Failed at ${g.page.url()}; screenshot: test-results/screenshots/${name}.png`);
    } catch (err) {
      console.error(`No failure screenshot: ${String(err)}`);
    }
  });

  afterAll(async () => {
    await g.browser?.close();
    g.server?.cleanup();
  });

  return g;
}

/** Waits until the page is still (no requests, spinners or animations), then takes a screenshot. */
export async function shot(page: Page, name: string): Promise<void> {
  await settledPage(page);
  await screenshot(page, name);
}

export interface Account {
  name: string;
  email: string;
  password: string;
}

/** Sets up a fresh installation through the API; the page is then signed in as its owner (page.request shares the cookies). */
export async function setUpWorkspace(g: Guanxi, workspaceName: string, owner: Account, locale = "zh-CN"): Promise<{ userId: string }> {
  const res = await g.page.request.post(g.url("/api/v1/setup"), { data: { workspaceName, name: owner.name, email: owner.email, password: owner.password, locale } });
  expect(res.status(), await res.text()).toBe(201);
  const me = (await res.json()) as { user: { id: string } };
  return { userId: me.user.id };
}

/** Adds a colleague with a password and a system role (sales, manager, admin …) as the signed-in user. Returns the user's id. */
export async function createUser(g: Guanxi, user: Account, roleKey: string): Promise<string> {
  const roles = (await (await g.page.request.get(g.url("/api/v1/roles"))).json()) as { items: { id: string; key: string }[] };
  const role = roles.items.find((r) => r.key === roleKey);
  if (!role) throw new Error(`no role ${roleKey}`);
  const res = await g.page.request.post(g.url("/api/v1/users"), { data: { email: user.email, name: user.name, password: user.password, roleId: role.id } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** Signs in on the sign-in page and waits for the dashboard. */
export async function signIn(page: Page, user: Pick<Account, "email" | "password">): Promise<void> {
  await page.getByTestId("login-email").fill(user.email);
  await page.getByTestId("login-password").fill(user.password);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("dashboard-welcome").waitFor();
}

/**
 * The menu a header button opens, once it has finished opening. antd slides a
 * dropdown in the first time it opens (ant-slide-up-appear, scaled from 80 %):
 * a click in that motion can press an item and release over its neighbour,
 * which the browser turns into a click on the list, so the item's onClick never
 * runs (seen in CI: sign-out sent no request and the page stayed).
 */
async function openMenu(page: Page, trigger: string, item: string): Promise<Locator> {
  const open = page.locator(".ant-dropdown:not(.ant-dropdown-hidden)").filter({ has: page.getByTestId(item) });
  if ((await open.count()) === 0) await page.getByTestId(trigger).click();
  const still = page.locator('.ant-dropdown:not(.ant-dropdown-hidden):not([class*="-appear"]):not([class*="-enter"]):not([class*="-leave"])').filter({ has: page.getByTestId(item) });
  await still.waitFor();
  return still.getByTestId(item);
}

/**
 * Picks an item of a header menu and waits for the request it must send.
 * Should the click still be lost, the item is clicked once more; a handler
 * that sends nothing fails both times.
 */
async function chooseFromMenu(page: Page, trigger: string, item: string, sends: (r: Request) => boolean): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const option = await openMenu(page, trigger, item);
    const sent = page.waitForRequest(sends, { timeout: 5_000 }).catch(() => null);
    await option.click();
    const request = await sent;
    if (request) {
      const response = await request.response();
      if (!response) throw new Error(`${request.method()} ${request.url()} got no response`);
      return response;
    }
    if (attempt === 2) throw new Error(`Clicking "${item}" twice sent no request`);
    console.warn(`Clicking "${item}" sent no request; clicking it again`);
  }
}

const isCall = (method: string, path: string) => (r: Request) => r.method() === method && new URL(r.url()).pathname === path;

/** Signs out from the user menu: POST /api/v1/auth/logout, then the sign-in page. */
export async function signOut(page: Page): Promise<void> {
  const res = await chooseFromMenu(page, "user-menu", "menu-sign-out", isCall("POST", "/api/v1/auth/logout"));
  expect(res.status()).toBe(204);
  await page.waitForURL((u) => u.pathname === "/login");
  await page.getByTestId("login-form").waitFor();
}

/** Switches the signed-in user's language from the header and waits until the account has saved it. */
export async function switchLanguage(page: Page, locale: "zh-CN" | "en-US"): Promise<void> {
  const res = await chooseFromMenu(page, "language-switch", `language-option-${locale}`, isCall("PATCH", "/api/v1/me"));
  expect(res.status(), await res.text()).toBe(200);
}

/**
 * Picks an option of an antd select by typing, as a keyboard user would
 * (clicking an option races its opening animation). Enter takes the active
 * option, so wait until that is the one wanted: a select that searches on the
 * server first lists every option, with the first one active.
 */
export async function pick(page: Page, testId: string, typed: string, title: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(typed);
  await page.locator(`.ant-select-item-option-active[title="${title}"]`).waitFor();
  await page.keyboard.press("Enter");
}

/**
 * Chooses an option of an antd select without search: opens it, moves the
 * active option down to the wanted one with the keyboard, takes it, and waits
 * until the select shows it.
 */
export async function choose(page: Page, testId: string, title: string): Promise<void> {
  const select = page.getByTestId(testId);
  await select.click();
  const option = page.locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${title}"]`);
  await option.waitFor();
  for (let i = 0; i < 30 && !(await option.evaluate((el) => el.classList.contains("ant-select-item-option-active"))); i++) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await select.locator(`.ant-select-content[title="${title}"]`).waitFor();
}

/** Types a date into an antd DatePicker and confirms it. */
export async function typeDate(page: Page, testId: string, value: string): Promise<void> {
  const input = page.getByTestId(testId);
  await input.click();
  await input.fill(value);
  await input.press("Enter");
}

/** A date `days` from today in TIME_ZONE, as YYYY-MM-DD (the zone has no daylight saving: a day is 24 h). */
export function day(days = 0): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(Date.now() + days * 86_400_000);
}

/** The next response to `method path` (a path, or a pattern of paths). Start waiting before the click that sends it. */
export function responseOf(page: Page, path: string | RegExp, method: string): Promise<Response> {
  return page.waitForResponse((r) => {
    const p = new URL(r.url()).pathname;
    return r.request().method() === method && (typeof path === "string" ? p === path : path.test(p));
  });
}

/**
 * Drags an opportunity's card on the kanban board into a column with the mouse
 * (the browser's own drag and drop, near the column's top) and returns the
 * server's answer to the move.
 */
export async function dragCard(page: Page, card: Locator, column: Locator): Promise<{ status: number; body: string }> {
  const a = await card.boundingBox();
  const b = await column.boundingBox();
  if (!a || !b) throw new Error("card or column not visible");
  const moved = page.waitForResponse((r) => r.url().endsWith("/move") && r.request().method() === "POST");
  // Grab the card by its lower part: its name is a link.
  await page.mouse.move(a.x + a.width / 2, a.y + a.height - 8);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height - 4, { steps: 3 });
  await page.mouse.move(b.x + b.width / 2, b.y + 90, { steps: 12 });
  await page.mouse.up();
  const res = await moved;
  return { status: res.status(), body: await res.text() };
}

export interface NewLead {
  name: string;
  company: string;
  phone: string;
  campaign?: string;
}

/**
 * Creates a lead from the leads list (kept by its creator) and waits for its
 * page, a new lead (新线索). `shotName` takes a screenshot of the filled-in drawer.
 */
export async function createLead(page: Page, lead: NewLead, shotName?: string): Promise<{ id: string; ownerId: string | null; phone: string }> {
  await page.getByTestId("nav-leads").click();
  await page.waitForURL("**/leads");
  await page.getByTestId("lead-create").click();
  const drawer = page.getByTestId("lead-drawer");
  await drawer.getByTestId("lead-name").fill(lead.name);
  await drawer.getByTestId("lead-company").fill(lead.company);
  await drawer.getByTestId("lead-phone").fill(lead.phone);
  if (lead.campaign !== undefined) await drawer.getByTestId("lead-campaign").fill(lead.campaign);
  if (shotName) await shot(page, shotName);
  const created = responseOf(page, "/api/v1/leads", "POST");
  await page.getByTestId("lead-submit").click();
  const createdRes = await created;
  expect(createdRes.status(), await createdRes.text()).toBe(201);
  const saved = (await createdRes.json()) as { id: string; ownerId: string | null; phone: string };
  await page.waitForURL(`**/leads/${saved.id}`);
  await page.getByTestId("lead-status").getByText("新线索").waitFor();
  return saved;
}

/**
 * On a lead's page, converts the lead into a customer named after its company,
 * a contact and an opportunity "<company> 项目" of `amount`; checks the links
 * the dialog then shows and waits for the lead to be converted (已转化).
 * Screenshots: `shots.form` of the filled-in dialog, `shots.converted` of its answer.
 */
export async function convertLead(
  page: Page,
  lead: { id: string; company: string },
  amount: string,
  shots: { form?: string; converted?: string } = {},
): Promise<{ customerId: string; contactId: string; opportunityId: string }> {
  await page.getByTestId("lead-convert").click();
  const modal = page.getByTestId("convert-modal");
  await expect(modal.getByTestId("convert-customer-name").inputValue()).resolves.toBe(lead.company);
  await expect(modal.getByTestId("convert-opportunity-name").inputValue()).resolves.toBe(`${lead.company} 项目`);
  await modal.getByTestId("convert-amount").fill(amount);
  if (shots.form) await shot(page, shots.form);
  const converted = responseOf(page, `/api/v1/leads/${lead.id}/convert`, "POST");
  await modal.getByTestId("convert-submit").click();
  const convertRes = await converted;
  expect(convertRes.status(), await convertRes.text()).toBe(200);
  const conversion = (await convertRes.json()) as { customerId: string; contactId: string | null; opportunityId: string | null };
  expect(conversion.contactId).not.toBeNull();
  expect(conversion.opportunityId).not.toBeNull();
  const customerLink = modal.getByTestId("convert-customer-link");
  await customerLink.waitFor();
  await expect(customerLink.textContent()).resolves.toContain(lead.company);
  await expect(customerLink.getAttribute("href")).resolves.toBe(`/customers/${conversion.customerId}`);
  await expect(modal.getByTestId("convert-opportunity-link").getAttribute("href")).resolves.toBe(`/opportunities/${conversion.opportunityId}`);
  if (shots.converted) await shot(page, shots.converted);
  await modal.getByTestId("convert-done").click();
  await page.getByTestId("lead-status").getByText("已转化").waitFor();
  return { customerId: conversion.customerId, contactId: conversion.contactId!, opportunityId: conversion.opportunityId! };
}
