import { eq } from "drizzle-orm";
import { readTenant, type Ctx } from "../../lib/context.js";
import { unauthenticated } from "../../lib/errors.js";
import { presentRole } from "../workspaces/roles.js";
import { memberships, roles } from "../workspaces/schema.js";
import { getWorkspace, listUserWorkspaces } from "../workspaces/workspaces.js";
import type { Me } from "./contracts.js";
import { getUserById } from "./users.js";

/** Everything the web app needs about the signed-in user, in one call. */
export async function getMe(ctx: Ctx): Promise<Me> {
  if (!ctx.userId) throw unauthenticated();
  const user = await getUserById(ctx.database, ctx.userId);
  if (!user) throw unauthenticated();
  const [role] = await readTenant(ctx, (tx) =>
    tx
      .select({ role: roles })
      .from(memberships)
      .innerJoin(roles, eq(roles.id, memberships.roleId))
      .where(eq(memberships.userId, ctx.userId!)),
  );
  if (!role) throw unauthenticated();
  const presented = presentRole(role.role, ctx.locale);
  const workspace = await getWorkspace(ctx);
  return {
    user: { id: user.id, email: user.email, name: user.name, locale: user.locale === "en-US" ? "en-US" : "zh-CN", totpEnabled: user.totpEnabled },
    workspace: { id: workspace.id, name: workspace.name, defaultLocale: workspace.defaultLocale },
    role: { id: presented.id, key: presented.key, name: presented.name },
    permissions: [...ctx.permissions].sort(),
    visibility: ctx.visibility,
    workspaces: await listUserWorkspaces(ctx.database, user.id),
  };
}
