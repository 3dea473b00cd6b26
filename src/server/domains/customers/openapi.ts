import type { CustomFieldView } from "./custom-fields.js";

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema> };
type Doc = { components?: { schemas?: Record<string, JsonSchema> }; paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>> };

/** The JSON Schema of one custom field's value. */
function valueSchema(f: CustomFieldView): JsonSchema {
  const base: JsonSchema = (() => {
    switch (f.type) {
      case "number":
        return { type: "number" };
      case "money":
        return { type: "string", pattern: "^-?\\d{1,16}(\\.\\d{1,2})?$" };
      case "date":
        return { type: "string", format: "date" };
      case "boolean":
        return { type: "boolean" };
      case "url":
        return { type: "string", format: "uri" };
      case "user":
        return { type: "string", format: "uuid", description: "A user id" };
      case "select":
        return { type: "string", enum: f.options.map((o) => o.value) };
      case "multiselect":
        return { type: "array", items: { type: "string", enum: f.options.map((o) => o.value) } };
      default:
        return { type: "string", maxLength: 2000 };
    }
  })();
  return { ...base, title: f.label, description: `${f.label}${f.required ? " (required)" : ""}` };
}

/**
 * The API description with this workspace's custom fields spelled out in the
 * `custom` object of customers and contacts (requests and responses).
 */
export function withCustomFields(doc: unknown, fields: CustomFieldView[]): unknown {
  const copy = structuredClone(doc) as Doc;
  const custom = (objectType: "customer" | "contact"): JsonSchema => {
    const own = fields.filter((f) => f.objectType === objectType && !f.archived);
    return {
      type: "object",
      description: "Custom fields of this workspace",
      properties: Object.fromEntries(own.map((f) => [f.key, valueSchema(f)])),
      additionalProperties: false,
    };
  };
  const patch = (schema: JsonSchema | undefined, objectType: "customer" | "contact") => {
    if (schema?.properties?.custom) schema.properties.custom = custom(objectType);
  };
  for (const [name, schema] of Object.entries(copy.components?.schemas ?? {})) {
    if (name === "Customer" || name === "CustomerDetail") patch(schema, "customer");
    if (name === "Contact") patch(schema, "contact");
  }
  for (const [path, ops] of Object.entries(copy.paths ?? {})) {
    const objectType = path.startsWith("/api/v1/customers") ? "customer" : path.startsWith("/api/v1/contacts") ? "contact" : null;
    if (!objectType) continue;
    for (const op of Object.values(ops)) patch(op.requestBody?.content?.["application/json"]?.schema, objectType);
  }
  return copy;
}
