import { describe, expect, it } from "vitest";
import { createUser, pick, setUpWorkspace, shot, signIn, signOut, useGuanxi } from "./actions.js";

/**
 * The customer journey in Chinese: an owner (workspace set up through the API)
 * with a sales colleague enters a company with two contacts, logs a visit with
 * its cost and next follow-up, finds the follow-up in 我的任务 and the company
 * by its pinyin initials, releases it to the public pool (公海); the colleague
 * sees it there with its phone masked, claims it and sees the phone in full.
 * Screenshots of every step go to test-results/screenshots/.
 */

const owner = { name: "王小明", email: "owner@example.com", password: "correct-horse-battery" };
const sales = { name: "赵销售", email: "sales@example.com", password: "another-long-secret" };
const company = { name: "北京元石科技有限公司", phone: "13800138000", shown: "138 0013 8000" };
const contacts = [
  { name: "张三", phone: "13900139000", title: "采购经理" },
  { name: "李四", phone: "13700137000", title: "技术总监" },
];

const g = useGuanxi({ viewport: { width: 1280, height: 800 } });

/** Adds a contact from the customer's 360° page and waits until the contacts tab lists it. */
async function addContact(c: { name: string; phone: string; title: string }): Promise<void> {
  const { page } = g;
  await page.getByTestId("customer-add-contact").click();
  const drawer = page.getByTestId("contact-drawer");
  await drawer.getByTestId("contact-name").fill(c.name);
  await drawer.getByTestId("contact-title").fill(c.title);
  await drawer.getByTestId("phones-0").fill(c.phone);
  const saved = page.waitForResponse((r) => r.url().endsWith("/api/v1/contacts") && r.request().method() === "POST");
  await page.getByTestId("contact-submit").click();
  expect((await saved).status()).toBe(201);
  await page.getByTestId("customer-contacts").getByRole("link", { name: c.name, exact: true }).waitFor();
}

