import fastJson from "fast-json-stringify";
import { z } from "zod";

/**
 * Response serialisation from the zod response schemas, compiled once per
 * route with fast-json-stringify (what Fastify does for JSON schemas): only
 * declared properties go out, so a presenter can never leak a column, and
 * Dates become ISO-8601 strings. The wire side of codecs is the schema's
 * input side, hence io "input".
 */
export function serializerCompiler({ schema }: { schema: unknown }): (data: unknown) => string {
  if (!(schema instanceof z.ZodType)) return (data) => JSON.stringify(data);
  // A private registry: schemas with a meta id are inlined instead of becoming $refs.
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-7", metadata: z.registry() });
  return fastJson(json as Parameters<typeof fastJson>[0]);
}
