import type { Locator, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { setUpWorkspace, useGuanxi } from "./actions.js";
import { screenshot, settledPage } from "./browser.js";
import type { RunningGuanxi } from "./server.js";

/**
 * Long lists stay fast: with 400 customers the customer list renders only the
 * rows in view (antd's virtual table), fetches the next page of 50 when the
 * user scrolls near the end, and still selects, sorts and loads on a button.
 * The same at phone width. Screenshots go to test-results/screenshots/.
 */

const owner = { name: "王小明", email: "owner@example.com", password: "correct-horse-battery" };
const TOTAL = 400;
const PAGE = 50;
const nameOf = (i: number) => `列表客户${String(i).padStart(4, "0")}`;

const g = useGuanxi({ viewport: { width: 1280, height: 800 }, journey: true });
let server: RunningGuanxi;
let page: Page;
/** Customer code and id by name, from the API's answers. */
const codes = new Map<string, string>();
const ids = new Map<string, string>();

const table = () => page.getByTestId("customers-table");
/** Row elements in the DOM: with a virtual table, only those in view (plus a few). */
const renderedRows = () => table().locator('[data-testid^="customer-row-"]');
const rowOf = (name: string) => page.getByTestId(`customer-row-${codes.get(name)}`);
/** The "已显示 N 条" count under a list (-1 while there is none). */
async function shown(list = "customers"): Promise<number> {
  const text = (await page.getByTestId(`${list}-count`).textContent()) ?? "";
  const match = /已显示 (\d+) 条/.exec(text);
  return match ? Number(match[1]) : -1;
}
const waitForShown = (n: number, list = "customers") => expect.poll(() => shown(list), { timeout: 15_000 }).toBe(n);

/** Scrolls a table body to its end the way a mouse wheel does. */
async function wheelToEnd(list: Locator = table()): Promise<void> {
  await list.locator(".ant-table-tbody-virtual-holder").hover();
  await page.mouse.wheel(0, 1_000_000);
}

/** Runs `task(1..count)` a few at a time. */
async function seed(count: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 1;
  const worker = async () => {
    for (let i = next++; i <= count; i = next++) await task(i);
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}

describe("long lists", () => {
  beforeAll(async () => {
    ({ page, server } = g);
    // A workspace and its owner, signed in: page.request shares the browser's cookies.
    await setUpWorkspace(g, "列表测试", owner);

    await seed(TOTAL, async (i) => {
      const res = await page.request.post(`${server.url}/api/v1/customers`, { data: { kind: "organization", name: nameOf(i), allowDuplicate: true } });
      expect(res.status(), await res.text()).toBe(201);
      const created = (await res.json()) as { id: string; name: string; code: string };
      codes.set(created.name, created.code);
      ids.set(created.name, created.id);
    });
    expect(codes.size).toBe(TOTAL);
  });

  it("renders only the rows in view and loads more as the user scrolls", async () => {
    await page.goto(`${server.url}/customers`);
    await renderedRows().first().waitFor();
    await waitForShown(PAGE);
    const firstRow = await renderedRows().first().getAttribute("data-testid");
    // Even one page is more rows than fit: the DOM holds only those in view.
    expect(await renderedRows().count()).toBeLessThan(PAGE);
    await settledPage(page);
    await screenshot(page, "l01-customers-virtual");

    // Scrolling to the end fetches exactly the next page (the user is 50 rows from the end again).
    await wheelToEnd();
    await waitForShown(2 * PAGE);
    await wheelToEnd();
    await waitForShown(3 * PAGE);
    expect(await page.getByTestId("customers-count").textContent()).not.toContain("已全部加载");

    // 150 loaded, a screenful rendered: the last loaded rows, not the first.
    const rendered = await renderedRows().count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(60);
    await expect(page.getByTestId(firstRow!).count()).resolves.toBe(0);

    // The button still loads a page, for keyboards and as a fallback.
    await page.getByTestId("customers-load-more").click();
    await waitForShown(4 * PAGE);
    expect(await renderedRows().count()).toBeLessThan(60);
    await settledPage(page);
    await screenshot(page, "l02-customers-scrolled");

    // Selection still drives the bulk bar (the bar takes room above the table, which then shows fewer rows).
    const row = page.getByTestId((await renderedRows().nth(2).getAttribute("data-testid"))!);
    await row.locator(".ant-checkbox-input").check();
    const bar = page.getByTestId("bulk-bar");
    await bar.getByText("已选 1 项").waitFor();
    await row.locator(".ant-checkbox-input").uncheck();
    await bar.waitFor({ state: "detached" });
  });

  it("sorts by a header and starts again from the first row", async () => {
    const sorted = page.waitForResponse((r) => r.url().includes("/api/v1/customers?") && new URL(r.url()).searchParams.get("sort") === "name");
    await table().locator(".ant-table-thead th").filter({ hasText: "客户名称" }).click();
    expect((await sorted).status()).toBe(200);
    // Ascending by name: 0001 at the top, in view, and only the first page loaded.
    await rowOf(nameOf(1)).waitFor();
    await expect(renderedRows().first().getAttribute("data-testid")).resolves.toBe(`customer-row-${codes.get(nameOf(1))}`);
    await waitForShown(PAGE);
    await rowOf(nameOf(2)).waitFor();

    // Scrolling loads the next names in order.
    await wheelToEnd();
    await waitForShown(2 * PAGE);
    await wheelToEnd();
    await rowOf(nameOf(2 * PAGE)).waitFor();
    await settledPage(page);
    await screenshot(page, "l03-customers-sorted");
  });

  it("contacts and the trash are the same list", async () => {
    await seed(PAGE + 10, async (i) => {
      const res = await page.request.post(`${server.url}/api/v1/contacts`, { data: { name: `联系人${String(i).padStart(3, "0")}` } });
      expect(res.status(), await res.text()).toBe(201);
    });
    await page.getByTestId("nav-contacts").click();
    await page.waitForURL("**/contacts");
    const contacts = page.getByTestId("contacts-table");
    await contacts.locator('[data-testid^="contact-row-"]').first().waitFor();
    await waitForShown(PAGE, "contacts");
    expect(await contacts.locator('[data-testid^="contact-row-"]').count()).toBeLessThan(PAGE);
    await settledPage(page);
    await wheelToEnd(contacts);
    await waitForShown(PAGE + 10, "contacts");
    expect(await page.getByTestId("contacts-count").textContent()).toContain("已全部加载");
    await expect(page.getByTestId("contacts-load-more").count()).resolves.toBe(0);

    for (const name of [nameOf(TOTAL - 1), nameOf(TOTAL)]) {
      expect((await page.request.delete(`${server.url}/api/v1/customers/${ids.get(name)}`)).status()).toBe(204);
    }
    await page.goto(`${server.url}/customers/trash`);
    await page.getByTestId(`restore-${nameOf(TOTAL)}`).waitFor();
    await page.getByTestId(`restore-${nameOf(TOTAL - 1)}`).waitFor();
    await waitForShown(2, "customer-trash");
    await page.getByTestId(`restore-${nameOf(TOTAL)}`).click();
    await page.getByTestId(`restore-${nameOf(TOTAL)}`).waitFor({ state: "detached" });
    await waitForShown(1, "customer-trash");
    await settledPage(page);
    await screenshot(page, "l04-trash");
  });

  it("works at phone width", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/customers`);
    await renderedRows().first().waitFor();
    await waitForShown(PAGE);
    // Name and phone share the screen: no sideways scrolling.
    const fits = await table()
      .locator(".ant-table-tbody-virtual-holder")
      .evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
    expect(fits).toBe(true);
    expect(await renderedRows().count()).toBeLessThan(PAGE);
    await settledPage(page);
    await wheelToEnd();
    await waitForShown(2 * PAGE);
    await settledPage(page);
    await screenshot(page, "l05-customers-phone");
  });
});
