/**
 * What every import reader (CSV, Excel, vCard) yields: a header row and data
 * rows of cells, streamed, with the source row number of each for error
 * reports. Mapping, normalisation and the import job work on this shape only.
 */

/** A cell: text (CSV), typed values (Excel), or several values (a vCard's TELs). */
export type Cell = string | number | boolean | Date | null | readonly string[];

export interface SourceRow {
  /** 1-based row (CSV record / sheet row / vCard number) in the source, as a user would find it. */
  source: number;
  cells: Cell[];
}

export interface TableSource {
  format: "csv" | "xlsx" | "vcard";
  /** The detected or given text encoding (CSV, vCard): "UTF-8", "GB18030", "UTF-16LE", "Big5" … */
  encoding?: string;
  /** Excel: the sheet read, and all sheet names of the workbook. */
  sheet?: string;
  sheets?: string[];
  /** Column titles (Excel: merged header cells resolved; vCard: fixed field names). */
  headers: string[];
  /** The data rows after the header, in order; each call starts again from the first. */
  rows(): AsyncIterable<SourceRow>;
}

/** Limits every reader enforces, so a hostile file fails fast with a clear error instead of exhausting the server. */
export interface ReadLimits {
  /** Largest file accepted (bytes). */
  maxBytes: number;
  /** Most columns in a row. */
  maxColumns: number;
  /** Largest single cell (characters). */
  maxCellChars: number;
  /** Excel: most uncompressed bytes in the archive (zip bombs), and the largest ratio of uncompressed to compressed size. */
  maxUnzippedBytes: number;
  maxZipRatio: number;
}

export const DEFAULT_LIMITS: ReadLimits = {
  maxBytes: 200 * 1024 * 1024,
  maxColumns: 500,
  maxCellChars: 32_767, // Excel's own limit per cell
  maxUnzippedBytes: 1024 * 1024 * 1024,
  maxZipRatio: 200,
};
