import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./global-setup.js";

const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..");

/** The operator's CLI, run as a process on its own embedded database. */
describe("guanxi CLI", () => {
  let dataDir = "";
  let env: NodeJS.ProcessEnv = {};
  const guanxi = (...args: string[]) =>
    exec(process.execPath, ["--import", "tsx", path.join(root, "src/server/cli.ts"), ...args], { env: { ...env, LANG: "en_US.UTF-8" }, cwd: root, timeout: 90_000 });

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "guanxi-cli-"));
    await fs.chmod(dataDir, 0o755);
    env = { ...process.env, GUANXI_DATA_DIR: dataDir, GUANXI_EMBEDDED_PG_PORT: String(await freePort()), DATABASE_URL: "", LOG_LEVEL: "warn" };
  });
  afterAll(async () => {
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("lists its commands", async () => {
    const { stdout } = await guanxi("--help");
    for (const cmd of ["start", "worker", "migrate", "user", "demo"]) expect(stdout).toContain(cmd);
  });

  it("migrates a new data directory, creates users and workspaces, and fills demo data", { timeout: 120_000 }, async () => {
    expect((await guanxi("migrate")).stdout).toContain("Migrations applied.");
    const owner = await guanxi("user", "create", "--email", "boss@example.com", "--name", "老板", "--password", "owner-password-1", "--workspace", "元石科技");
    expect(owner.stdout).toMatch(/User boss@example\.com .* workspaces: 元石科技/);
    const rep = await guanxi("user", "create", "--email", "rep@example.com", "--name", "Rep", "--password", "rep-password-12", "--workspace", "元石科技", "--role", "sales");
    expect(rep.stdout).toMatch(/workspaces: 元石科技/);
    await expect(guanxi("user", "create", "--email", "x@example.com", "--name", "X", "--password", "short")).rejects.toMatchObject({
      stderr: expect.stringContaining("The password must have at least 10 characters"),
    });
    const demo = await guanxi("demo", "--workspace", "元石科技");
    expect(demo.stdout).toContain('"users":17');
  });

  it("imports a file into a workspace, as the wizard would, and says what it did", { timeout: 300_000 }, async () => {
    const file = path.join(root, "test/fixtures/import/gb18030-excel.csv");
    const first = await guanxi("import", file, "--object", "customers", "--workspace", "元石科技");
    expect(first.stdout).toMatch(/Imported .*gb18030-excel\.csv into "元石科技": 5 rows, 5 created, 0 updated, 0 skipped \(duplicates\), 0 with problems/);
    // The same file again: every row is found by its phone.
    expect((await guanxi("import", file, "--object", "customers", "--workspace", "元石科技")).stdout).toContain("5 rows, 0 created, 0 updated, 5 skipped");
    // A mapping file naming a column the file does not have, in the terminal's language.
    const mapping = path.join(dataDir, "mapping.json");
    await fs.writeFile(mapping, JSON.stringify({ 客户名称: "name", 传真: "phones:fax" }));
    await expect(guanxi("import", file, "--object", "customers", "--mapping", mapping)).rejects.toMatchObject({ stderr: expect.stringContaining("The file has no column “传真”") });
    // Problem rows are listed with their line.
    const bad = path.join(dataDir, "contacts.csv");
    await fs.writeFile(bad, "姓名,手机\n张三,13800000001\n李四,12345\n");
    const check = await guanxi("import", bad, "--object", "contacts", "--check");
    expect(check.stdout).toContain("2 rows, 1 would be created, 0 would be updated, 0 skipped (duplicates), 1 with problems");
    expect(check.stdout).toMatch(/Row 3: 手机: “12345” is not a valid phone number/);
    // Products through the same pipeline, found again by their SKU (the object's own key).
    const products = path.join(dataDir, "products.csv");
    await fs.writeFile(products, '产品编码,产品名称,标准价,税率\nP-1,路由器,"¥1,280.50",13%\nP-2,交换机,abc,9%\n');
    expect((await guanxi("import", products, "--object", "products")).stdout).toMatch(/2 rows, 1 created, 0 updated, 0 skipped \(duplicates\), 1 with problems[\s\S]*Row 3: 标准价: “abc” is not an amount/);
    expect((await guanxi("import", products, "--object", "products")).stdout).toContain("2 rows, 0 created, 0 updated, 1 skipped");
    // Historical orders, a row per line: the two rows make one order, found again by its number.
    const orders = path.join(dataDir, "orders.csv");
    await fs.writeFile(orders, '订单号,客户名称,订单日期,订单状态,产品名称,数量,单价,税率\nH-1,北京元石科技有限公司,2024/1/5,已完成,安装服务,1,"¥1,000.00",6%\nH-1,,,,运费,1,50,0\n');
    expect((await guanxi("import", orders, "--object", "orders")).stdout).toContain("2 rows, 2 created, 0 updated, 0 skipped (duplicates), 0 with problems");
    expect((await guanxi("import", orders, "--object", "orders")).stdout).toContain("2 rows, 0 created, 0 updated, 2 skipped");
  });

  it("refuses a bad configuration with a readable message", async () => {
    await expect(
      exec(process.execPath, ["--import", "tsx", path.join(root, "src/server/cli.ts"), "migrate"], { env: { ...env, PORT: "not-a-port" }, cwd: root }),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("PORT") });
  });
});
