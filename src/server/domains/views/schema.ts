import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation, timestamps, versionColumn } from "../../db/columns.js";

export interface ViewQuery {
  filter: string[];
  sort?: string;
  q?: string;
  columns: string[];
  /** Kanban views: the field whose values are the columns. */
  groupBy?: string;
}

/** Saved list views (filters, sort, columns, list or kanban), personal or shared with the workspace. */
export const savedViews = pgTable(
  "saved_views",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    objectType: text("object_type").notNull(),
    name: text("name").notNull(),
    ownerId: uuid("owner_id").notNull(),
    shared: boolean("shared").notNull().default(false),
    layout: text("layout", { enum: ["list", "kanban"] }).notNull().default("list"),
    query: jsonb("query").$type<ViewQuery>().notNull(),
    position: integer("position").notNull().default(0),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("saved_views_owner_idx").on(t.tenantId, t.objectType, t.ownerId), tenantIsolation()],
).enableRLS();
