import { Readable, pipeline, type TransformCallback } from "node:stream";
import { CsvError, Parser, type Options } from "csv-parse";
import { parse as parseSample } from "csv-parse/sync";
import { invalid } from "../../../lib/errors.js";
import { registerMessages } from "../../../lib/i18n.js";
import { openText, type DecodeOptions, type ImportInput, type TextSource } from "./decode.js";
import { DEFAULT_LIMITS, type Cell, type ReadLimits, type SourceRow, type TableSource } from "./types.js";

/**
 * CSV (and tab-, semicolon- or pipe-separated text) as a TableSource. Parsing
 * is csv-parse's; this file adds what an import needs around it: the delimiter
 * sniffed from the first records, the header row, limits that fail fast on
 * hostile files, and the line each row starts on, for error reports.
 */

registerMessages({
  "import.too_many_columns": {
    "en-US": "Line {{line}} has more than {{max}} columns",
    "zh-CN": "文件第 {{line}} 行超过 {{max}} 列，超出了导入上限",
  },
  "import.cell_too_large": {
    "en-US": "Line {{line}}, column {{column}}: the cell is longer than {{max}} characters (is a quote left open?)",
    "zh-CN": "文件第 {{line}} 行第 {{column}} 列的内容超过 {{max}} 个字符，请检查是否有引号未闭合",
  },
  "import.row_too_large": {
    "en-US": "Line {{line}}: the row is longer than {{max}} characters (is a quote left open?)",
    "zh-CN": "文件第 {{line}} 行的内容超过 {{max}} 个字符，请检查是否有引号未闭合",
  },
  "import.csv_unclosed_quote": {
    "en-US": "Line {{line}}: a quote is opened but never closed",
    "zh-CN": "文件第 {{line}} 行：引号未闭合",
  },
  "import.csv_invalid": { "en-US": "Line {{line}} is not valid CSV", "zh-CN": "文件第 {{line}} 行不符合 CSV 格式" },
  "import.header_not_found": {
    "en-US": "There is no row at or after line {{line}} to use as the header",
    "zh-CN": "第 {{line}} 行及之后没有可作为表头的行",
  },
});

export interface CsvOptions extends DecodeOptions {
  /** Field separator; sniffed among `,` `;` tab `|` when not given. */
  delimiter?: string;
  /** false: the file has no header row, and the columns are called "Column 1", "Column 2" … */
  header?: boolean;
  /** Line (as in SourceRow.source) of the header row, for files with a title above the table; default the first non-blank row. */
  headerLine?: number;
}

export interface CsvSource extends TableSource {
  format: "csv";
  encoding: string;
  delimiter: string;
  /** Line of the header row; null without one. */
  headerLine: number | null;
}

export const DELIMITERS = [",", ";", "\t", "|"] as const;

/** Records looked at to sniff the delimiter, or to count the columns of a file without header. */
const SAMPLE_RECORDS = 100;

/**
 * Opens a CSV upload: decodes it (decode.ts), sniffs the delimiter, reads up to
 * the header row. Data rows stream from `rows()`; a row shorter than the header
 * is padded with null (no such cell), a longer one keeps its extra cells; blank
 * rows are skipped. Throws AppError (VALIDATION) with an `import.*` key and the
 * line for files it cannot read.
 */
export async function openCsv(input: ImportInput, options: CsvOptions = {}): Promise<CsvSource> {
  const limits: ReadLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const text = await openText(input, options);
  const delimiter = options.delimiter ?? sniffDelimiter(text.head, text.complete);
  const read = (afterLine: number, width: number) => readRows(text, delimiter, limits, afterLine, width);

  let headers: string[] = [];
  let headerLine: number | null = null;
  if (options.header === false) {
    let width = 0;
    let seen = 0;
    for await (const row of read(0, 0)) {
      width = Math.max(width, row.cells.length);
      if (++seen >= SAMPLE_RECORDS) break;
    }
    if (seen === 0) throw invalid("import.file_empty");
    headers = Array.from({ length: width }, (_, i) => `Column ${i + 1}`);
  } else {
    const from = options.headerLine ?? 1;
    for await (const row of read(from - 1, 0)) {
      headers = uniqueHeaders(row.cells.map(String));
      headerLine = row.source;
      break;
    }
    if (headerLine === null) throw options.headerLine ? invalid("import.header_not_found", { line: from }) : invalid("import.file_empty");
  }

  return {
    format: "csv",
    encoding: text.encoding,
    delimiter,
    headerLine,
    headers,
    rows: () => read(headerLine ?? 0, headers.length),
  };
}

