import { describe, expect, it } from "vitest";
import { arrayElement, arrayLiteral, textArrayElement } from "./bulk.js";

describe("array literals for bulk writes", () => {
  it("quotes every element, escaping quotes and backslashes, with NULL and t/f as PostgreSQL writes them", () => {
    expect(arrayLiteral(['a"b', "c\\d", "", null, true, false, 42])).toBe('{"a\\"b","c\\\\d","",NULL,t,f,"42"}');
  });
  it("writes a text[] value as an element of a column of arrays exactly as quoting its own literal again would", () => {
    const samples: string[][] = [
      [],
      [""],
      ["c:王", "c:王建", "p:wangjianguo", "d:13812345678"],
      ['say "hi"', "back\\slash", 'both \\"', "NULL", "{braces}", "a,b", " spaced ", "e:o'neil@example.cn"],
    ];
    for (const values of samples) expect(textArrayElement(values)).toBe(arrayElement(arrayLiteral(values)));
  });
});
