import { z } from "zod";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Database } from "../../db/client.js";
import { inTenant, type Ctx } from "../../lib/context.js";
import { sha256 } from "../../lib/crypto.js";
import { unauthenticated } from "../../lib/errors.js";
import { recordEvent } from "../../lib/events.js";
import { ctxOf, errors, IdParams, type App } from "../../lib/http.js";
import type { Services } from "../../lib/services.js";
import { authenticate, forgetCredentials } from "./authenticate.js";
import {
  LoginBodySchema,
  MeSchema,
  PasswordChangeSchema,
  ProfileUpdateSchema,
  ResetConfirmSchema,
  ResetRequestSchema,
  SwitchWorkspaceBodySchema,
  TokenCreateSchema,
  TokenSchema,
  TotpDisableSchema,
  TotpEnableSchema,
  TotpSetupSchema,
} from "./contracts.js";
import { login } from "./login.js";
import { getMe } from "./me.js";
import { confirmPasswordReset, requestPasswordReset } from "./password-reset.js";
import { changePassword, disableTotp, enableTotp, setUpTotp, updateProfile } from "./profile.js";
import { deleteSession, deleteUserSessions, SESSION_COOKIE, switchWorkspace } from "./sessions.js";
import { createMyToken, findMyTokens, revokeMyToken } from "./tokens.js";

const tags = ["auth"];

export function setSessionCookie(reply: FastifyReply, services: Services, token: string): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: services.config.cookieSecure,
    maxAge: services.config.sessionDays * 86_400,
  });
}

/** Signs a user in to a workspace in this response: new session, cookie, event, context. */
export async function startSession(
  req: FastifyRequest,
  reply: FastifyReply,
  database: Database,
  services: Services,
  token: string,
  action: string,
): Promise<Ctx> {
  // Rotation: a session cookie sent with the login request is ended.
  const previous = req.cookies[SESSION_COOKIE];
  if (previous) {
    await deleteSession(database, sha256(previous));
    forgetCredentials(`s:${previous}`);
  }
  setSessionCookie(reply, services, token);
  // The rest of this request acts as the new session.
  req.cookies[SESSION_COOKIE] = token;
  delete req.headers.authorization;
  const ctx = await authenticate(req, database, services);
  await inTenant(ctx, (tx) => recordEvent(tx, ctx, { action, objectType: "user", objectId: ctx.userId! }));
  return ctx;
}

export function identityRoutes(app: App, database: Database, services: Services): void {
  app.post(
    "/api/v1/auth/login",
    {
      config: { public: true },
      schema: { tags, summary: "Sign in with e-mail and password (and TOTP code when enabled)", body: LoginBodySchema, response: { 200: MeSchema, ...errors } },
    },
    async (req, reply) => {
      const { token } = await login(database, services, {
        ...req.body,
        ip: req.ip,
        userAgent: req.headers["user-agent"] ?? null,
      });
      const ctx = await startSession(req, reply, database, services, token, "session.login");
      return getMe(ctx);
    },
  );

  app.post(
    "/api/v1/auth/logout",
    { config: { public: true }, schema: { tags, summary: "End this session", response: { 204: z.null() } } },
    async (req, reply) => {
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie) {
        await deleteSession(database, sha256(cookie));
        forgetCredentials(`s:${cookie}`);
      }
      void reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/api/v1/auth/logout-all",
    { schema: { tags, summary: "End every session of the signed-in user", response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      const ctx = ctxOf(req);
      if (!ctx.userId || ctx.actorType !== "user") throw unauthenticated();
      const ended = await deleteUserSessions(database, ctx.userId);
      forgetCredentials();
      await inTenant(ctx, (tx) => recordEvent(tx, ctx, { action: "session.logout_all", objectType: "user", objectId: ctx.userId!, data: { ended } }));
      void reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.code(204).send(null);
    },
  );

  app.get("/api/v1/auth/me", { schema: { tags, summary: "The signed-in user, workspace and rights", response: { 200: MeSchema, ...errors } } }, async (req) =>
    getMe(ctxOf(req)),
  );

  app.post(
    "/api/v1/auth/switch-workspace",
    { schema: { tags, summary: "Make another of your workspaces the current one", body: SwitchWorkspaceBodySchema, response: { 200: MeSchema, ...errors } } },
    async (req) => {
      const ctx = ctxOf(req);
      await switchWorkspace(ctx, req.body.workspaceId);
      forgetCredentials(`s:${req.cookies[SESSION_COOKIE] ?? ""}`);
      return getMe(await authenticate(req, database, services));
    },
  );

  app.post(
    "/api/v1/auth/password-reset/request",
    {
      config: { public: true },
      schema: { tags, summary: "E-mail a password reset link (answers 202 whether or not the e-mail exists)", body: ResetRequestSchema, response: { 202: z.null(), ...errors } },
    },
    async (req, reply) => {
      await requestPasswordReset(database, services, req.body.email);
      return reply.code(202).send(null);
    },
  );

  app.post(
    "/api/v1/auth/password-reset/confirm",
    { config: { public: true }, schema: { tags, summary: "Choose a new password with a reset token", body: ResetConfirmSchema, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await confirmPasswordReset(database, services, req.body.token, req.body.password, {
        requestId: req.id,
        ip: req.ip,
        userAgent: req.headers["user-agent"] ?? null,
      });
      return reply.code(204).send(null);
    },
  );

  const meTags = ["profile"];
  app.patch("/api/v1/me", { schema: { tags: meTags, summary: "Update your name or language", body: ProfileUpdateSchema, response: { 200: MeSchema, ...errors } } }, async (req) => {
    const ctx = ctxOf(req);
    await updateProfile(ctx, req.body);
    return getMe({ ...ctx, locale: req.body.locale ?? ctx.locale });
  });

  app.post(
    "/api/v1/me/password",
    { schema: { tags: meTags, summary: "Change your password (ends your other sessions)", body: PasswordChangeSchema, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await changePassword(ctxOf(req), req.body);
      return reply.code(204).send(null);
    },
  );

  app.post("/api/v1/me/totp/setup", { schema: { tags: meTags, summary: "Start two-factor set-up", response: { 200: TotpSetupSchema, ...errors } } }, async (req) =>
    setUpTotp(ctxOf(req)),
  );
  app.post(
    "/api/v1/me/totp/enable",
    { schema: { tags: meTags, summary: "Confirm two-factor set-up with a code", body: TotpEnableSchema, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await enableTotp(ctxOf(req), req.body.code);
      return reply.code(204).send(null);
    },
  );
  app.post(
    "/api/v1/me/totp/disable",
    { schema: { tags: meTags, summary: "Turn two-factor off (needs your password)", body: TotpDisableSchema, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await disableTotp(ctxOf(req), req.body.password);
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/api/v1/me/tokens",
    { schema: { tags: meTags, summary: "Your API tokens in this workspace", response: { 200: z.object({ items: z.array(TokenSchema) }), ...errors } } },
    async (req) => ({ items: await findMyTokens(ctxOf(req)) }),
  );
  app.post(
    "/api/v1/me/tokens",
    {
      schema: {
        tags: meTags,
        summary: "Create an API token (shown once). Scopes: '*', '*:read', 'user:*', 'user:read'…",
        body: TokenCreateSchema,
        response: { 201: z.object({ token: z.string(), item: TokenSchema }), ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await createMyToken(ctxOf(req), req.body)),
  );
  app.delete(
    "/api/v1/me/tokens/:id",
    { schema: { tags: meTags, summary: "Revoke an API token", params: IdParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await revokeMyToken(ctxOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