/**
 * Column titles made usable as keys: trimmed, a blank one named by its position
 * ("Column 3"), repeats numbered ("电话", "电话 (2)") without colliding with a
 * title the file already has.
 */
export function uniqueHeaders(raw: readonly string[]): string[] {
  const names = raw.map((name, i) => name.trim() || `Column ${i + 1}`);
  const taken = new Set(names);
  const used = new Set<string>();
  return names.map((name) => {
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
    let n = 2;
    while (taken.has(`${name} (${n})`)) n++;
    const unique = `${name} (${n})`;
    taken.add(unique);
    used.add(unique);
    return unique;
  });
}

/**
 * The delimiter among `,` `;` tab `|` that splits the first records of
 * `sample` into the same number of cells (2 or more) most often; when two do
 * about equally well (a comma in every address of a tab-separated file), the
 * one giving more columns. Each candidate is tried with csv-parse, so quoted
 * delimiters do not count. A comma when nothing splits (a single column).
 */
export function sniffDelimiter(sample: string, complete = true): string {
  // Whole lines only when the sample is cut; a record cut inside quotes just ends the sample early.
  const text = complete ? sample : sample.slice(0, sample.lastIndexOf("\n") + 1) || sample;
  const candidates = DELIMITERS.map((delimiter) => {
    const widths = sampleWidths(text, delimiter);
    const counts = new Map<number, number>();
    for (const w of widths) counts.set(w, (counts.get(w) ?? 0) + 1);
    let width = 0;
    let rows = 0;
    for (const [w, n] of counts) if (n > rows || (n === rows && w > width)) [width, rows] = [w, n];
    return { delimiter, width, rows };
  }).filter((c) => c.width >= 2);
  const most = Math.max(0, ...candidates.map((c) => c.rows));
  const close = candidates.filter((c) => c.rows >= most * 0.9);
  return close.reduce<(typeof close)[number] | undefined>((best, c) => (!best || c.width > best.width ? c : best), undefined)?.delimiter ?? ",";
}

function sampleWidths(text: string, delimiter: string): number[] {
  const widths: number[] = [];
  try {
    parseSample(text, {
      delimiter,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      to: SAMPLE_RECORDS,
      on_record: (record: string[]) => {
        if (!isBlank(record)) widths.push(record.length);
        return null;
      },
    });
  } catch {
    // A wrong delimiter can make quotes unbalanced: the records before the error still count.
  }
  return widths;
}

/** A parse error, delivered after the records before it (a stream error would drop those). */
class ParseFailure {
  constructor(readonly error: unknown) {}
}
/** A run of bytes without a line break longer than any valid row: a line of thousands of delimiters. */
class LineFlood extends Error {}

/**
 * csv-parse's stream, with two changes. Its errors come in-band, after every
 * record parsed before them, so the reader knows exactly where they happened.
 * And it refuses a line longer than `maxLineBytes` before parsing it: empty
 * cells cost nothing against max_record_size, so a line of commas would build
 * an array of millions of cells before any limit applied.
 */
class InBandParser extends Parser {
  private run = 0; // bytes since the last line break

  constructor(
    options: Options,
    private readonly maxLineBytes: number,
  ) {
    super(options);
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    // Only the run across chunk boundaries is measured: a chunk (≤ 3 MB of UTF-8 from
    // 1 M characters) is shorter than maxLineBytes, so no run inside one can exceed it.
    const lf = chunk.indexOf(10);
    const cr = chunk.indexOf(13);
    if (lf === -1 && cr === -1) this.run += chunk.length;
    else {
      this.run += lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (this.run <= this.maxLineBytes) this.run = chunk.length - 1 - Math.max(chunk.lastIndexOf(10), chunk.lastIndexOf(13));
    }
    if (this.run > this.maxLineBytes) {
      this.push(new ParseFailure(new LineFlood()));
      return; // no callback: the reader stops at the failure and destroys the stream
    }
    super._transform(chunk, encoding, (err) => {
      if (err) this.push(new ParseFailure(err));
      callback();
    });
  }