describe("customers", () => {
  it("enters a company, logs a visit, pools it, and a colleague claims it", async () => {
    // 1. A workspace without demo data, and a sales colleague (the set-up and user screens are first-run's).
    const { page, server } = g;
    await setUpWorkspace(g, "元石测试", owner);
    await createUser(g, sales, "sales");
    await page.goto(`${server.url}/`);
    await page.getByTestId("dashboard-welcome").waitFor();

    // 2. The company, as the owner.
    await page.getByTestId("nav-customers").click();
    await page.waitForURL("**/customers");
    await page.getByTestId("customer-create").click();
    const drawer = page.getByTestId("customer-drawer");
    await drawer.getByTestId("customer-name").fill(company.name);
    await drawer.getByTestId("phones-0").fill(company.phone);
    await shot(page, "c01-customer-create");
    const created = page.waitForResponse((r) => r.url().endsWith("/api/v1/customers") && r.request().method() === "POST");
    await page.getByTestId("customer-submit").click();
    const createdRes = await created;
    expect(createdRes.status()).toBe(201);
    const customer = (await createdRes.json()) as { id: string; code: string; name: string };
    expect(customer.name).toBe(company.name);
    await page.waitForURL(`**/customers/${customer.id}`);
    await expect(page.getByTestId("customer-title").textContent()).resolves.toBe(company.name);
    await expect(page.getByTestId("customer-profile").getByTestId("phone-link").first().textContent()).resolves.toBe(company.shown);

    // Two contacts.
    await page.getByTestId("customer-tabs").getByRole("tab", { name: /联系人/ }).click();
    for (const c of contacts) await addContact(c);
    await page.getByTestId("customer-tabs").getByRole("tab", { name: "联系人 2" }).waitFor();

    // 3. A visit with its place, cost and next follow-up.
    await page.getByTestId("customer-tab-timeline").click();
    await page.getByTestId("timeline").getByText("还没有跟进记录").waitFor();
    await page.getByTestId("timeline-log").click();
    const form = page.getByTestId("activity-drawer");
    await form.getByTestId("activity-kind-visit").click();
    await form.getByTestId("activity-place").fill("北京市海淀区中关村大街 1 号");
    await form.getByTestId("activity-subject").fill("上门演示新版系统");
    await form.getByTestId("activity-summary").fill("张三对报表功能很感兴趣，希望下周看报价。");
    await pick(page, "activity-contacts", "张三", "张三");
    await page.keyboard.press("Escape");
    await form.getByTestId("activity-cost").fill("1280.5");
    const nextFollowUp = new Date(Date.now() + 3 * 86_400_000);
    const pad = (n: number) => String(n).padStart(2, "0");
    const nextText = `${nextFollowUp.getFullYear()}-${pad(nextFollowUp.getMonth() + 1)}-${pad(nextFollowUp.getDate())} 10:00`;
    await form.getByTestId("activity-next-follow-up").click();
    await form.getByTestId("activity-next-follow-up").fill(nextText);
    await page.keyboard.press("Enter");
    await expect(form.getByTestId("activity-next-follow-up").inputValue()).resolves.toBe(nextText);
    // The form says that the follow-up becomes a task.
    await form.getByText("中为你创建一条跟进任务").waitFor();
    await shot(page, "c02-log-visit");
    const logged = page.waitForResponse((r) => r.url().endsWith("/api/v1/activities") && r.request().method() === "POST");
    await page.getByTestId("activity-submit").click();
    const loggedRes = await logged;
    expect(loggedRes.status(), await loggedRes.text()).toBe(201);
    await form.waitFor({ state: "hidden" });

    const entry = page.getByTestId("timeline-entry").first();
    await entry.getByText("上门演示新版系统").waitFor();
    await expect(entry.getAttribute("data-kind")).resolves.toBe("visit");
    await expect(entry.getByTestId("timeline-entry-place").textContent()).resolves.toContain("中关村大街 1 号");
    await expect(entry.getByTestId("timeline-entry-cost").textContent()).resolves.toContain("¥1,280.50");
    await expect(entry.textContent()).resolves.toContain("参与人：张三");
    await expect(entry.getByTestId("timeline-entry-next").textContent()).resolves.toContain("下次跟进");
    // The summary: one interaction, ¥1,280.50 invested.
    await page.getByTestId("timeline-cost-total").getByText("¥1,280.50").waitFor();
    await shot(page, "c03-timeline");

    // 4. The follow-up is in 我的任务.
    await page.getByTestId("nav-tasks").click();
    await page.waitForURL("**/tasks");
    const task = page.getByTestId("task-item").filter({ hasText: `跟进：${company.name}` });
    await task.waitFor();
    await expect(task.getAttribute("data-overdue")).resolves.toBe("false");
    await expect(task.getByTestId("task-due").textContent()).resolves.toContain("10:00");
    await shot(page, "c04-my-tasks");

    // 5. The top-bar search finds the company by its pinyin initials, and the contact by hers.
    const search = page.getByTestId("global-search-input");
    await search.fill("zs");
    await page.getByTestId("search-result-contact").filter({ hasText: "张三" }).waitFor();
    await search.fill("bjys");
    const hit = page.getByTestId("search-result-customer").filter({ hasText: company.name });
    await hit.waitFor();
    await shot(page, "c05-search-initials");
    await hit.click();
    await page.waitForURL(`**/customers/${customer.id}`);
    await page.getByTestId("customer-title").waitFor();

    // 6. Into the public pool.
    await page.getByTestId("customer-release").click();
    await page.getByTestId("release-reason").fill("客户预算冻结，暂不跟进");
    await shot(page, "c06-release");
    const released = page.waitForResponse((r) => r.url().endsWith(`/api/v1/customers/${customer.id}/release`));
    await page.getByTestId("release-submit").click();
    expect((await released).status()).toBe(204);
    await page.getByTestId("customer-owner-line").getByText("公海", { exact: true }).waitFor();
    await expect(page.getByTestId("customer-release").count()).resolves.toBe(0);

    // 7. The colleague finds it in 公海 with the phone masked, and claims it.
    await signOut(page);
    await signIn(page, sales);
    await page.getByTestId("nav-pool").click();
    await page.waitForURL("**/pool");
    const row = page.getByTestId(`pool-row-${customer.code}`);
    await row.waitFor();
    const masked = await row.getByTestId("contact-point-masked").textContent();
    expect(masked).toContain("****");
    expect(masked).toContain("8000");
    expect(masked).not.toContain("0013");
    await expect(row.getByTestId("phone-link").count()).resolves.toBe(0);
    await shot(page, "c07-pool-masked");
    const claimed = page.waitForResponse((r) => r.url().endsWith(`/api/v1/customers/${customer.id}/claim`));
    await row.getByTestId(`claim-${customer.code}`).click();
    expect((await claimed).status()).toBe(200);
    await row.waitFor({ state: "detached" });

    // 8. Now theirs: the 360° page shows the phone in full.
    await page.getByTestId("nav-customers").click();
    await page.getByTestId(`customer-link-${customer.code}`).click();
    await page.waitForURL(`**/customers/${customer.id}`);
    await page.getByTestId("customer-owner-line").getByText(`负责人：${sales.name}`).waitFor();
    await expect(page.getByTestId("customer-profile").getByTestId("phone-link").first().textContent()).resolves.toBe(company.shown);
    await expect(page.getByTestId("customer-profile").getByTestId("contact-point-masked").count()).resolves.toBe(0);
    await shot(page, "c08-claimed-360");

    // 9. The same at phone width: the timeline and the pool.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId("customer-tab-timeline").click();
    await page.getByTestId("timeline-cost-total").getByText("¥1,280.50").waitFor();
    await shot(page, "c09-timeline-phone");
    await page.getByTestId("open-nav").click();
    await page.getByTestId("nav-pool").click();
    await page.waitForURL("**/pool");
    await page.getByTestId("pool-table").getByText("公海里没有客户").waitFor();
    await shot(page, "c10-pool-phone");
  });
});
