import { defineObject } from "../../lib/access.js";

/** Jobs are visible to whoever started them; `job:read` lets a user see every job of the workspace. */
export const jobObject = defineObject("job", "admin", ["read"]);
