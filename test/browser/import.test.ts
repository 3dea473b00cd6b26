import { readFileSync } from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { pick, setUpWorkspace, useGuanxi } from "./actions.js";
import { screenshot, settledPage } from "./browser.js";
import type { RunningGuanxi } from "./server.js";

/**
 * The import journey in Chinese: the GB18030 CSV that Excel (China) saves is
 * uploaded as customers, previewed with its encoding, mapped automatically
 * (客户名称 → 客户名称 …) with one column changed by hand, dry-run (counts),
 * run to the end, and the five customers are in the list; the same file again
 * skips every row; a file with bad rows gives the problem rows and an Excel
 * error report with the messages; the first import is undone; a file over the
 * upload limit is refused. Screenshots go to test-results/screenshots/.
 */

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/import");
const owner = { name: "王小明", email: "owner@example.com", password: "correct-horse-battery" };

// A small upload limit, so the refusal of a large file can be seen.
const g = useGuanxi({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, env: { GUANXI_IMPORT_LIMIT_MB: "1" }, journey: true });
let server: RunningGuanxi;
let page: Page;

const shot = (name: string) => screenshot(page, name);
const wizard = () => page.getByTestId("import-wizard");
const count = async (testId: string) => Number((await page.getByTestId(testId).locator(".ant-statistic-content-value").textContent())?.replace(/\D/g, ""));

/** From the history: a new import of the fixture as customers; waits for the preview. Returns the import id. */
async function upload(file: string): Promise<string> {
  await page.goto(`${server.url}/imports`);
  await page.getByTestId("import-new").click();
  await page.waitForURL("**/imports/new");
  await page.getByTestId("import-upload").locator('input[type="file"]').setInputFiles(path.join(FIXTURES, file));
  await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
  await page.getByTestId("preview-table").waitFor();
  return new URL(page.url()).pathname.split("/").pop()!;
}

/** Preview → mapping → dry run; waits for the dry run's counts. */
async function dryRun(change?: () => Promise<void>): Promise<void> {
  await page.getByTestId("preview-next").click();
  await page.getByTestId("mapping-table").waitFor();
  await change?.();
  await page.getByTestId("mapping-next").click();
  await page.getByTestId("check-counts").waitFor({ timeout: 30_000 });
}

