import { and, desc, eq, isNull } from "drizzle-orm";
import { inTenant, type Ctx } from "../../lib/context.js";
import { invalid, notFound, unauthenticated } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { sha256 } from "../../lib/crypto.js";
import { forgetCredentials, mintApiToken } from "./authenticate.js";
import { apiTokens } from "./schema.js";

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

const present = (t: typeof apiTokens.$inferSelect): TokenView => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  scopes: t.scopes,
  expiresAt: t.expiresAt,
  lastUsedAt: t.lastUsedAt,
  revokedAt: t.revokedAt,
  createdAt: t.createdAt,
});

function requireSessionUser(ctx: Ctx): string {
  // Tokens are managed from a signed-in session, never by another token.
  if (ctx.actorType !== "user" || !ctx.userId) throw unauthenticated();
  return ctx.userId;
}

export async function findMyTokens(ctx: Ctx): Promise<TokenView[]> {
  const userId = requireSessionUser(ctx);
  const rows = await inTenant(ctx, (tx) =>
    tx.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.createdAt)),
  );
  return rows.map(present);
}

export async function createMyToken(
  ctx: Ctx,
  input: { name: string; scopes: string[]; expiresAt?: Date | undefined },
): Promise<{ token: string; item: TokenView }> {
  const userId = requireSessionUser(ctx);
  for (const scope of input.scopes) {
    if (!/^(\*|[a-z_]+:(\*|[a-z_]+)|\*:[a-z_]+)$/.test(scope)) throw invalid("errors.validation", {}, { field: "scopes", scope });
    // A narrow scope must name something the role holds; wildcards are narrowed to the role anyway.
    if (!scope.includes("*") && !ctx.permissions.has(scope)) throw invalid("errors.scope_exceeds_role", {}, { scope });
  }
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw invalid("errors.validation", {}, { field: "expiresAt" });
  const token = mintApiToken(ctx.tenantId);
  const row = await inTenant(ctx, async (tx) => {
    const [created] = await tx
      .insert(apiTokens)
      .values({
        tenantId: ctx.tenantId,
        userId,
        name: input.name,
        tokenHash: sha256(token),
        prefix: token.slice(0, 10),
        scopes: [...new Set(input.scopes)],
        expiresAt: input.expiresAt ?? null,
      })
      .returning();
    await recordEvent(tx, ctx, { action: "api_token.created", objectType: "api_token", objectId: created!.id, after: created });
    return created!;
  });
  return { token, item: present(row) };
}

export async function revokeMyToken(ctx: Ctx, id: string): Promise<void> {
  const userId = requireSessionUser(ctx);
  await inTenant(ctx, async (tx) => {
    const [current] = await tx
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
      .for("update");
    if (!current) throw notFound("api_token");
    const [row] = await tx.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, id)).returning();
    await recordEvent(tx, ctx, { action: "api_token.revoked", objectType: "api_token", objectId: id, before: current, after: row });
  });
  forgetCredentials();
}

