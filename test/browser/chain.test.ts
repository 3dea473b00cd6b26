import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { choose, convertLead, createLead, createUser, day, dragCard, pick, responseOf, setUpWorkspace, shot, signIn, signOut, switchLanguage, typeDate, useGuanxi } from "./actions.js";
import type { RunningGuanxi } from "./server.js";

/**
 * The whole chain (#5), on one customer, as its steps in order:
 * the owner sends orders over a limit for approval, adds a product and sets the
 * rep's targets for the month (orders ¥10,000, payments ¥8,000); the rep (in
 * Chinese) converts a lead into a customer and an opportunity of ¥6,000, drags
 * it across two stages, gives the customer a credit limit of ¥1,000, quotes ten
 * printers at the list price (¥5,650.00 with 13 % tax) and an installation typed
 * in (¥1,060.00 with 6 %), ¥6,710.00 in all, with its PDF, changes the sent
 * quote (V2), accepts it into an order, which the credit limit sends to
 * approval, and leaves a follow-up task; the owner (in English) approves it,
 * plans two instalments (¥2,000 overdue, ¥4,710 later) and records two payments
 * until nothing is owed; the rep then sees the month: targets at 67.1 %
 * (6,710 of 10,000 in orders) and 83.9 % (6,710 of 8,000 received),
 * the same figures on the sales dashboard, and the follow-up in the calendar.
 * Each `it` is a step of one journey: after a failure the later ones are skipped.
 * Screenshots go to test-results/screenshots/.
 */

const owner = { name: "王小明", email: "owner@example.com", password: "correct-horse-battery" };
const rep = { name: "赵销售", email: "sales@example.com", password: "another-long-secret" };
const product = { sku: "GX-PRN-01", name: "热敏打印机", price: "500", unit: "台" };
const lead = { name: "陈明", company: "苏州明远电子有限公司", phone: "13912345678" };
const deal = `${lead.company} 项目`;
// The default pipeline of a Chinese workspace (opportunities/pipelines.ts): 10 %, 30 %, 60 %.
const stages = { first: "初步接洽", second: "需求确认", third: "方案报价" };
const address = "苏州工业园区星湖街 328 号";

const g = useGuanxi({ viewport: { width: 1440, height: 900 }, journey: true });
let server: RunningGuanxi;
let page: Page;
/** What the steps hand on to the next ones. */
const ids = { rep: "", customer: "", quote: "", order: "", orderNumber: "" };

const column = (stage: string) => page.getByTestId(`board-column-${stage}`);
const targetRow = () => page.getByTestId(`target-row-user-${rep.name}`);

