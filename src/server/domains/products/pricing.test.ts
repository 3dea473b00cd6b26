import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../db/client.js";
import { AppError } from "../../lib/errors.js";
import { translate } from "../../lib/i18n.js";
import { api, createWorkspace, startTestEnv, type Session, type TestEnv } from "../../test/harness.js";
import { baseCurrency, convert, priceFor, productsByIds } from "./index.js";

let seq = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++seq}`;

describe("pricing", () => {
  let t: TestEnv;
  let ws: Session;
  beforeAll(async () => {
    t = await startTestEnv();
    ws = await createWorkspace(t);
    for (const [currency, validFrom, rate] of [
      ["USD", "2026-01-01", "7"],
      ["USD", "2026-03-01", "7.12345678"],
      ["EUR", "2026-01-01", "8"],
      ["JPY", "2026-01-01", "0.1"],
    ]) {
      const res = await api(t.app, ws).post("/api/v1/exchange-rates", { currency, validFrom, rate });
      if (res.statusCode !== 200) throw new Error(res.body);
    }
  });
  afterAll(async () => t?.close());

  const inWs = <T>(fn: Parameters<typeof withTenant<T>>[2], session = ws) => withTenant(t.database, { tenantId: session.workspaceId }, fn);
  const product = async (body: Record<string, unknown> = {}, session = ws) => {
    const res = await api(t.app, session).post("/api/v1/products", { sku: unique("P"), name: "Product", listPrice: "100", ...body });
    if (res.statusCode !== 201) throw new Error(res.body);
    return res.json<{ id: string; sku: string }>().id;
  };
  const priceList = async (body: Record<string, unknown>, items: { productId: string; minQuantity?: string; unitPrice: string }[], session = ws) => {
    const res = await api(t.app, session).post("/api/v1/price-lists", { name: unique("List"), currency: "CNY", ...body });
    if (res.statusCode !== 201) throw new Error(res.body);
    const id = res.json<{ id: string }>().id;
    const put = await t.app.inject({ method: "PUT", url: `/api/v1/price-lists/${id}/items`, payload: { items, version: 1 }, headers: { cookie: session.cookie } });
    if (put.statusCode !== 200) throw new Error(put.body);
    return id;
  };
  const price = (input: { productId: string; quantity?: string; currency?: string; customerType?: string; on?: string; priceListId?: string | null }, session = ws) =>
    inWs((tx) => priceFor(tx, { quantity: "1", currency: "CNY", customerType: "", on: "2026-06-01", ...input }), session);
  const failure = async (promise: Promise<unknown>) => {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  };

  describe("convert", () => {
    it("is exact decimal arithmetic: amount × rate(from) ÷ rate(to)", async () => {
      // 0.1 × 3 is 0.30000000000000004 in binary floating point.
      expect(0.1 * 3).not.toBe(0.3);
      expect(await inWs((tx) => convert(tx, "0.1", "JPY", "CNY", "2026-06-01"))).toBe("0.01");
      expect(await inWs((tx) => convert(tx, "0.3", "CNY", "JPY", "2026-06-01"))).toBe("3");
      expect(await inWs((tx) => convert(tx, "1234.5678", "USD", "CNY", "2026-06-01"))).toBe("8794.390365279684");
      expect(await inWs((tx) => convert(tx, "0.01", "USD", "CNY", "2026-06-01"))).toBe("0.0712345678");
      // Cross rate through the base currency: 100 × 7.12345678 ÷ 8.
      expect(await inWs((tx) => convert(tx, "100", "USD", "EUR", "2026-06-01"))).toBe("89.04320975");
      // 1 ÷ 7.12345678 does not end: 40 significant digits, no float noise.
      const inverse = await inWs((tx) => convert(tx, "1", "CNY", "USD", "2026-06-01"));
      expect(inverse).toBe("0.1403812826951692405719909484731933756465");
    });

    it("returns the amount itself for one currency and uses the rate valid on the day", async () => {
      expect(await inWs((tx) => convert(tx, "12.30", "USD", "USD", "2020-01-01"))).toBe("12.30");
      expect(await inWs((tx) => convert(tx, "10", "USD", "CNY", "2026-02-28"))).toBe("70");
      expect(await inWs((tx) => convert(tx, "10", "USD", "CNY", "2026-03-01"))).toBe("71.2345678");
    });

    it("refuses a currency without a rate on the day, naming it in both languages", async () => {
      const err = await failure(inWs((tx) => convert(tx, "10", "USD", "CNY", "2025-12-31")));
      expect(err).toMatchObject({ code: "VALIDATION", messageKey: "pricing.no_rate", details: { currency: "USD" } });
      expect(translate("zh-CN", err.messageKey, err.params)).toBe("没有 USD 在 2025-12-31 有效的汇率，请先在价格设置中添加汇率");
      expect(translate("en-US", err.messageKey, err.params)).toContain("no exchange rate for USD valid on 2025-12-31");
      const gbp = await failure(inWs((tx) => convert(tx, "10", "CNY", "GBP", "2026-06-01")));
      expect(gbp.details).toEqual({ currency: "GBP" });
    });

    it("reads the base currency of the transaction's workspace", async () => {
      const other = await createWorkspace(t);
      await api(t.app, other).patch("/api/v1/pricing-settings", { baseCurrency: "USD", version: 1 });
      await api(t.app, other).post("/api/v1/exchange-rates", { currency: "CNY", validFrom: "2026-01-01", rate: "0.125" });
      expect(await inWs((tx) => baseCurrency(tx, other.workspaceId), other)).toBe("USD");
      expect(await inWs((tx) => baseCurrency(tx, ws.workspaceId))).toBe("CNY");
      expect(await inWs((tx) => convert(tx, "80", "CNY", "USD", "2026-06-01"), other)).toBe("10");
    });
  });

  describe("priceFor", () => {
    it("takes the tier with the highest minimum quantity not above the quantity", async () => {
      const p = await product();
      const list = await priceList({}, [
        { productId: p, unitPrice: "95" },
        { productId: p, minQuantity: "10", unitPrice: "90" },
        { productId: p, minQuantity: "100", unitPrice: "80.5" },
      ]);
      const at = async (quantity: string) => (await price({ productId: p, quantity })).unitPrice;
      expect(await at("1")).toBe("95.0000");
      expect(await at("9.9999")).toBe("95.0000");
      expect(await at("10")).toBe("90.0000");
      expect(await at("99")).toBe("90.0000");
      expect(await at("100")).toBe("80.5000");
      expect(await price({ productId: p, quantity: "500" })).toEqual({ unitPrice: "80.5000", priceListId: list, source: "price_list" });
    });

    it("prefers the higher priority, then the list naming the customer's group over a general one", async () => {
      const p = await product();
      // The general list is the newer one: only naming the group puts the dealers' list first.
      const dealers = await priceList({ priority: 1, customerTypes: ["经销商"] }, [{ productId: p, unitPrice: "85" }]);
      const general = await priceList({ priority: 1 }, [{ productId: p, unitPrice: "90" }]);
      const vip = await priceList({ priority: 0, customerTypes: ["VIP"] }, [{ productId: p, unitPrice: "70" }]);
      expect((await price({ productId: p, customerType: "经销商" })).priceListId).toBe(dealers);
      expect((await price({ productId: p, customerType: "零售" })).priceListId).toBe(general);
      expect((await price({ productId: p, customerType: "" })).priceListId).toBe(general);
      // VIP's own list has the lower priority: the general list wins.
      expect((await price({ productId: p, customerType: "VIP" })).priceListId).toBe(general);
      await api(t.app, ws).patch(`/api/v1/price-lists/${vip}`, { priority: 2, version: 2 });
      expect(await price({ productId: p, customerType: "VIP" })).toEqual({ unitPrice: "70.0000", priceListId: vip, source: "price_list" });
    });

    it("skips lists that are inactive, out of their dates, in another currency or without a tier for the quantity", async () => {
      const p = await product({ listPrice: "100" });
      await priceList({ priority: 9, active: false }, [{ productId: p, unitPrice: "1" }]);
      await priceList({ priority: 8, currency: "USD" }, [{ productId: p, unitPrice: "2" }]);
      await priceList({ priority: 7 }, [{ productId: p, minQuantity: "50", unitPrice: "3" }]);
      const spring = await priceList({ priority: 6, validFrom: "2026-03-01", validTo: "2026-05-31" }, [{ productId: p, unitPrice: "60" }]);
      const at = (on: string, quantity = "1") => price({ productId: p, on, quantity });
      expect(await at("2026-02-28")).toEqual({ unitPrice: "100.0000", priceListId: null, source: "list_price" });
      expect((await at("2026-03-01")).priceListId).toBe(spring);
      expect((await at("2026-05-31")).priceListId).toBe(spring);
      expect((await at("2026-06-01")).source).toBe("list_price");
      expect((await at("2026-04-01", "50")).unitPrice).toBe("3.0000");
      expect((await price({ productId: p, currency: "USD", on: "2026-06-01" })).unitPrice).toBe("2.0000");
    });

    it("falls back to the list price converted with the day's rates, rounded to 4 decimals", async () => {
      const usd = await product({ currency: "USD", listPrice: "10.5" });
      expect(await price({ productId: usd, on: "2026-06-01" })).toEqual({ unitPrice: "74.7963", priceListId: null, source: "list_price" });
      expect((await price({ productId: usd, on: "2026-02-01" })).unitPrice).toBe("73.5000");
      expect((await price({ productId: usd, currency: "EUR", on: "2026-06-01" })).unitPrice).toBe("9.3495"); // 10.5 × 7.12345678 ÷ 8 = 9.34953702…
      expect((await price({ productId: usd, currency: "USD" })).unitPrice).toBe("10.5000");
      const err = await failure(price({ productId: usd, currency: "GBP" }));
      expect(err).toMatchObject({ messageKey: "pricing.no_rate", details: { currency: "GBP" } });
    });

    it("uses a list the order names, refusing one of another currency, inactive, out of date or of another workspace", async () => {
      const p = await product({ listPrice: "100" });
      const other = await product({ listPrice: "40" });
      const chosen = await priceList({ priority: -5, customerTypes: ["别的客户组"] }, [{ productId: p, unitPrice: "77" }]);
      await priceList({ priority: 5 }, [{ productId: p, unitPrice: "88" }]);
      expect(await price({ productId: p, priceListId: chosen })).toEqual({ unitPrice: "77.0000", priceListId: chosen, source: "price_list" });
      // The named list has no price for this product: its list price.
      expect(await price({ productId: other, priceListId: chosen })).toEqual({ unitPrice: "40.0000", priceListId: null, source: "list_price" });

      const currency = await failure(price({ productId: p, priceListId: chosen, currency: "USD" }));
      expect(currency).toMatchObject({ code: "VALIDATION", messageKey: "pricing.list_currency_mismatch", details: { listCurrency: "CNY" } });
      expect(translate("zh-CN", currency.messageKey, currency.params)).toMatch(/^价格表“List-.+”的币种是 CNY，与 USD 不一致$/);

      const dated = await priceList({ validTo: "2026-01-31" }, [{ productId: p, unitPrice: "1" }]);
      expect((await failure(price({ productId: p, priceListId: dated }))).messageKey).toBe("pricing.list_not_valid");
      const off = await priceList({ active: false }, [{ productId: p, unitPrice: "1" }]);
      expect((await failure(price({ productId: p, priceListId: off }))).messageKey).toBe("pricing.list_inactive");

      const elsewhere = await createWorkspace(t);
      const theirProduct = await product({}, elsewhere);
      const theirs = await priceList({}, [{ productId: theirProduct, unitPrice: "1" }], elsewhere);
      expect(await failure(price({ productId: p, priceListId: theirs }))).toMatchObject({ code: "NOT_FOUND", params: { object: "price_list" } });
      expect(await failure(price({ productId: theirProduct }))).toMatchObject({ code: "NOT_FOUND", params: { object: "product" } });
    });

    it("refuses a negative quantity or a malformed currency", async () => {
      const p = await product();
      expect((await failure(price({ productId: p, quantity: "-1" }))).messageKey).toBe("pricing.quantity_invalid");
      expect((await failure(price({ productId: p, currency: "rmb" }))).messageKey).toBe("products.currency_invalid");
    });
  });

  it("productsByIds returns this workspace's products only", async () => {
    const mine = await product({ listPrice: "12.34", taxRate: "0.13", unit: "件" });
    const elsewhere = await createWorkspace(t);
    const theirs = await product({}, elsewhere);
    const rows = await inWs((tx) => productsByIds(tx, [mine, theirs, mine]));
    expect(rows).toEqual([expect.objectContaining({ id: mine, listPrice: "12.3400", taxRate: "0.1300", unit: "件", currency: "CNY", active: true })]);
    expect(Object.keys(rows[0]!).sort()).toEqual(["active", "currency", "id", "listPrice", "name", "sku", "taxRate", "unit"]);
    expect(await inWs((tx) => productsByIds(tx, []))).toEqual([]);
  });
});
