import { sql } from "drizzle-orm";
import { boolean, foreignKey, index, pgPolicy, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { idColumn, tenantIdColumn, tenantIsolation, timestamps, versionColumn } from "../../db/columns.js";
import { users } from "../identity/schema.js";

/** A workspace is a tenant: one company's CRM. */
export const workspaces = pgTable("workspaces", {
  id: idColumn().primaryKey(),
  name: text("name").notNull(),
  defaultLocale: text("default_locale").notNull().default("zh-CN"),
  /** The business calendar's IANA zone (Asia/Shanghai); null: the server's (TZ). */
  timeZone: text("time_zone"),
  ...timestamps(),
  version: versionColumn(),
});

/**
 * Roles with their permissions ("object:action") and record visibility
 * (own | team | department | all). System roles are seeded per workspace.
 */
export const roles = pgTable(
  "roles",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    permissions: text("permissions").array().notNull(),
    visibility: text("visibility", { enum: ["own", "team", "department", "all"] }).notNull(),
    isSystem: boolean("is_system").notNull().default(false),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex("roles_key_key").on(t.tenantId, t.key), tenantIsolation()],
).enableRLS();

/** Department tree; `path` is the chain of ids from the root ("/a/b/"), for subtree queries. */
export const departments = pgTable(
  "departments",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    name: text("name").notNull(),
    parentId: uuid("parent_id"),
    path: text("path").notNull(),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.parentId], foreignColumns: [t.tenantId, t.id] }),
    index("departments_path_idx").on(t.tenantId, t.path),
    tenantIsolation(),
  ],
).enableRLS();

export const teams = pgTable(
  "teams",
  {
    tenantId: tenantIdColumn(),
    id: idColumn(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex("teams_name_key").on(t.tenantId, t.name), tenantIsolation()],
).enableRLS();

/**
 * A user's place in a workspace. Visible to the workspace, and to the user
 * themself in a transaction scoped to no workspace (so the switcher can list
 * their workspaces).
 */
export const memberships = pgTable(
  "memberships",
  {
    tenantId: tenantIdColumn().references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    roleId: uuid("role_id").notNull(),
    departmentId: uuid("department_id"),
    status: text("status", { enum: ["active", "disabled"] }).notNull().default("active"),
    ...timestamps(),
    version: versionColumn(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    foreignKey({ columns: [t.tenantId, t.roleId], foreignColumns: [roles.tenantId, roles.id] }),
    foreignKey({ columns: [t.tenantId, t.departmentId], foreignColumns: [departments.tenantId, departments.id] }),
    index("memberships_user_idx").on(t.userId),
    tenantIsolation(),
    // Only outside any tenant (withUserScope): inside a workspace, other workspaces' rows stay invisible.
    pgPolicy("own_memberships", {
      as: "permissive",
      for: "select",
      using: sql`(select current_tenant_id()) is null and user_id = (select current_app_user_id())`,
    }),
  ],
).enableRLS();

export const teamMembers = pgTable(
  "team_members",
  {
    tenantId: tenantIdColumn(),
    teamId: uuid("team_id").notNull(),
    userId: uuid("user_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date", precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.teamId, t.userId] }),
    foreignKey({ columns: [t.tenantId, t.teamId], foreignColumns: [teams.tenantId, teams.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.tenantId, t.userId], foreignColumns: [memberships.tenantId, memberships.userId] }).onDelete("cascade"),
    index("team_members_user_idx").on(t.tenantId, t.userId),
    tenantIsolation(),
  ],
).enableRLS();
