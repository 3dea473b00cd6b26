import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { convertLead, createLead, dragCard, setUpWorkspace, shot, switchLanguage, useGuanxi } from "./actions.js";
import type { RunningGuanxi } from "./server.js";

/**
 * The lead-to-deal journey: the owner creates a lead in Chinese and converts it
 * into a customer (named after the lead's company), a contact and an
 * opportunity of ¥80,000; on the kanban board the card is dragged with the
 * mouse across two stages, and the column sums follow. In English, a stage
 * that requires an expected close date refuses the next drag with the server's
 * message and the card stays where it was; the opportunity's stage history
 * shows both moves. A second lead of the same company meets the duplicate
 * check on converting and is converted onto the existing customer.
 * Screenshots go to test-results/screenshots/.
 */

const owner = { name: "韩梅梅", email: "owner@example.com", password: "correct-horse-battery" };
const lead = { name: "李雷", company: "杭州青禾科技有限公司", phone: "13912345678" };
const deal = `${lead.company} 项目`;
// The default pipeline of a Chinese workspace (opportunities/pipelines.ts).
const stages = { first: "初步接洽", second: "需求确认", third: "方案报价", fourth: "谈判审核" };

const g = useGuanxi({ viewport: { width: 1600, height: 900 } });
let server: RunningGuanxi;
let page: Page;

const column = (stage: string) => page.getByTestId(`board-column-${stage}`);
const card = () => page.getByTestId(`board-card-${deal}`);
const dragTo = (stage: string) => dragCard(page, card(), column(stage));

