// fontkit (pdfkit's font engine) ships no types: the little the quote PDF uses of it.
declare module "fontkit" {
  export interface Font {
    postscriptName: string;
    characterSet: number[];
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function create(buffer: Buffer): Font;
}
