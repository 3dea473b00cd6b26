import { defineObject } from "../../lib/access.js";

export const auditObject = defineObject("audit", "admin", ["read"]);
