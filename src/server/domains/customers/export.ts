import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { requireAccess } from "../../lib/access.js";
import { readTenant, type Ctx } from "../../lib/context.js";
import type { ListQuery } from "../../lib/listing.js";
import { exportColumns, loadLookups } from "../exchange/export-columns.js";
import { csvText, neutralise } from "../exchange/export-writers.js";
import { findCustomers } from "./customers.js";

/**
 * The selected customers (or those a list query matches) as CSV, UTF-8 with
 * BOM so Excel opens Chinese correctly, with the same columns, localisation
 * and formula neutralisation as the export jobs (exchange/exports.ts), which
 * are the way to export whole lists. Streamed page by page; masking follows
 * the reader's rights, as in the API.
 */
export async function exportCustomersCsv(ctx: Ctx, query: ListQuery, ids?: string[]): Promise<Readable> {
  requireAccess(ctx, "customer:export");
  const lookups = await readTenant(ctx, (tx) => loadLookups(tx, "customer"));
  const columns = exportColumns("customer", ctx.locale, lookups);

  async function* rows() {
    yield columns.map((c) => neutralise(c.header));
    let cursor: string | undefined;
    do {
      const page = await findCustomers(ctx, { ...query, limit: 500, cursor }, { ids: ids?.length ? ids : undefined });
      for (const c of page.items) yield columns.map((col) => csvText(col.kind, col.value(c)));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  const csv = stringify({ bom: true, record_delimiter: "windows" });
  Readable.from(rows()).on("error", (err) => csv.destroy(err)).pipe(csv);
  return csv;
}
