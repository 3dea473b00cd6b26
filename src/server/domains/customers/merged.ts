import type { FastifyReply } from "fastify";
import type { Ctx } from "../../lib/context.js";
import { AppError } from "../../lib/errors.js";
import { contactSurvivor } from "./contacts.js";
import { customerSurvivor } from "./customers.js";

/**
 * Reads under a record's id, where a merged-away id lives on in its survivor
 * (exchange/merge.ts): when `read` finds nothing, the same path under the
 * survivor's id (query string kept) is answered with 308, so old links and
 * API clients follow the merge — the record itself and its sub-resources
 * (timeline …) alike. Returns the read's result, or undefined once redirected.
 */
export async function orSurvivor<T>(
  ctx: Ctx,
  req: { params: { id: string }; url: string },
  reply: FastifyReply,
  objectType: "customer" | "contact",
  read: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "NOT_FOUND") throw err;
    const id = req.params.id;
    const survivor = objectType === "customer" ? await customerSurvivor(ctx, id) : await contactSurvivor(ctx, id);
    if (!survivor) throw err;
    const [path = "", query] = req.url.split("?");
    const location = path.replace(`/${encodeURIComponent(id)}`, `/${survivor}`).replace(`/${id}`, `/${survivor}`);
    await reply.redirect(query === undefined ? location : `${location}?${query}`, 308);
    return undefined;
  }
}
