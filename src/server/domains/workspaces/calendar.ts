import { eq } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { localDate, serverZone } from "../../lib/calendar.js";
import { workspaces } from "./schema.js";

/**
 * The workspace's business calendar zone (the server's when it has none):
 * read in the caller's transaction, so a change applies from the next request
 * in every process.
 */
export async function workspaceZone(tx: Tx, tenantId: string): Promise<string> {
  const [row] = await tx.select({ timeZone: workspaces.timeZone }).from(workspaces).where(eq(workspaces.id, tenantId));
  return row?.timeZone ?? serverZone();
}

/** Today's date (YYYY-MM-DD) in the workspace's calendar. */
export const workspaceToday = async (tx: Tx, tenantId: string, at = new Date()): Promise<string> => localDate(await workspaceZone(tx, tenantId), at);
