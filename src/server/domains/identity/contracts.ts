import { z } from "zod";
import { DateTime } from "../../lib/http.js";
import { LocaleSchema } from "../../lib/i18n.js";

const Email = z.email().max(254);

export const LoginBodySchema = z.strictObject({
  email: Email,
  password: z.string().min(1).max(256),
  totpCode: z.string().regex(/^\d{6}$/).optional(),
});

export const MeSchema = z
  .object({
    user: z.object({ id: z.uuid(), email: z.string(), name: z.string(), locale: LocaleSchema, totpEnabled: z.boolean() }),
    workspace: z.object({ id: z.uuid(), name: z.string(), defaultLocale: LocaleSchema }),
    role: z.object({ id: z.uuid(), key: z.string(), name: z.string() }),
    permissions: z.array(z.string()),
    visibility: z.enum(["own", "team", "department", "all"]),
    workspaces: z.array(z.object({ id: z.uuid(), name: z.string() })),
  })
  .meta({ id: "Me" });
export type Me = z.infer<typeof MeSchema>;

export const SwitchWorkspaceBodySchema = z.strictObject({ workspaceId: z.uuid() });
export const ProfileUpdateSchema = z.strictObject({ name: z.string().trim().min(1).max(100).optional(), locale: LocaleSchema.optional() });
export const PasswordChangeSchema = z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) });
export const ResetRequestSchema = z.strictObject({ email: Email });
export const ResetConfirmSchema = z.strictObject({ token: z.string().min(10).max(200), password: z.string().min(1).max(256) });
export const TotpSetupSchema = z.object({ secret: z.string(), otpauthUrl: z.string() });
export const TotpEnableSchema = z.strictObject({ code: z.string().regex(/^\d{6}$/) });
export const TotpDisableSchema = z.strictObject({ password: z.string().min(1).max(256) });

export const TokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.string()),
    expiresAt: DateTime.nullable(),
    lastUsedAt: DateTime.nullable(),
    revokedAt: DateTime.nullable(),
    createdAt: DateTime,
  })
  .meta({ id: "ApiToken" });
export const TokenCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.string().max(60)).min(1).max(50),
  expiresAt: DateTime.optional(),
});
