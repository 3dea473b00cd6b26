// What other domains (orders, quotes) may use of the catalogue and its pricing.
import "./messages.js";

export { priceListObject, productObject } from "./policy.js";
export { exchangeRates, priceListItems, priceLists, pricingSettings, productCategories, products } from "./schema.js";
export { baseCurrency, convert } from "./exchange-rates.js";
export { priceFor, type Price, type PriceQuery } from "./pricing.js";
export { discountRateOf } from "./discount-terms.js";
export { productsByIds, type ProductSummary } from "./products.js";
export { isCurrency } from "./contracts.js";
