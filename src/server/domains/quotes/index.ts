// What other domains may use of quotes.
export { quoteAccess, quoteObject } from "./policy.js";
export { quoteLines, quoteRevisions, quotes } from "./schema.js";
export { chineseCapitalAmount } from "./capitals.js";
