import fs from "node:fs";
import PDFDocument from "pdfkit";
import type { Locale } from "../../lib/i18n.js";
import { translate } from "../../lib/i18n.js";
import { money } from "../../lib/money.js";
import type { Letterhead } from "../orders/index.js";
import { chineseCapitalAmount } from "./capitals.js";
import { splitRuns, type FontFace, type Weight } from "./fonts.js";
import "./messages.js";

export interface QuotePdfLine {
  sku: string;
  name: string;
  unit: string;
  quantity: string;
  unitPrice: string;
  discountRate: string;
  taxRate: string;
  amount: string;
}

export interface QuotePdfData {
  number: string;
  revision: number;
  quoteDate: string;
  validUntil: string | null;
  currency: string;
  customerName: string;
  contactName: string | null;
  lines: QuotePdfLine[];
  subtotal: string;
  discountTotal: string;
  taxTotal: string;
  total: string;
  paymentTerms: string;
  deliveryTerms: string;
  notes: string;
  letterhead: Letterhead;
  /** PNG or JPEG bytes of the letterhead's logo. */
  logo: Buffer | null;
}

const PAGE = { width: 595.28, height: 841.89, margin: 40 };
const BOTTOM = PAGE.height - PAGE.margin - 24; // room for the footer
const CONTENT = PAGE.width - 2 * PAGE.margin;
const LEADING = 1.35;

const fontBytes = new Map<string, Buffer>();

/** A word-wrapped line: its text and width at the size it was laid out for. */
interface Line {
  text: string;
  width: number;
}

/**
 * Text drawing on top of pdfkit with CJK subsets (fonts.ts): every string is
 * drawn as runs in the subset fonts that hold its glyphs, and wrapped here
 * (a CJK character may break anywhere, a Latin word only at spaces) because
 * pdfkit's own wrapping cannot change fonts inside a line.
 */
class Writer {
  readonly doc: PDFKit.PDFDocument;
  y = PAGE.margin;
  private readonly registered = new Set<string>();

  constructor(title: string) {
    this.doc = new PDFDocument({ size: "A4", margin: PAGE.margin, bufferPages: true, info: { Title: title, Producer: "Guanxi", Creator: "Guanxi" } });
  }

  private use(face: FontFace, size: number): void {
    if (!this.registered.has(face.name)) {
      let bytes = fontBytes.get(face.file);
      if (!bytes) fontBytes.set(face.file, (bytes = fs.readFileSync(face.file)));
      this.doc.registerFont(face.name, bytes);
      this.registered.add(face.name);
    }
    this.doc.font(face.name).fontSize(size);
  }

  width(text: string, size: number, weight: Weight = "Regular"): number {
    let w = 0;
    for (const run of splitRuns(text, weight)) {
      this.use(run.face, size);
      w += this.doc.widthOfString(run.text);
    }
    return w;
  }

  /** The text broken into lines no wider than `width`. */
  wrap(text: string, width: number, size: number, weight: Weight = "Regular"): Line[] {
    const lines: Line[] = [];
    for (const paragraph of text.split(/\r?\n/)) {
      let cur = "";
      let curWidth = 0;
      const tokens = paragraph.match(/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|\s+|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+/gu) ?? [];
      const push = () => {
        lines.push({ text: cur.trimEnd(), width: this.width(cur.trimEnd(), size, weight) });
        cur = "";
        curWidth = 0;
      };
      for (const token of tokens) {
        const w = this.width(token, size, weight);
        if (curWidth + w <= width) {
          cur += token;
          curWidth += w;
        } else if (/^\s+$/.test(token)) {
          push();
        } else if (w <= width) {
          push();
          cur = token;
          curWidth = w;
        } else {
          // A word wider than the column: broken by characters.
          for (const ch of token) {
            const cw = this.width(ch, size, weight);
            if (curWidth + cw > width && cur) push();
            cur += ch;
            curWidth += cw;
          }
        }
      }
      push();
    }
    return lines;
  }

  /** Height of a wrapped text. */
  heightOf(text: string, width: number, size: number, weight: Weight = "Regular"): number {
    return this.wrap(text, width, size, weight).length * size * LEADING;
  }

