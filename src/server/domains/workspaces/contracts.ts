import { z } from "zod";
import { DateTime, VersionField } from "../../lib/http.js";
import { LocaleSchema } from "../../lib/i18n.js";
import { isTimeZone } from "../../lib/calendar.js";
import "./messages.js";

const Name = z.string().trim().min(1).max(100);
const Visibility = z.enum(["own", "team", "department", "all"]);

export const UserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    locale: z.string(),
    roleId: z.uuid(),
    roleKey: z.string(),
    roleName: z.string(),
    departmentId: z.uuid().nullable(),
    teamIds: z.array(z.uuid()),
    status: z.enum(["active", "disabled"]),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
  })
  .meta({ id: "User" });

export const UserNameSchema = z.object({ id: z.uuid(), name: z.string(), status: z.enum(["active", "disabled"]) }).meta({ id: "UserName" });

/** `ids=a,b,c`: up to 100 user ids. */
export const UserNamesQuerySchema = z.strictObject({
  ids: z
    .string()
    .max(100 * 37)
    .transform((v) => [...new Set(v.split(",").map((s) => s.trim()).filter(Boolean))])
    .pipe(z.array(z.uuid()).max(100)),
});

export const UserCreateSchema = z.strictObject({
  email: z.email().max(254),
  name: Name,
  password: z.string().min(1).max(256).optional(),
  roleId: z.uuid(),
  departmentId: z.uuid().nullable().optional(),
  teamIds: z.array(z.uuid()).max(100).optional(),
});

export const UserUpdateSchema = z.strictObject({
  ...VersionField,
  name: Name.optional(),
  roleId: z.uuid().optional(),
  departmentId: z.uuid().nullable().optional(),
  teamIds: z.array(z.uuid()).max(100).optional(),
  status: z.enum(["active", "disabled"]).optional(),
});

export const RoleSchema = z
  .object({
    id: z.uuid(),
    key: z.string(),
    name: z.string(),
    description: z.string(),
    permissions: z.array(z.string()),
    visibility: Visibility,
    isSystem: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: "Role" });

export const RoleCreateSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/),
  name: Name,
  description: z.string().max(500).optional(),
  permissions: z.array(z.string().max(80)).max(500),
  visibility: Visibility,
});
export const RoleUpdateSchema = z.strictObject({
  ...VersionField,
  name: Name.optional(),
  description: z.string().max(500).optional(),
  permissions: z.array(z.string().max(80)).max(500).optional(),
  visibility: Visibility.optional(),
});

export const PermissionCatalogSchema = z.object({
  objects: z.array(z.object({ name: z.string(), area: z.string(), actions: z.array(z.string()) })),
});

export const DepartmentSchema = z
  .object({ id: z.uuid(), name: z.string(), parentId: z.uuid().nullable(), version: z.number().int() })
  .meta({ id: "Department" });
export const DepartmentCreateSchema = z.strictObject({ name: Name, parentId: z.uuid().nullable().optional() });
export const DepartmentUpdateSchema = z.strictObject({ ...VersionField, name: Name.optional(), parentId: z.uuid().nullable().optional() });

export const TeamSchema = z
  .object({ id: z.uuid(), name: z.string(), description: z.string(), memberIds: z.array(z.uuid()), version: z.number().int() })
  .meta({ id: "Team" });
export const TeamCreateSchema = z.strictObject({
  name: Name,
  description: z.string().max(500).optional(),
  memberIds: z.array(z.uuid()).max(1000).optional(),
});
export const TeamUpdateSchema = z.strictObject({
  ...VersionField,
  name: Name.optional(),
  description: z.string().max(500).optional(),
  memberIds: z.array(z.uuid()).max(1000).optional(),
});

export const WorkspaceSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    defaultLocale: LocaleSchema,
    timeZone: z.string().nullable().meta({ description: "The business calendar's IANA time zone as set; null: the server's (TZ)" }),
    effectiveTimeZone: z.string().meta({ description: "The zone order dates, \"today\", target periods and the morning digest follow" }),
    serverTimeZone: z.string().meta({ description: "The server's zone (TZ), followed while timeZone is null" }),
    version: z.number().int(),
  })
  .meta({ id: "Workspace" });
export const WorkspaceCreateSchema = z.strictObject({ name: Name, defaultLocale: LocaleSchema.optional() });
const TimeZone = z
  .string()
  .trim()
  .max(64)
  .refine(isTimeZone, { message: "workspace.time_zone_unknown" })
  .nullable()
  .meta({ description: "An IANA time zone (Asia/Shanghai, Europe/Berlin); null: follow the server's (TZ)", example: "Asia/Shanghai" });
export const WorkspaceUpdateSchema = z.strictObject({ ...VersionField, name: Name.optional(), defaultLocale: LocaleSchema.optional(), timeZone: TimeZone.optional() });
