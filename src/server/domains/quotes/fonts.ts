import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as fontkit from "fontkit";

/**
 * Chinese text in PDFs. A fresh server has no CJK system fonts and must not
 * download any, so the font comes from the `noto-sans-cjk-sc` package (OFL):
 * Noto Sans CJK SC split into a few hundred woff2 subsets per weight (it is a
 * web font). A subset holds ~100 characters, so a text is drawn as runs, each
 * in the subset that has its glyphs; pdfkit embeds only the glyphs used.
 */
export type Weight = "Regular" | "Bold";

export interface FontFace {
  /** The name the run's font is registered under in a pdfkit document. */
  name: string;
  file: string;
}
export interface Run {
  text: string;
  face: FontFace;
}
interface Family {
  faces: FontFace[];
  byCodePoint: Map<number, FontFace>;
  /** Drawn for a character no subset has (shown as the font's empty box, never as a wrong glyph). */
  fallback: FontFace;
}

const families = new Map<Weight, Family>();

function fontDir(weight: Weight): string {
  // The package exports only its CSS; the fonts sit beside it.
  const css = createRequire(import.meta.url).resolve("noto-sans-cjk-sc");
  return path.join(path.dirname(css), "..", "fonts", `NotoSansCJKsc-${weight}`);
}

/** The subsets of one weight, read and indexed on first use (~0.1 s, once per process). */
export function familyOf(weight: Weight): Family {
  const known = families.get(weight);
  if (known) return known;
  const dir = fontDir(weight);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".woff2"))
    .sort();
  const faces: FontFace[] = [];
  const byCodePoint = new Map<number, FontFace>();
  for (const f of files) {
    const file = path.join(dir, f);
    const face = { name: `noto-${weight}-${f.replace(/\.woff2$/, "")}`, file };
    const font = fontkit.create(fs.readFileSync(file));
    faces.push(face);
    for (const cp of font.characterSet) if (!byCodePoint.has(cp) && font.hasGlyphForCodePoint(cp)) byCodePoint.set(cp, face);
  }
  if (faces.length === 0) throw new Error(`no font files in ${dir}`);
  const fallback = byCodePoint.get(0x3f) ?? faces[0]!;
  const family = { faces, byCodePoint, fallback };
  families.set(weight, family);
  return family;
}

/** The face that has the character's glyph, or undefined. */
export function faceFor(char: string, weight: Weight = "Regular"): FontFace | undefined {
  return familyOf(weight).byCodePoint.get(char.codePointAt(0)!);
}

/**
 * Splits a text into runs by the subset that has each character's glyph.
 * Spaces and other characters without a face of their own join the run
 * they stand in, so a Latin word does not break into many runs.
 */
export function splitRuns(text: string, weight: Weight = "Regular"): Run[] {
  const family = familyOf(weight);
  const runs: Run[] = [];
  for (const char of text) {
    const face = family.byCodePoint.get(char.codePointAt(0)!) ?? runs.at(-1)?.face ?? family.fallback;
    const last = runs.at(-1);
    if (last && last.face === face) last.text += char;
    else runs.push({ text: char, face });
  }
  return runs;
}
