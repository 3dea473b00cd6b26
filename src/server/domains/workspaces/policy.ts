import { defineObject } from "../../lib/access.js";

export const workspaceObject = defineObject("workspace", "admin", ["read", "update", "delete"]);
export const userObject = defineObject("user", "admin", ["read", "create", "update", "delete"]);
export const roleObject = defineObject("role", "admin", ["read", "create", "update", "delete"]);
export const departmentObject = defineObject("department", "admin", ["read", "create", "update", "delete"]);
export const teamObject = defineObject("team", "admin", ["read", "create", "update", "delete"]);