  /** Draws a text wrapped into a box at (x, y); returns its height. */
  text(text: string, x: number, y: number, opts: { width: number; size: number; weight?: Weight; align?: "left" | "right" | "center"; color?: string }): number {
    const weight = opts.weight ?? "Regular";
    const lines = this.wrap(text, opts.width, opts.size, weight);
    this.doc.fillColor(opts.color ?? "#222222");
    lines.forEach((line, i) => {
      let cx = x + (opts.align === "right" ? opts.width - line.width : opts.align === "center" ? (opts.width - line.width) / 2 : 0);
      for (const run of splitRuns(line.text, weight)) {
        this.use(run.face, opts.size);
        this.doc.text(run.text, cx, y + i * opts.size * LEADING, { lineBreak: false });
        cx += this.doc.widthOfString(run.text);
      }
    });
    return lines.length * opts.size * LEADING;
  }

  /** A new page when `height` does not fit below the cursor. */
  ensure(height: number, onNewPage?: () => void): void {
    if (this.y + height <= BOTTOM) return;
    this.doc.addPage();
    this.y = PAGE.margin;
    onNewPage?.();
  }

  rule(y: number, color = "#999999"): void {
    this.doc.moveTo(PAGE.margin, y).lineTo(PAGE.width - PAGE.margin, y).lineWidth(0.6).strokeColor(color).stroke();
  }
}

/** 12345.6 → "12,345.60". */
export function formatAmount(value: string): string {
  const [int, frac] = money(value).toFixed(2).split(".") as [string, string];
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${frac}`;
}
/** "2.5000" → "2.5"; prices keep at least two decimals. */
const formatQuantity = (value: string) => money(value).toString();
const formatPrice = (value: string) => {
  const d = money(value);
  const [int, frac] = d.toFixed(Math.max(2, d.decimalPlaces())).split(".") as [string, string];
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${frac}`;
};
const formatRate = (value: string) => `${money(value).times(100).toString()}%`;