describe("imports", () => {
  beforeAll(async () => {
    ({ page, server } = g);
    await setUpWorkspace(g, "导入测试", owner);
  });

  it("imports Excel's GB18030 CSV as customers: preview, automatic mapping, dry run, run, list; the same file again is skipped", async () => {
    const id = await upload("gb18030-excel.csv");
    await expect(page.getByTestId("preview-encoding").textContent()).resolves.toBe("GB18030");
    await expect(page.getByTestId("preview-table").textContent()).resolves.toContain("北京元石科技有限公司");
    await settledPage(page);
    await shot("i01-preview");

    await dryRun(async () => {
      // The automatic mapping: 客户名称 → the customer name, 手机 → mobile phone, 邮箱 → e-mail, 地址 → address; 联系人 is not imported.
      const targets = await Promise.all([0, 1, 2, 3, 4].map((i) => page.getByTestId(`mapping-row-${i}`).getAttribute("data-target")));
      expect(targets).toEqual(["name", "", "phones:mobile", "emails", "address"]);
      await expect(page.getByTestId("mapping-select-0").textContent()).resolves.toContain("客户名称");
      await expect(page.getByTestId("mapping-select-2").textContent()).resolves.toContain("电话（手机）");
      await expect(page.getByTestId("mapping-select-1").textContent()).resolves.toContain("不导入");
      // 联系人 goes into the remarks instead.
      await pick(page, "mapping-select-1", "备注", "备注");
      await expect.poll(() => page.getByTestId("mapping-row-1").getAttribute("data-target"), { timeout: 15_000 }).toBe("remarks");
      await settledPage(page);
      await shot("i02-mapping");
      // Saved as a template for the next file of this kind (the mapping is saved first).
      await page.getByTestId("template-save").click();
      await page.getByTestId("template-name").fill("ERP 客户");
      const saved = page.waitForResponse((r) => r.url().endsWith("/api/v1/import-templates") && r.request().method() === "POST");
      await page.getByTestId("template-name-ok").click();
      expect((await saved).status()).toBe(201);
    });
    expect([await count("count-total"), await count("count-created"), await count("count-skipped"), await count("count-failed")]).toEqual([5, 5, 0, 0]);
    await settledPage(page);
    await shot("i03-dry-run");

    await page.getByTestId("import-run").click();
    await page.getByTestId("import-result").waitFor({ timeout: 60_000 });
    expect([await count("count-created"), await count("count-failed")]).toEqual([5, 0]);
    // The run's progress reached the end.
    const imp = (await (await page.request.get(`${server.url}/api/v1/imports/${id}`)).json()) as { status: string; jobId: string; mapping: (string | null)[] };
    expect(imp.status).toBe("completed");
    expect(imp.mapping[1]).toBe("remarks");
    const job = (await (await page.request.get(`${server.url}/api/v1/jobs/${imp.jobId}`)).json()) as { state: string; progressDone: number; progressTotal: number };
    expect([job.state, job.progressDone, job.progressTotal]).toEqual(["completed", 5, 5]);
    await settledPage(page);
    await shot("i04-result");

    // Undo asks first, saying what it does.
    await page.getByTestId("import-undo").click();
    await expect(page.locator(".ant-modal-confirm").textContent()).resolves.toContain("新建的记录将移入回收站");
    await page.locator(".ant-modal-confirm").getByRole("button", { name: /取\s*消/ }).click();
    await page.locator(".ant-modal-confirm").waitFor({ state: "hidden" });

    await page.getByTestId("result-list").click();
    await page.waitForURL("**/customers");
    await expect.poll(async () => (await page.getByTestId("customers-count").textContent()) ?? "", { timeout: 15_000 }).toContain("已显示 5 条");
    await page.getByText("杭州云栖软件有限公司").first().waitFor();
    const found = (await (await page.request.get(`${server.url}/api/v1/customers?q=${encodeURIComponent("元石")}`)).json()) as { items: { remarks: string }[] };
    expect(found.items.map((c) => c.remarks)).toEqual(["张伟"]);

    // The same file again: every row matches a customer by its phone and is skipped.
    await upload("gb18030-excel.csv");
    await dryRun(async () => {
      expect(await page.getByTestId("mapping-row-1").getAttribute("data-target")).toBe("");
      // The template brings the hand-made choice back.
      await page.getByTestId("template-select").click();
      await page.locator('.ant-select-item-option[title="ERP 客户"]').click();
      await expect.poll(() => page.getByTestId("mapping-row-1").getAttribute("data-target"), { timeout: 15_000 }).toBe("remarks");
    });
    expect([await count("count-created"), await count("count-skipped")]).toEqual([0, 5]);
    await page.getByTestId("import-run").click();
    await page.getByTestId("import-result").waitFor({ timeout: 60_000 });
    expect([await count("count-created"), await count("count-skipped")]).toEqual([0, 5]);
    const total = (await (await page.request.get(`${server.url}/api/v1/customers?limit=50`)).json()) as { items: unknown[] };
    expect(total.items).toHaveLength(5);
  });

  it("lists the problem rows of a dry run and downloads them as an Excel report", async () => {
    await upload("customers-bad-rows.csv");
    await dryRun();
    expect([await count("count-total"), await count("count-created"), await count("count-failed")]).toEqual([3, 1, 2]);
    const issues = page.getByTestId("issues-table");
    await issues.getByText("“12345”不是有效的电话号码").waitFor();
    await expect(issues.textContent()).resolves.toContain("缺少必填项");
    await settledPage(page);
    await shot("i05-problems");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("report-download").click()]);
    expect(download.suggestedFilename()).toBe("customers-bad-rows-错误报告.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(await download.path()) as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[0]).toEqual(["客户名称", "手机", "邮箱", "合作开始日期", "错误", "行号"]);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[5]])).toEqual([
      ["错误电话有限公司", "12345", 3],
      [undefined, "13600002222", 4],
    ]);
    expect(String(rows[1]![4])).toContain("列“手机”：“12345”不是有效的电话号码");
    expect(String(rows[1]![4])).toContain("列“邮箱”：“bad@”不是有效的邮箱地址");

    // The history lists the three imports, newest first, and opening one resumes its step.
    await page.goto(`${server.url}/imports`);
    const history = page.getByTestId("import-history");
    await history.getByText("customers-bad-rows.csv").waitFor();
    await expect(history.locator("tbody tr.ant-table-row").count()).resolves.toBe(3);
    await expect(history.textContent()).resolves.toContain("已完成");
    await settledPage(page);
    await shot("i06-history");
    await history.getByText("customers-bad-rows.csv").click();
    await page.getByTestId("check-counts").waitFor();
    await expect(wizard().getAttribute("data-status")).resolves.toBe("checked");
  });

  it("undoes the first import: the customers it created go to the trash", async () => {
    await page.goto(`${server.url}/imports`);
    const history = page.getByTestId("import-history");
    // Newest first: the first upload of the GB18030 file is the last of its two rows.
    await history.getByText("gb18030-excel.csv").last().click();
    await page.getByTestId("import-result").waitFor();
    await page.getByTestId("import-undo").click();
    const undone = page.waitForResponse((r) => r.url().endsWith("/undo") && r.request().method() === "POST");
    await page.getByTestId("undo-confirm").click();
    expect((await undone).status()).toBe(202);
    await expect.poll(() => wizard().getAttribute("data-status"), { timeout: 60_000 }).toBe("undone");
    await page.getByTestId("import-result").getByText("导入已撤销").waitFor();
    const left = (await (await page.request.get(`${server.url}/api/v1/customers?limit=50`)).json()) as { items: unknown[] };
    expect(left.items).toHaveLength(0);
    await settledPage(page);
    await shot("i07-undone");
  });

  it("refuses a file over the upload limit with a message in the user's language", async () => {
    await page.goto(`${server.url}/imports/new?object=contact`);
    await expect(page.getByTestId("import-object").locator(".ant-radio-button-wrapper-checked").textContent()).resolves.toBe("联系人");
    const big = Buffer.from(`姓名,手机\r\n${"张三,13800138000\r\n".repeat(80_000)}`, "utf8");
    expect(big.length).toBeGreaterThan(1024 * 1024);
    await page.getByTestId("import-upload").locator('input[type="file"]').setInputFiles({ name: "大文件.csv", mimeType: "text/csv", buffer: big });
    await expect(page.getByTestId("upload-error").textContent()).resolves.toBe("文件超过 1 MB 的大小上限，请拆分后分批导入。");
    expect(new URL(page.url()).pathname).toBe("/imports/new");
    // Nothing was stored: the history is as it was.
    await page.getByRole("link", { name: /返回导入记录/ }).click();
    await page.getByTestId("import-history").getByText("gb18030-excel.csv").first().waitFor();
    await expect(page.getByTestId("import-history").textContent()).resolves.not.toContain("大文件.csv");
  });
});
