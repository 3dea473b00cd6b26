import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshot, settledPage } from "./browser.js";
import { startGuanxi, type RunningGuanxi } from "./server.js";

/**
 * From quote to cash (报价 → 订单 → 回款), in Chinese then in English: the
 * owner quotes two lines (¥1,060.00 + ¥1,130.00 = ¥2,190.00), whose PDF the
 * server renders; sends it, changes it after sending (V2, V1 stays as sent),
 * sends V2 and accepts it into an order, which is submitted and approved at
 * once (the customer has no limits). A payment plan that does not add up to
 * the total is refused with the server's words; one of two instalments (one
 * overdue) is saved and shows in the receivables ageing. In English, two
 * payments are recorded — one from the order page, one oldest-first from the
 * payments page after a repeated bank reference is refused — and the order is
 * paid and the customer owes nothing.
 */

const owner = { name: "赵回款", email: "collect@example.com", password: "correct-horse-battery" };
const company = "杭州青禾科技有限公司";

let server: RunningGuanxi;
let browser: Browser;
let page: Page;

const shot = (name: string) => screenshot(page, name);
const settled = () => settledPage(page);

/** A date `days` from today as YYYY-MM-DD (the browser, server and test run on one machine). */
function day(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** Picks an option of an antd select by typing and waiting for the option with that title. */
async function pick(testId: string, typed: string, title: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(typed);
  await page.locator(`.ant-select-item-option[title="${title}"]`).waitFor();
  await page.keyboard.press("Enter");
}

/** Types a date into an antd DatePicker and confirms it. */
async function typeDate(testId: string, value: string): Promise<void> {
  const input = page.getByTestId(testId);
  await input.click();
  await input.fill(value);
  await input.press("Enter");
}

const responseOf = (path: string | RegExp, method: string) =>
  page.waitForResponse((r) => (typeof path === "string" ? new URL(r.url()).pathname === path : path.test(new URL(r.url()).pathname)) && r.request().method() === method);

describe("collection", () => {
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

  it("quotes, accepts into an order, plans and collects the payments until nothing is owed", async () => {
    // 1. A workspace and a customer without credit or sales limits.
    await page.goto(`${server.url}/`);
    await page.waitForURL("**/setup");
    await page.getByTestId("setup-workspace-name").fill("青禾测试");
    await page.getByTestId("setup-name").fill(owner.name);
    await page.getByTestId("setup-email").fill(owner.email);
    await page.getByTestId("setup-password").fill(owner.password);
    await page.getByTestId("setup-confirm").fill(owner.password);
    await page.getByTestId("setup-submit").click();
    await page.getByTestId("dashboard-welcome").waitFor();

    await page.getByTestId("nav-customers").click();
    await page.waitForURL("**/customers");
    await page.getByTestId("customer-create").click();
    await page.getByTestId("customer-drawer").getByTestId("customer-name").fill(company);
    const customerCreated = responseOf("/api/v1/customers", "POST");
    await page.getByTestId("customer-submit").click();
    const customerRes = await customerCreated;
    expect(customerRes.status(), await customerRes.text()).toBe(201);
    const customer = (await customerRes.json()) as { id: string };
    await page.waitForURL(`**/customers/${customer.id}`);

    // 2. A quote with two lines typed in: 1 × 1,000 at 6 % and 2 × 500 at 13 %.
    await page.getByTestId("nav-quotes").click();
    await page.waitForURL("**/quotes");
    await page.getByTestId("quote-create").click();
    await page.waitForURL("**/quotes/new");
    await pick("quote-customer", "青禾", company);
    await page.getByTestId("quote-line-name-0").fill("安装调试服务");
    await page.getByTestId("quote-line-quantity-0").fill("1");
    await page.getByTestId("quote-line-price-0").fill("1000");
    await page.getByTestId("quote-line-discount-0").fill("0");
    await page.getByTestId("quote-line-tax-0").fill("6");
    await page.getByTestId("quote-line-add").click();
    await page.getByTestId("quote-line-name-1").fill("温湿度传感器");
    await page.getByTestId("quote-line-quantity-1").fill("2");
    await page.getByTestId("quote-line-price-1").fill("500");
    await page.getByTestId("quote-line-discount-1").fill("0");
    await page.getByTestId("quote-line-tax-1").fill("13");
    await page.getByTestId("quote-payment-terms").fill("签约后 10 日内付 1,000 元，余款验收后 30 日内付清");
    await page.getByTestId("quote-preview-total").getByText("¥2,190.00").waitFor();
    await settled();
    await shot("q01-quote-form");
    const quoteCreated = responseOf("/api/v1/quotes", "POST");
    await page.getByTestId("quote-save").click();
    const quoteRes = await quoteCreated;
    expect(quoteRes.status(), await quoteRes.text()).toBe(201);
    const quote = (await quoteRes.json()) as { id: string; number: string; total: string; lines: unknown[] };
    expect(quote.total).toBe("2190.00");
    expect(quote.lines).toHaveLength(2);
    await page.waitForURL(`**/quotes/${quote.id}`);
    await page.getByTestId("quote-total").getByText("¥2,190.00").waitFor();
    await page.getByTestId("quote-status").getByText("草稿").waitFor();

    // 3. Its PDF: the link the page opens answers a PDF.
    const href = await page.getByTestId("quote-pdf-open").getAttribute("href");
    expect(href).toMatch(new RegExp(`^/api/v1/quotes/${quote.id}/pdf\\?revision=1&lang=zh-CN$`));
    const pdf = await page.request.get(`${server.url}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

    // 4. Sent (no SMTP here: the mail goes to the log), changed after sending (V2), sent again.
    const send = async () => {
      await page.getByTestId("quote-send").click();
      await page.getByTestId("quote-send-to").fill("buyer@qinghe.example.com");
      await page.getByTestId("quote-send-message").fill("请查收报价单。");
      const sent = responseOf(`/api/v1/quotes/${quote.id}/send`, "POST");
      await page.getByTestId("quote-send-submit").click();
      const sentRes = await sent;
      expect(sentRes.status(), await sentRes.text()).toBe(200);
      await page.getByTestId("quote-status").getByText("已发送").waitFor();
    };
    await send();
    await page.getByTestId("quote-edit").click();
    await page.waitForURL(`**/quotes/${quote.id}/edit`);
    await page.getByTestId("quote-new-revision-note").getByText("将生成第 2 版").waitFor();
    await page.getByTestId("quote-delivery-terms").fill("上门安装，含一年质保");
    const revised = responseOf(`/api/v1/quotes/${quote.id}`, "PATCH");
    await page.getByTestId("quote-save").click();
    const revisedRes = await revised;
    expect(revisedRes.status(), await revisedRes.text()).toBe(200);
    expect(((await revisedRes.json()) as { revision: number }).revision).toBe(2);
    await page.waitForURL(`**/quotes/${quote.id}`);
    await page.getByTestId("quote-status").getByText("草稿").waitFor();
    await page.getByTestId("quote-revision-1").click();
    await page.getByTestId("quote-old-revision").getByText("发送给 buyer@qinghe.example.com").waitFor();
    await expect(page.getByTestId("quote-pdf-open").getAttribute("href")).resolves.toContain("revision=1");
    await page.getByTestId("quote-revision-2").click();
    await page.getByTestId("quote-old-revision").waitFor({ state: "detached" });
    await send();
    await settled();
    await shot("q02-quote-sent-v2");

    // 5. Accepted: a draft order from V2, submitted and approved at once.
    await page.getByTestId("quote-accept").click();
    const accepted = responseOf(`/api/v1/quotes/${quote.id}/accept`, "POST");
    await page.getByTestId("quote-accept-confirm").click();
    const acceptedRes = await accepted;
    expect(acceptedRes.status(), await acceptedRes.text()).toBe(200);
    const orderId = ((await acceptedRes.json()) as { orderId: string }).orderId;
    await page.waitForURL(`**/orders/${orderId}`);
    await page.getByTestId("order-total").getByText("¥2,190.00").waitFor();
    await page.getByTestId("order-submit").click();
    const submitted = responseOf(`/api/v1/orders/${orderId}/submit`, "POST");
    await page.getByTestId("order-submit-confirm").click();
    const submitRes = await submitted;
    expect(submitRes.status(), await submitRes.text()).toBe(200);
    const order = (await submitRes.json()) as { number: string; status: string };
    expect(order.status).toBe("approved");
    await page.getByTestId("order-status").getByText("已审核").waitFor();

    // 6. The payment plan: instalments that do not add up are refused as the server says; then 1,000 (overdue) + 1,190.
    await page.getByTestId("plan-edit").click();
    await typeDate("plan-due-0", day(-10));
    await page.getByTestId("plan-amount-0").fill("1000");
    await page.getByTestId("plan-add").click();
    await typeDate("plan-due-1", day(20));
    await page.getByTestId("plan-amount-1").fill("1000");
    const refused = responseOf(`/api/v1/orders/${orderId}/payment-plan`, "PUT");
    await page.getByTestId("plan-save").click();
    expect((await refused).status()).toBe(400);
    await page.getByTestId("plan-error").getByText("回款计划合计 2000.00，与订单金额 2190.00 不一致").waitFor();
    await page.getByTestId("plan-amount-1").fill("1190");
    const planned = responseOf(`/api/v1/orders/${orderId}/payment-plan`, "PUT");
    await page.getByTestId("plan-save").click();
    const planRes = await planned;
    expect(planRes.status(), await planRes.text()).toBe(200);
    const plan = page.getByTestId("plan-table");
    await plan.getByText("逾期 10 天").waitFor();
    await plan.getByText("未到期").waitFor();
    await page.getByTestId("order-payment-status").getByText("未回款").waitFor();
    await settled();
    await shot("q03-order-plan");

    // 7. The receivables ageing: ¥1,000.00 overdue 1–30 days, ¥1,190.00 not yet due.
    await page.getByTestId("nav-payments").click();
    await page.waitForURL("**/payments");
    await page.getByTestId("payments-tab-receivables").click();
    await page.waitForURL("**/payments/receivables");
    const owed = page.getByTestId(`receivables-row-${company}`);
    await owed.getByText("¥1,000.00").waitFor();
    await owed.getByText("¥1,190.00").waitFor();
    await owed.getByTestId("receivables-customer-total").getByText("¥2,190.00").waitFor();
    await page.getByTestId("receivables-total").getByText("¥2,190.00").waitFor();
    await settled();
    await shot("q04-receivables");

    // 8. In English: the first payment from the order page, matched to this order.
    await page.getByTestId("language-switch").click();
    await page.getByTestId("language-option-en-US").click();
    await page.getByTestId("nav-payments").getByText("Payments").waitFor();
    await page.goto(`${server.url}/orders/${orderId}`);
    await plan.getByText("Overdue · 10 d").waitFor();
    await page.getByTestId("plan-edit").getByText("Change payment plan").waitFor();
    await page.getByTestId("order-record-payment").click();
    const drawer = page.getByTestId("payment-drawer");
    await drawer.getByTestId("payment-allocated").getByText("¥2,190.00").waitFor();
    await drawer.getByTestId("payment-alloc-amount-0").fill("1000");
    await drawer.getByTestId("payment-reference").fill("CMB20260001");
    await drawer.getByTestId("payment-allocated").getByText("¥1,000.00").waitFor();
    const firstPaid = responseOf("/api/v1/payments", "POST");
    await page.getByTestId("payment-submit").click();
    const firstRes = await firstPaid;
    expect(firstRes.status(), await firstRes.text()).toBe(201);
    const first = (await firstRes.json()) as { number: string; allocations: { orderId: string; amount: string }[] };
    expect(first.allocations).toEqual([expect.objectContaining({ orderId, amount: "1000.00" })]);
    await page.getByTestId("order-payment-status").getByText("Partly paid").waitFor();
    await plan.locator('[data-testid="instalment-status"][data-status="paid"]').waitFor();
    await page.getByTestId("order-payments").getByTestId(`payment-row-${first.number}`).waitFor();

    // 9. The second from the payments page, oldest orders first; the same bank reference again is refused.
    await page.getByTestId("nav-payments").click();
    await page.waitForURL("**/payments");
    await page.getByTestId(`payment-row-${first.number}`).waitFor();
    await page.getByTestId("payment-record").click();
    await pick("payment-customer", "青禾", company);
    await drawer.getByTestId("payment-due-hint").getByText("¥1,190.00").waitFor();
    await drawer.getByTestId("payment-amount").fill("1190");
    await drawer.getByTestId("payment-reference").fill("CMB20260001");
    const duplicate = responseOf("/api/v1/payments", "POST");
    await page.getByTestId("payment-submit").click();
    expect((await duplicate).status()).toBe(409);
    await drawer.getByText("This bank reference was already recorded").waitFor();
    await settled();
    await shot("q05-duplicate-reference");
    await drawer.getByTestId("payment-reference").fill("CMB20260002");
    const secondPaid = responseOf("/api/v1/payments", "POST");
    await page.getByTestId("payment-submit").click();
    const secondRes = await secondPaid;
    expect(secondRes.status(), await secondRes.text()).toBe(201);
    const second = (await secondRes.json()) as { number: string; allocations: { orderId: string; amount: string }[] };
    expect(second.allocations).toEqual([expect.objectContaining({ orderId, amount: "1190.00" })]);
    await page.getByTestId(`payment-row-${second.number}`).waitFor();
    await page.getByTestId("payments-table").getByText(order.number).first().waitFor();
    await settled();
    await shot("q06-payments");

    // 10. The order is paid, both instalments settled; the customer owes nothing.
    await page.goto(`${server.url}/orders/${orderId}`);
    await page.getByTestId("order-payment-status").getByText("Paid", { exact: true }).waitFor();
    await expect(page.getByTestId("order-payment-status").getAttribute("data-status")).resolves.toBe("paid");
    await expect(plan.getByTestId("instalment-status").evaluateAll((tags) => tags.map((t) => t.getAttribute("data-status")))).resolves.toEqual(["paid", "paid"]);
    await settled();
    await shot("q07-order-paid");
    await page.getByTestId("nav-payments").click();
    await page.getByTestId("payments-tab-receivables").click();
    await page.waitForURL("**/payments/receivables");
    await page.getByTestId("receivables-total").getByText("¥0.00").waitFor();
    await expect(page.getByTestId(`receivables-row-${company}`).count()).resolves.toBe(0);
    await page.getByTestId("receivables-table").getByText("Nothing is owed").waitFor();
    await settled();
    await shot("q08-receivables-cleared");

    // 11. The customer's payments tab and the accepted quote, in English.
    await page.goto(`${server.url}/customers/${customer.id}`);
    await page.getByTestId("customer-tab-payments").click();
    await page.getByTestId("customer-payments").getByTestId(`payment-row-${second.number}`).waitFor();
    await page.getByTestId("customer-payment-record").getByText("Paid late").waitFor();
    await page.goto(`${server.url}/quotes/${quote.id}`);
    await page.getByTestId("quote-status").getByText("Accepted").waitFor();
    await page.getByTestId("quote-order-link").waitFor();
  });
});