  override _flush(callback: TransformCallback): void {
    super._flush((err) => {
      if (err) this.push(new ParseFailure(err));
      callback();
    });
  }
}

/**
 * The non-blank rows that start after line `afterLine`, from the start of the
 * text, checked against the limits and padded with null to `width` cells. The
 * parser passes empty lines through as [""] so that every line is counted: a
 * record starts one line after the previous one plus the line breaks inside
 * its cells. One generator from parser to caller: each layer costs a promise per row.
 */
async function* readRows(
  text: TextSource,
  delimiter: string,
  limits: ReadLimits,
  afterLine: number,
  width: number,
): AsyncGenerator<SourceRow, void, undefined> {
  // Bounds what csv-parse buffers for one record: a 50 MB cell fails after ~1 MB.
  // The exact per-cell limit is checked on each record below.
  const maxRecordBytes = Math.max(1 << 20, 4 * limits.maxCellChars);
  const parser = new InBandParser(
    {
      delimiter,
      relax_quotes: true, // a lone " inside an unquoted cell (12" pipe) is text, as Excel reads it
      relax_column_count: true,
      max_record_size: maxRecordBytes,
    },
    // Past the record limit plus the chunks read ahead, so a long run of real content meets max_record_size first.
    4 * maxRecordBytes,
  );
  pipeline(Readable.from(text.chunks(), { highWaterMark: 1 }), parser, () => {
    // Errors reach the reader through the parser (pipeline destroys it with the decoder's error).
  });

  let line = 1; // where the next record starts
  for await (const item of parser as AsyncIterable<string[] | ParseFailure>) {
    if (item instanceof ParseFailure) throw fromParseFailure(item.error, line, limits, maxRecordBytes);
    const start = line;
    line += 1 + lineBreaks(item);
    if (item.length > limits.maxColumns) {
      throw invalid("import.too_many_columns", { line: start, max: limits.maxColumns }, { maxColumns: limits.maxColumns, columns: item.length });
    }
    for (let i = 0; i < item.length; i++) {
      if (item[i]!.length > limits.maxCellChars) {
        throw invalid("import.cell_too_large", { line: start, column: i + 1, max: limits.maxCellChars }, { maxCellChars: limits.maxCellChars });
      }
    }
    if (start <= afterLine || isBlank(item)) continue;
    const cells: Cell[] = item;
    while (cells.length < width) cells.push(null);
    yield { source: start, cells };
  }
}

function fromParseFailure(err: unknown, line: number, limits: ReadLimits, maxRecordBytes: number): unknown {
  if (err instanceof LineFlood) return invalid("import.too_many_columns", { line, max: limits.maxColumns }, { maxColumns: limits.maxColumns });
  if (!(err instanceof CsvError)) return err;
  const details = { csvError: err.code };
  switch (err.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return invalid("import.csv_unclosed_quote", { line }, details);
    case "CSV_MAX_RECORD_SIZE":
      // In the first cell, the cell alone is over the limit; further on, the row is
      // (csv-parse counts the whole record and does not say how much the earlier cells hold).
      if (Number(err.index ?? 0) === 0) return invalid("import.cell_too_large", { line, column: 1, max: limits.maxCellChars }, details);
      return invalid("import.row_too_large", { line, max: maxRecordBytes }, details);
    default:
      return invalid("import.csv_invalid", { line }, { ...details, message: err.message });
  }
}

/** Line breaks inside the cells of a record: CRLF, LF or a lone CR each count one, as in an editor. */
function lineBreaks(cells: readonly string[]): number {
  let n = 0;
  for (const cell of cells) {
    if (cell.includes("\n") || cell.includes("\r")) n += cell.match(/\r\n?|\n/g)?.length ?? 0;
  }
  return n;
}

function isBlank(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === "");
}