describe("the whole chain: lead → opportunity → quote → order → approval → payments → targets", () => {
  beforeAll(() => {
    ({ page, server } = g);
  });

  it("the owner sends orders over the credit limit to approval, adds a product and sets the rep's targets", async () => {
    await setUpWorkspace(g, "明远测试", owner);
    ids.rep = await createUser(g, rep, "sales");
    await page.goto(`${server.url}/`);
    await page.getByTestId("dashboard-welcome").waitFor();

    // Orders over a limit go to approval (订单设置).
    await page.getByTestId("nav-workspace").click();
    await page.waitForURL("**/admin/workspace");
    const settings = page.getByTestId("order-settings");
    await settings.getByText("订单编号规则").waitFor();
    await settings.getByTestId("credit-mode-block").click();
    await settings.getByTestId("credit-mode-approval").click();
    const settingsSaved = responseOf(page, "/api/v1/order-settings", "PATCH");
    await settings.getByTestId("order-settings-save").click();
    const settingsRes = await settingsSaved;
    expect(settingsRes.status(), await settingsRes.text()).toBe(200);
    expect(((await settingsRes.json()) as { creditMode: string }).creditMode).toBe("approval");
    await page.getByTestId("pricing-settings").getByText("本位币", { exact: true }).waitFor();
    await shot(page, "x01-order-settings");

    // A product at ¥500 a unit; the tax rate defaults to 13 %.
    await page.getByTestId("nav-products").click();
    await page.waitForURL("**/products");
    await page.getByTestId("product-create").click();
    const productDrawer = page.getByTestId("product-drawer");
    await productDrawer.getByTestId("product-sku").fill(product.sku);
    await productDrawer.getByTestId("product-name").fill(product.name);
    await productDrawer.locator("#product_unit").fill(product.unit);
    await page.keyboard.press("Escape");
    await productDrawer.getByTestId("product-list-price").fill(product.price);
    const productCreated = responseOf(page, "/api/v1/products", "POST");
    await page.getByTestId("product-submit").click();
    const productRes = await productCreated;
    expect(productRes.status(), await productRes.text()).toBe(201);
    expect(((await productRes.json()) as { taxRate: string }).taxRate).toMatch(/^0\.130*$/);
    const row = page.getByTestId(`product-row-${product.sku}`);
    await row.getByText("¥500.00").waitFor();
    await row.getByText("13%").waitFor();

    // The rep's order target for this month, on the targets screen: nothing done yet.
    await page.getByTestId("nav-targets").click();
    await page.waitForURL("**/targets");
    await page.getByTestId("targets-table").getByText("本期还没有目标").waitFor();
    await page.getByTestId("target-create").click();
    const form = page.getByTestId("target-form");
    await form.waitFor();
    // The dialog resets its fields once it has opened: wait for that before filling it in.
    await shot(page, "x02-target-create");
    await form.getByText("个人", { exact: true }).click();
    await pick(page, "target-scope-user", rep.name, `${rep.name} <${rep.email}>`);
    await page.getByTestId("target-amount").fill("10000");
    const targetCreated = responseOf(page, "/api/v1/targets", "POST");
    await page.getByTestId("target-submit").click();
    const targetRes = await targetCreated;
    expect(targetRes.status(), await targetRes.text()).toBe(201);
    expect(await targetRes.json()).toMatchObject({ metric: "order_amount", periodType: "month", scope: "user", scopeId: ids.rep, amount: "10000.00" });
    await targetRow().getByText("10,000.00").waitFor();
    await expect(targetRow().getByTestId("target-actual").textContent()).resolves.toBe("0.00");
    await expect(targetRow().getByTestId("target-attainment").textContent()).resolves.toBe("0%");
    // And one for the money received this month (the same dialog; through the API to save time).
    const paymentTarget = await page.request.post(`${server.url}/api/v1/targets`, {
      data: { metric: "payment_amount", periodType: "month", periodStart: day(0), scope: "user", scopeId: ids.rep, amount: "8000" },
    });
    expect(paymentTarget.status(), await paymentTarget.text()).toBe(201);
    await shot(page, "x03-targets-set");
    await signOut(page);
  });

  it("the rep converts a lead, drags the opportunity across two stages and gives the customer a credit limit", async () => {
    await signIn(page, rep);
    const saved = await createLead(page, lead);
    expect(saved.ownerId).toBe(ids.rep);

    // Converted: a customer named after the company, a contact and an opportunity of ¥6,000.
    const conversion = await convertLead(page, { id: saved.id, company: lead.company }, "6000", { converted: "x04-converted" });
    ids.customer = conversion.customerId;

    // The board: from the first stage to the second and the third; the weighted sums follow the stages' odds.
    await page.getByTestId("nav-opportunities").click();
    await page.waitForURL("**/opportunities");
    const card = () => page.getByTestId(`board-card-${deal}`);
    await column(stages.first).getByTestId(`board-card-${deal}`).waitFor();
    await column(stages.first).getByTestId("board-sums").getByText("¥6,000.00 · 加权 ¥600.00").waitFor();
    const second = await dragCard(page, card(), column(stages.second));
    expect(second.status, second.body).toBe(200);
    await column(stages.second).getByTestId("board-sums").getByText("¥6,000.00 · 加权 ¥1,800.00").waitFor();
    const third = await dragCard(page, card(), column(stages.third));
    expect(third.status, third.body).toBe(200);
    await column(stages.third).getByTestId(`board-card-${deal}`).waitFor();
    await column(stages.third).getByTestId("board-sums").getByText("¥6,000.00 · 加权 ¥3,600.00").waitFor();
    await expect(column(stages.second).getByTestId(`board-card-${deal}`).count()).resolves.toBe(0);
    await shot(page, "x05-board");

    // The customer gets a credit limit of ¥1,000 (财务信息).
    await page.goto(`${server.url}/customers/${ids.customer}`);
    await expect(page.getByTestId("customer-title").textContent()).resolves.toBe(lead.company);
    await page.getByTestId("customer-edit").click();
    const customerDrawer = page.getByTestId("customer-drawer");
    await customerDrawer.getByRole("tab", { name: "财务信息" }).click();
    await customerDrawer.locator("#customer_creditLimit").fill("1000");
    const customerSaved = responseOf(page, `/api/v1/customers/${ids.customer}`, "PATCH");
    await page.getByTestId("customer-submit").click();
    const customerRes = await customerSaved;
    expect(customerRes.status(), await customerRes.text()).toBe(200);
    expect(((await customerRes.json()) as { creditLimit: string }).creditLimit).toBe("1000.00");
    await customerDrawer.waitFor({ state: "hidden" });
    await page.getByTestId("customer-tab-orders").click();
    await page.getByTestId("credit-limit").getByText("¥1,000.00").waitFor();
  });

  it("the rep quotes ten printers and their installation with a PDF, changes the sent quote and accepts it into an order that goes to approval", async () => {
    await page.getByTestId("nav-quotes").click();
    await page.waitForURL("**/quotes");
    await page.getByTestId("quote-create").click();
    await page.waitForURL("**/quotes/new");
    await pick(page, "quote-customer", "明远", lead.company);
    await pick(page, "quote-line-product-0", product.sku, `${product.name} (${product.sku})`);
    await page.getByTestId("quote-line-quantity-0").fill("10");
    // No unit price typed: the server prices the line at the product's list price.
    await page.getByTestId("quote-line-add").click();
    await page.getByTestId("quote-line-name-1").fill("安装调试服务");
    await page.getByTestId("quote-line-quantity-1").fill("1");
    await page.getByTestId("quote-line-price-1").fill("1000");
    await page.getByTestId("quote-line-discount-1").fill("0");
    await page.getByTestId("quote-line-tax-1").fill("6");
    // The typed line is estimated with the server's arithmetic; the total waits for the printers' price.
    await page.getByTestId("quote-lines").getByText("¥1,060.00").waitFor();
    await page.getByTestId("quote-preview-total").getByText("部分明细的单价将在保存时确定").waitFor();
    await page.getByTestId("quote-payment-terms").fill("签约后 10 日内付 2,000 元，余款验收后 30 日内付清");
    await shot(page, "x06-quote-form");
    const quoteCreated = responseOf(page, "/api/v1/quotes", "POST");
    await page.getByTestId("quote-save").click();
    const quoteRes = await quoteCreated;
    expect(quoteRes.status(), await quoteRes.text()).toBe(201);
    const quote = (await quoteRes.json()) as { id: string; total: string; lines: { unitPrice: string }[] };
    expect(quote.total).toBe("6710.00");
    expect(quote.lines.map((l) => l.unitPrice)).toEqual(["500.0000", "1000.0000"]);
    ids.quote = quote.id;
    await page.waitForURL(`**/quotes/${quote.id}`);
    await page.getByTestId("quote-total").getByText("¥6,710.00").waitFor();
    await page.getByTestId("quote-status").getByText("草稿").waitFor();

    // Its PDF: the link the page opens answers a PDF.
    const href = await page.getByTestId("quote-pdf-open").getAttribute("href");
    expect(href).toMatch(new RegExp(`^/api/v1/quotes/${quote.id}/pdf\\?revision=1&lang=zh-CN$`));
    const pdf = await page.request.get(`${server.url}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

    // Sent (no SMTP here: the mail goes to the log), changed after sending (V2, V1 kept as sent), sent again.
    const send = async () => {
      await page.getByTestId("quote-send").click();
      await page.getByTestId("quote-send-to").fill("buyer@mingyuan.example.com");
      await page.getByTestId("quote-send-message").fill("请查收报价单。");
      const sent = responseOf(page, `/api/v1/quotes/${quote.id}/send`, "POST");
      await page.getByTestId("quote-send-submit").click();
      const sentRes = await sent;
      expect(sentRes.status(), await sentRes.text()).toBe(200);
      await page.getByTestId("quote-status").getByText("已发送").waitFor();
    };
    await send();
    await page.getByTestId("quote-edit").click();
    await page.waitForURL(`**/quotes/${quote.id}/edit`);
    await page.getByTestId("quote-new-revision-note").getByText("将生成第 2 版").waitFor();
    await page.getByTestId("quote-delivery-terms").fill("送货上门，含一年质保");
    const revised = responseOf(page, `/api/v1/quotes/${quote.id}`, "PATCH");
    await page.getByTestId("quote-save").click();
    const revisedRes = await revised;
    expect(revisedRes.status(), await revisedRes.text()).toBe(200);
    expect(await revisedRes.json()).toMatchObject({ revision: 2, total: "6710.00" });
    await page.waitForURL(`**/quotes/${quote.id}`);
    await page.getByTestId("quote-status").getByText("草稿").waitFor();
    await page.getByTestId("quote-revision-1").click();
    await page.getByTestId("quote-old-revision").getByText("发送给 buyer@mingyuan.example.com").waitFor();
    await expect(page.getByTestId("quote-pdf-open").getAttribute("href")).resolves.toContain("revision=1");
    await page.getByTestId("quote-revision-2").click();
    await page.getByTestId("quote-old-revision").waitFor({ state: "detached" });
    await send();
    await shot(page, "x07-quote-sent-v2");

    // Accepted: a draft order of ¥6,710.00.
    await page.getByTestId("quote-accept").click();
    const accepted = responseOf(page, `/api/v1/quotes/${quote.id}/accept`, "POST");
    await page.getByTestId("quote-accept-confirm").click();
    const acceptedRes = await accepted;
    expect(acceptedRes.status(), await acceptedRes.text()).toBe(200);
    ids.order = ((await acceptedRes.json()) as { orderId: string }).orderId;
    await page.waitForURL(`**/orders/${ids.order}`);
    await page.getByTestId("order-total").getByText("¥6,710.00").waitFor();
    await page.getByTestId("order-status").getByText("草稿").waitFor();
    const draft = (await (await page.request.get(`${server.url}/api/v1/orders/${ids.order}`)).json()) as { number: string; ownerId: string; total: string };
    expect(draft).toMatchObject({ ownerId: ids.rep, total: "6710.00" });
    ids.orderNumber = draft.number;
    await page.getByTestId("order-number").getByText(ids.orderNumber).waitFor();

    // The draft gets a delivery address; the form shows the customer's credit: ¥1,000.00 available.
    await page.getByTestId("order-edit").click();
    await page.waitForURL(`**/orders/${ids.order}/edit`);
    await page.getByTestId("credit-available").getByText("¥1,000.00").waitFor();
    await page.locator("#order_address").fill(address);
    const edited = responseOf(page, `/api/v1/orders/${ids.order}`, "PATCH");
    await page.getByTestId("order-save").click();
    const editedRes = await edited;
    expect(editedRes.status(), await editedRes.text()).toBe(200);
    expect(((await editedRes.json()) as { total: string }).total).toBe("6710.00");
    await page.waitForURL(`**/orders/${ids.order}`);
    await page.getByTestId("order-delivery-address").getByText(address, { exact: false }).waitFor();

    // Submitted: over the credit limit, so it waits for approval and says by how much.
    await page.getByTestId("order-submit").click();
    const submitted = responseOf(page, `/api/v1/orders/${ids.order}/submit`, "POST");
    await page.getByTestId("order-submit-confirm").click();
    const submitRes = await submitted;
    expect(submitRes.status(), await submitRes.text()).toBe(200);
    expect(((await submitRes.json()) as { status: string }).status).toBe("pending_approval");
    await page.getByTestId("order-status").getByText("待审批").waitFor();
    await page.getByTestId("order-pending-approval").waitFor();
    const why = page.getByTestId("credit-check-credit_limit");
    await why.waitFor();
    await expect(why.textContent()).resolves.toBe("信用额度：应收 ¥0.00 + 本单 ¥6,710.00 = ¥6,710.00，额度 ¥1,000.00，超出 ¥5,710.00");

    // A follow-up for today on the order.
    await page.getByTestId("record-task-create").click();
    await page.getByTestId("task-title").fill(`跟进审批：${ids.orderNumber}`);
    await typeDate(page, "task-due", `${day(0)} 23:55`);
    await expect(page.getByTestId("task-due").inputValue()).resolves.toBe(`${day(0)} 23:55`);
    const taskCreated = responseOf(page, "/api/v1/tasks", "POST");
    await page.getByTestId("task-form-submit").click();
    const taskRes = await taskCreated;
    expect(taskRes.status(), await taskRes.text()).toBe(201);
    expect(await taskRes.json()).toMatchObject({ assigneeId: ids.rep, objectType: "order", objectId: ids.order });
    await page.getByTestId("record-tasks").getByText(`跟进审批：${ids.orderNumber}`).waitFor();
    await shot(page, "x08-order-pending");
    await signOut(page);
  });

  it("the owner approves the order from the inbox, in English", async () => {
    await signIn(page, owner);
    await switchLanguage(page, "en-US");
    await page.getByTestId("nav-approvals").getByText("Approvals").waitFor();
    await page.getByTestId("nav-approvals").click();
    await page.waitForURL("**/approvals");
    const request = page.getByTestId("approvals-inbox-table").getByTestId("approval-link").filter({ hasText: ids.orderNumber });
    await request.waitFor();
    await shot(page, "x09-inbox");
    await request.click();
    await page.getByTestId("approval-title").waitFor();
    await page.getByTestId("credit-check-credit_limit").getByText("over by ¥5,710.00").waitFor();
    await page.getByTestId("approval-comment").fill("Long-standing customer, approved once.");
    const approved = responseOf(page, /^\/api\/v1\/approvals\/[^/]+\/approve$/, "POST");
    await page.getByTestId("approval-approve").click();
    const approvedRes = await approved;
    expect(approvedRes.status(), await approvedRes.text()).toBe(200);
    await page.getByTestId("approval-status").getByText("Approved").waitFor();
    await page.getByTestId("approval-history").getByText("Long-standing customer, approved once.").waitFor();
    await shot(page, "x10-approved");

    await page.getByTestId("approval-order-link").click();
    await page.waitForURL(`**/orders/${ids.order}`);
    await page.getByTestId("order-status").getByText("Approved").waitFor();
    await expect(page.getByTestId("order-status").getAttribute("data-status")).resolves.toBe("approved");
    await page.getByTestId("order-deliver").waitFor();
  });

  it("the owner plans two instalments and records two payments until the customer owes nothing", async () => {
    // A plan that does not add up is refused with the server's words; then ¥2,000 (10 days overdue) + ¥4,710.
    const plan = page.getByTestId("plan-table");
    await page.getByTestId("plan-edit").click();
    await typeDate(page, "plan-due-0", day(-10));
    await page.getByTestId("plan-amount-0").fill("2000");
    await page.getByTestId("plan-add").click();
    await typeDate(page, "plan-due-1", day(20));
    await page.getByTestId("plan-amount-1").fill("4000");
    const refused = responseOf(page, `/api/v1/orders/${ids.order}/payment-plan`, "PUT");
    await page.getByTestId("plan-save").click();
    expect((await refused).status()).toBe(400);
    await page.getByTestId("plan-error").getByText("The instalments add up to 6000.00, the order total is 6710.00").waitFor();
    await page.getByTestId("plan-amount-1").fill("4710");
    const planned = responseOf(page, `/api/v1/orders/${ids.order}/payment-plan`, "PUT");
    await page.getByTestId("plan-save").click();
    const planRes = await planned;
    expect(planRes.status(), await planRes.text()).toBe(200);
    await plan.getByText("Overdue · 10 d").waitFor();
    await expect(page.getByTestId("order-payment-status").getAttribute("data-status")).resolves.toBe("unpaid");
    await shot(page, "x11-order-plan");

    // The receivables ageing: ¥2,000.00 overdue, ¥4,710.00 not yet due.
    await page.getByTestId("nav-payments").click();
    await page.waitForURL("**/payments");
    await page.getByTestId("payments-tab-receivables").click();
    await page.waitForURL("**/payments/receivables");
    const owed = page.getByTestId(`receivables-row-${lead.company}`);
    await owed.getByText("¥2,000.00").waitFor();
    await owed.getByText("¥4,710.00").waitFor();
    await owed.getByTestId("receivables-customer-total").getByText("¥6,710.00").waitFor();
    await page.getByTestId("receivables-total").getByText("¥6,710.00").waitFor();
    await shot(page, "x12-receivables");

    // The first payment from the order page, matched to this order.
    await page.goto(`${server.url}/orders/${ids.order}`);
    await page.getByTestId("order-record-payment").click();
    const drawer = page.getByTestId("payment-drawer");
    await drawer.getByTestId("payment-allocated").getByText("¥6,710.00").waitFor();
    await drawer.getByTestId("payment-alloc-amount-0").fill("2000");
    await drawer.getByTestId("payment-reference").fill("CMB20260001");
    await drawer.getByTestId("payment-allocated").getByText("¥2,000.00").waitFor();
    const firstPaid = responseOf(page, "/api/v1/payments", "POST");
    await page.getByTestId("payment-submit").click();
    const firstRes = await firstPaid;
    expect(firstRes.status(), await firstRes.text()).toBe(201);
    const first = (await firstRes.json()) as { number: string; receivedOn: string; allocations: { orderId: string; amount: string }[] };
    expect(first.allocations).toEqual([expect.objectContaining({ orderId: ids.order, amount: "2000.00" })]);
    expect(first.receivedOn).toBe(day(0));
    await page.getByTestId("order-payment-status").getByText("Partly paid").waitFor();
    await page.getByTestId("plan-table").locator('[data-testid="instalment-status"][data-status="paid"]').waitFor();
    await page.getByTestId("order-payments").getByTestId(`payment-row-${first.number}`).waitFor();

    // The second from the payments page, oldest orders first; the same bank reference again is refused.
    await page.getByTestId("nav-payments").click();
    await page.waitForURL("**/payments");
    await page.getByTestId(`payment-row-${first.number}`).waitFor();
    await page.getByTestId("payment-record").click();
    await pick(page, "payment-customer", "明远", lead.company);
    await drawer.getByTestId("payment-due-hint").getByText("¥4,710.00").waitFor();
    await drawer.getByTestId("payment-amount").fill("4710");
    await drawer.getByTestId("payment-reference").fill("CMB20260001");
    const duplicate = responseOf(page, "/api/v1/payments", "POST");
    await page.getByTestId("payment-submit").click();
    expect((await duplicate).status()).toBe(409);
    await drawer.getByText("This bank reference was already recorded").waitFor();
    await drawer.getByTestId("payment-reference").fill("CMB20260002");
    const secondPaid = responseOf(page, "/api/v1/payments", "POST");
    await page.getByTestId("payment-submit").click();
    const secondRes = await secondPaid;
    expect(secondRes.status(), await secondRes.text()).toBe(201);
    const second = (await secondRes.json()) as { number: string; allocations: { orderId: string; amount: string }[] };
    expect(second.allocations).toEqual([expect.objectContaining({ orderId: ids.order, amount: "4710.00" })]);
    await page.getByTestId(`payment-row-${second.number}`).waitFor();
    await page.getByTestId("payments-table").getByText(ids.orderNumber).first().waitFor();
    await shot(page, "x13-payments");

    // The order is paid, both instalments settled; the customer owes nothing.
    await page.goto(`${server.url}/orders/${ids.order}`);
    await page.getByTestId("order-payment-status").getByText("Paid", { exact: true }).waitFor();
    await expect(page.getByTestId("order-payment-status").getAttribute("data-status")).resolves.toBe("paid");
    await expect(plan.getByTestId("instalment-status").evaluateAll((tags) => tags.map((t) => t.getAttribute("data-status")))).resolves.toEqual(["paid", "paid"]);
    await page.getByTestId("nav-payments").click();
    await page.getByTestId("payments-tab-receivables").click();
    await page.waitForURL("**/payments/receivables");
    await page.getByTestId("receivables-total").getByText("¥0.00").waitFor();
    await expect(page.getByTestId(`receivables-row-${lead.company}`).count()).resolves.toBe(0);
    await page.getByTestId("receivables-table").getByText("Nothing is owed").waitFor();
    await shot(page, "x14-receivables-cleared");

    // The customer's payment record and the accepted quote.
    await page.goto(`${server.url}/customers/${ids.customer}`);
    await page.getByTestId("customer-tab-payments").click();
    await page.getByTestId("customer-payments").getByTestId(`payment-row-${second.number}`).waitFor();
    await page.getByTestId("customer-payment-record").getByText("Paid late").waitFor();
    await page.goto(`${server.url}/quotes/${ids.quote}`);
    await page.getByTestId("quote-status").getByText("Accepted").waitFor();
    await page.getByTestId("quote-order-link").waitFor();
    await signOut(page);
  });

  it("the rep sees the month: target progress, the sales dashboard and the follow-up in the calendar", async () => {
    await signIn(page, rep);
    // The rep's own language again.
    await page.getByTestId("nav-targets").getByText("业绩目标").waitFor();

    // Orders: ¥6,710.00 of ¥10,000 = 67.1 %; payments: ¥6,710.00 of ¥8,000 = 83.875 %, shown to one decimal: 83.9 %.
    await page.getByTestId("nav-targets").click();
    await page.waitForURL("**/targets");
    await targetRow().getByText("10,000.00").waitFor();
    await expect(targetRow().getByTestId("target-actual").textContent()).resolves.toBe("6,710.00");
    await expect(targetRow().getByTestId("target-attainment").textContent()).resolves.toBe("67.1%");
    await shot(page, "x15-target-orders");
    await choose(page, "target-metric", "回款金额");
    await targetRow().getByText("8,000.00").waitFor();
    await expect(targetRow().getByTestId("target-actual").textContent()).resolves.toBe("6,710.00");
    await expect(targetRow().getByTestId("target-attainment").textContent()).resolves.toBe("83.9%");
    await shot(page, "x16-target-payments");

    // The sales dashboard (this year to today, the rep's own records): the same order and payments, nothing owed.
    await page.getByTestId("nav-sales").click();
    await page.waitForURL("**/sales");
    const orders = page.getByTestId("sales-orders");
    await orders.getByText("¥6,710.00").waitFor();
    await orders.getByText("1 张订单").waitFor();
    await page.getByTestId("sales-payments").getByText("¥6,710.00").waitFor();
    await page.getByTestId("sales-receivables").getByText("¥0.00", { exact: true }).waitFor();
    const attainment = page.getByTestId(`sales-target-${ids.rep}`);
    await attainment.filter({ hasText: "订单金额" }).getByText("67.1%").waitFor();
    await attainment.filter({ hasText: "回款金额" }).getByText("83.9%").waitFor();
    await shot(page, "x17-sales-dashboard");

    // The follow-up left on the order, on today's date in the task calendar and in the day's list below it.
    await page.getByTestId("nav-tasks").click();
    await page.waitForURL("**/tasks");
    await page.getByTestId("tasks-view").getByText("日历").click();
    // (antd's Calendar does not pass a data-testid on: its card has one.)
    const today = page.getByTestId("tasks-calendar-month").locator(`td[title="${day(0)}"]`);
    await today.getByTestId("calendar-task").filter({ hasText: `23:55 跟进审批：${ids.orderNumber}` }).waitFor();
    await page.getByTestId("calendar-day").getByText(`跟进审批：${ids.orderNumber}`).waitFor();
    await page.getByTestId("calendar-day").getByText(`${day(0).replaceAll("-", "/")} 23:55`).waitFor();
    await shot(page, "x18-task-calendar");
  });
});