/** Renders a quote revision as an A4 PDF with the company's letterhead, in the given language. */
export async function renderQuotePdf(data: QuotePdfData, locale: Locale): Promise<Buffer> {
  const t = (key: string, params: Record<string, string | number> = {}) => translate(locale, `quotes.pdf.${key}`, params);
  const w = new Writer(`${t("title")} ${data.number}`);
  const { doc } = w;
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const M = PAGE.margin;
  const lh = data.letterhead;

  // Letterhead: logo at the left, the company beside it.
  let textX = M;
  if (data.logo) {
    try {
      doc.image(data.logo, M, w.y, { fit: [64, 64] });
      textX = M + 76;
    } catch {
      // An unreadable logo is left out rather than failing the document.
    }
  }
  const headWidth = PAGE.width - M - textX;
  let hy = w.y;
  if (lh.companyName) hy += w.text(lh.companyName, textX, hy, { width: headWidth, size: 15, weight: "Bold" });
  const details = [
    lh.address ? `${t("address")}：${lh.address}` : "",
    [lh.phone ? `${t("phone")}：${lh.phone}` : "", lh.email ? `${t("email")}：${lh.email}` : "", lh.website ?? ""].filter(Boolean).join("    "),
    lh.taxNumber ? `${t("tax_number")}：${lh.taxNumber}` : "",
    [lh.bankName ? `${t("bank")}：${lh.bankName}` : "", lh.bankAccount ? `${t("bank_account")}：${lh.bankAccount}` : ""].filter(Boolean).join("    "),
  ].filter(Boolean);
  for (const line of details) hy += w.text(line, textX, hy, { width: headWidth, size: 8.5, color: "#555555" });
  w.y = Math.max(hy, data.logo ? w.y + 64 : hy) + 8;
  w.rule(w.y, "#333333");
  w.y += 12;

  w.y += w.text(t("title"), M, w.y, { width: CONTENT, size: 18, weight: "Bold", align: "center" }) + 8;

  // Quote and customer.
  const half = CONTENT / 2 - 10;
  const left = [
    `${t("number")}：${data.number}  (${t("revision", { revision: data.revision })})`,
    `${t("date")}：${data.quoteDate}`,
    `${t("valid_until")}：${data.validUntil ?? "—"}`,
    `${t("currency")}：${data.currency}`,
  ];
  const right = [`${t("customer")}：${data.customerName}`, ...(data.contactName ? [`${t("contact")}：${data.contactName}`] : [])];
  let ly = w.y;
  let ry = w.y;
  for (const s of left) ly += w.text(s, M, ly, { width: half, size: 9.5 });
  for (const s of right) ry += w.text(s, M + half + 20, ry, { width: half, size: 9.5 });
  w.y = Math.max(ly, ry) + 10;

  // Lines.
  const cols = [
    { key: "sku", width: 62, align: "left" as const },
    { key: "name", width: 151, align: "left" as const },
    { key: "unit", width: 32, align: "left" as const },
    { key: "quantity", width: 46, align: "right" as const },
    { key: "unit_price", width: 62, align: "right" as const },
    { key: "discount", width: 42, align: "right" as const },
    { key: "tax", width: 38, align: "right" as const },
    { key: "amount", width: 82, align: "right" as const },
  ];
  const size = 8.5;
  const pad = 3;
  const header = () => {
    const h = Math.max(...cols.map((c) => w.heightOf(t(`col_${c.key}`), c.width - 2 * pad, size, "Bold"))) + 2 * pad;
    doc.rect(M, w.y, CONTENT, h).fill("#eeeeee");
    let x = M;
    for (const c of cols) {
      w.text(t(`col_${c.key}`), x + pad, w.y + pad, { width: c.width - 2 * pad, size, weight: "Bold", align: c.align });
      x += c.width;
    }
    w.y += h;
  };
  header();
  for (const line of data.lines) {
    const cells = [line.sku, line.name, line.unit, formatQuantity(line.quantity), formatPrice(line.unitPrice), formatRate(line.discountRate), formatRate(line.taxRate), formatAmount(line.amount)];
    const h = Math.max(...cells.map((s, i) => w.heightOf(s, cols[i]!.width - 2 * pad, size))) + 2 * pad;
    w.ensure(h, header);
    let x = M;
    cells.forEach((s, i) => {
      w.text(s, x + pad, w.y + pad, { width: cols[i]!.width - 2 * pad, size, align: cols[i]!.align });
      x += cols[i]!.width;
    });
    w.y += h;
    w.rule(w.y, "#dddddd");
  }
  w.y += 8;

  // Totals.
  const totals: [string, string, Weight][] = [
    [t("subtotal"), formatAmount(data.subtotal), "Regular"],
    [t("discount_total"), `-${formatAmount(data.discountTotal)}`, "Regular"],
    [t("tax_total"), formatAmount(data.taxTotal), "Regular"],
    [t("total"), `${data.currency} ${formatAmount(data.total)}`, "Bold"],
  ];
  const labelX = PAGE.width - M - 250;
  for (const [label, value, weight] of totals) {
    w.ensure(16);
    w.text(label, labelX, w.y, { width: 140, size: 10, weight, align: "right" });
    w.y += w.text(value, labelX + 150, w.y, { width: 100, size: 10, weight, align: "right" });
  }
  if (data.currency === "CNY") {
    const capital = `${t("total_in_words")}：${chineseCapitalAmount(data.total)}`;
    w.ensure(w.heightOf(capital, CONTENT, 10));
    w.y += w.text(capital, M, w.y + 4, { width: CONTENT, size: 10, weight: "Bold", align: "right" }) + 4;
  }
  w.y += 10;

  // Terms and notes.
  for (const [label, value] of [
    [t("payment_terms"), data.paymentTerms],
    [t("delivery_terms"), data.deliveryTerms],
    [t("notes"), data.notes],
  ] as const) {
    if (!value.trim()) continue;
    w.ensure(14 + w.heightOf(value, CONTENT, 9.5));
    w.y += w.text(label, M, w.y, { width: CONTENT, size: 10, weight: "Bold" });
    w.y += w.text(value, M, w.y, { width: CONTENT, size: 9.5 }) + 6;
  }

  // Footer on every page: the letterhead's footer and the page number.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const fy = PAGE.height - M - 12;
    w.rule(fy - 4, "#cccccc");
    if (lh.footer) w.text(lh.footer, M, fy, { width: CONTENT - 90, size: 8, color: "#666666" });
    w.text(t("page", { page: i + 1, pages: range.count }), PAGE.width - M - 90, fy, { width: 90, size: 8, color: "#666666", align: "right" });
  }
  doc.end();
  return done;
}