describe("leads", () => {
  beforeAll(() => {
    ({ page, server } = g);
  });

  it("converts a lead and drags its opportunity across the board", async () => {
    // 1. A workspace (its set-up screen is first-run's).
    await setUpWorkspace(g, "青禾测试", owner);
    await page.goto(`${server.url}/`);
    await page.getByTestId("dashboard-welcome").waitFor();

    // 2. A lead, kept by its creator.
    const saved = await createLead(page, { ...lead, campaign: "2025 春季展会" }, "l01-lead-create");
    expect(saved.ownerId).not.toBeNull();
    expect(saved.phone).toBe("+8613912345678");

    // 3. Converted: customer named after the company, a contact, an opportunity of ¥80,000.
    const conversion = await convertLead(page, { id: saved.id, company: lead.company }, "80000", { form: "l02-convert", converted: "l03-converted" });

    // 4. The board: the card in the first stage, dragged to the second and on to the third.
    await page.getByTestId("nav-opportunities").click();
    await page.waitForURL("**/opportunities");
    await column(stages.first).getByTestId(`board-card-${deal}`).waitFor();
    await column(stages.first).getByTestId("board-sums").getByText("¥80,000.00 · 加权 ¥8,000.00").waitFor();
    await shot(page, "l04-board");

    const first = await dragTo(stages.second);
    expect(first.status, first.body).toBe(200);
    await column(stages.second).getByTestId(`board-card-${deal}`).waitFor();
    await column(stages.second).getByTestId("board-sums").getByText("加权 ¥24,000.00").waitFor();
    const second = await dragTo(stages.third);
    expect(second.status, second.body).toBe(200);
    await column(stages.third).getByTestId(`board-card-${deal}`).waitFor();
    await column(stages.third).getByTestId("board-sums").getByText("¥80,000.00 · 加权 ¥48,000.00").waitFor();
    await expect(column(stages.second).getByTestId(`board-card-${deal}`).count()).resolves.toBe(0);
    await shot(page, "l05-board-moved");

    // 5. In English: the next stage requires an expected close date, which the deal lacks.
    const pipelines = (await (await page.request.get(`${server.url}/api/v1/pipelines`)).json()) as {
      items: { id: string; version: number; stages: { id: string; name: string; probability: number; kind: string; requiredFields: string[] }[] }[];
    };
    const pipeline = pipelines.items[0]!;
    const patched = await page.request.patch(`${server.url}/api/v1/pipelines/${pipeline.id}`, {
      data: {
        version: pipeline.version,
        stages: pipeline.stages.map(({ id, name, probability, kind, requiredFields }) => ({ id, name, probability, kind, requiredFields: name === stages.fourth ? ["expectedClose"] : requiredFields })),
      },
    });
    expect(patched.status(), await patched.text()).toBe(200);
    await switchLanguage(page, "en-US");
    await page.getByTestId("nav-opportunities").getByText("Opportunities").waitFor();
    await page.reload();
    await column(stages.third).getByTestId(`board-card-${deal}`).waitFor();
    const refused = await dragTo(stages.fourth);
    expect(refused.status, refused.body).toBe(400);
    await page.locator(".ant-message-notice").getByText(`The stage “${stages.fourth}” requires: expected close date`).waitFor();
    await column(stages.third).getByTestId(`board-card-${deal}`).waitFor();
    await expect(column(stages.fourth).getByTestId(`board-card-${deal}`).count()).resolves.toBe(0);
    await shot(page, "l06-board-refused");

    // 6. The stage history shows both moves.
    await card().getByRole("link", { name: deal }).click();
    await page.waitForURL(`**/opportunities/${conversion.opportunityId}`);
    const history = page.getByTestId("opportunity-history");
    await history.getByText("Stage history").waitFor();
    for (const stage of [stages.first, stages.second, stages.third]) await history.getByTestId(`history-row-${stage}`).waitFor();
    await expect(history.locator("tbody tr[data-testid^='history-row-']").count()).resolves.toBe(3);
    await expect(history.getByTestId("history-days").first().textContent()).resolves.toMatch(/^\d+(\.\d)? d$/);
    await page.getByTestId("opportunity-stage").getByText(stages.third).waitFor();
    await page.getByTestId("opportunity-amount").getByText("¥80,000.00").waitFor();
    await shot(page, "l07-opportunity");

    // 7. A second lead from the same company: the duplicate check finds the customer, and the lead is converted onto it.
    const secondRes = await page.request.post(`${server.url}/api/v1/leads`, { data: { name: "Lily Han", company: lead.company, email: "lily@qinghe.example" } });
    expect(secondRes.status(), await secondRes.text()).toBe(201);
    const secondLead = (await secondRes.json()) as { id: string };
    await page.goto(`${server.url}/leads/${secondLead.id}`);
    await page.getByTestId("lead-convert").click();
    const again = page.getByTestId("convert-modal");
    await again.getByTestId("convert-with-opportunity").click();
    const refusedConvert = page.waitForResponse((r) => r.url().endsWith(`/api/v1/leads/${secondLead.id}/convert`));
    await again.getByTestId("convert-submit").click();
    expect((await refusedConvert).status()).toBe(409);
    const duplicate = again.getByTestId(`convert-duplicate-${conversion.customerId}`);
    await duplicate.waitFor();
    await shot(page, "l08-convert-duplicate");
    const onto = page.waitForResponse((r) => r.url().endsWith(`/api/v1/leads/${secondLead.id}/convert`));
    await duplicate.getByTestId("convert-onto-existing").click();
    const ontoRes = await onto;
    expect(ontoRes.status(), await ontoRes.text()).toBe(200);
    expect(((await ontoRes.json()) as { customerId: string }).customerId).toBe(conversion.customerId);
    await again.getByText("Converted onto an existing customer").waitFor();
    await expect(again.getByTestId("convert-customer-link").getAttribute("href")).resolves.toBe(`/customers/${conversion.customerId}`);
    await again.getByTestId("convert-done").click();

    // 8. The list views and the settings pages.
    await page.getByTestId("nav-leads").click();
    await page.getByTestId("lead-scope-all").click();
    await page.getByTestId("lead-row-Lily Han").waitFor();
    await page.getByTestId("lead-scope-pool").click();
    await page.getByText("The lead pool is empty").waitFor();
    await page.getByTestId("lead-settings").click();
    await page.waitForURL("**/leads/settings");
    await page.getByTestId("lead-rules").getByText("No assignment rules", { exact: false }).waitFor();
    await page.getByTestId("lead-pool-settings").getByTestId("lead-pool-settings-save").waitFor();
    await shot(page, "l09-lead-settings");
    await page.getByTestId("nav-opportunities").click();
    await page.getByTestId("opportunity-view").getByText("List").click();
    await page.getByTestId(`opportunity-row-${deal}`).getByText(stages.third).waitFor();
    await page.getByTestId("pipeline-settings").click();
    await page.waitForURL("**/opportunities/pipelines");
    await page.getByTestId("pipeline-销售流程").getByText("Expected close", { exact: true }).waitFor();
    await shot(page, "l10-pipelines");
  });
});
