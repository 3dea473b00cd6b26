import { defineObject } from "../../lib/access.js";

/**
 * The catalogue is sales work: in the "sales" area the built-in sales role
 * derives read/create/update/export, so reps can add the products they sell
 * and keep their descriptions current, as the issue asks. Categories are
 * part of the catalogue and follow the product's rights (create a category
 * with product:create; rename, move or delete one with product:update).
 */
export const productObject = defineObject("product", "sales", ["read", "create", "update", "export"]);

/**
 * Price lists, exchange rates and the base currency decide what customers
 * pay, so changing them is "manage", an action the sales role's derived
 * rights (read/create/update/export/claim) do not include: reps read the
 * prices, managers, admins and owners set them. Custom roles list it
 * explicitly.
 */
export const priceListObject = defineObject("price_list", "sales", ["read", "manage"]);
