import { z } from "zod";
import type { Database } from "../../db/client.js";
import { allObjects, requireAccess } from "../../lib/access.js";
import { ctxOf, errors, IdParams, setEtag, type App } from "../../lib/http.js";
import { ListQuerySchema, pageSchema } from "../../lib/listing.js";
import type { Services } from "../../lib/services.js";
import { expectedVersion } from "../../lib/versioning.js";
import {
  DepartmentCreateSchema,
  DepartmentSchema,
  DepartmentUpdateSchema,
  PermissionCatalogSchema,
  RoleCreateSchema,
  RoleSchema,
  RoleUpdateSchema,
  TeamCreateSchema,
  TeamSchema,
  TeamUpdateSchema,
  UserCreateSchema,
  UserNameSchema,
  UserNamesQuerySchema,
  UserSchema,
  UserUpdateSchema,
  WorkspaceCreateSchema,
  WorkspaceSchema,
  WorkspaceUpdateSchema,
} from "./contracts.js";
import { createDepartment, deleteDepartment, findDepartments, getDepartment, updateDepartment } from "./departments.js";
import { createMember, findMembers, getMember, memberNames, removeMember, updateMember } from "./members.js";
import { createRole, deleteRole, findRoles, getRole, updateRole } from "./roles.js";
import { createTeam, deleteTeam, findTeams, getTeam, updateTeam } from "./teams.js";
import { createWorkspace, getWorkspace, listUserWorkspaces, updateWorkspace } from "./workspaces.js";

const NoContent = { 204: z.null(), ...errors };
const items = <T extends z.ZodType>(s: T) => z.object({ items: z.array(s) });

export function workspaceRoutes(app: App, database: Database, services: Services): void {
  // Users (members of the current workspace)
  app.get(
    "/api/v1/users",
    {
      schema: {
        tags: ["users"],
        summary: "List the workspace's users. Sort: name, email, createdAt (prefix - for descending). Filters: name, email, createdAt, status, roleId, departmentId",
        querystring: ListQuerySchema,
        response: { 200: pageSchema(UserSchema), ...errors },
      },
    },
    async (req) => findMembers(ctxOf(req), req.query),
  );
  app.get(
    "/api/v1/users/names",
    {
      schema: {
        tags: ["users"],
        summary: "Display names of members by id (ids=a,b,c; up to 100), for anyone in the workspace: owners and authors shown on records",
        querystring: UserNamesQuerySchema,
        response: { 200: items(UserNameSchema), ...errors },
      },
    },
    async (req) => ({ items: await memberNames(ctxOf(req), req.query.ids) }),
  );
  app.post(
    "/api/v1/users",
    { schema: { tags: ["users"], summary: "Add a user to the workspace (without password: an invitation e-mail)", body: UserCreateSchema, response: { 201: UserSchema, ...errors } } },
    async (req, reply) => {
      const user = await createMember(ctxOf(req), req.body);
      setEtag(reply, user.version);
      return reply.code(201).send(user);
    },
  );
  app.get("/api/v1/users/:id", { schema: { tags: ["users"], summary: "One user", params: IdParams, response: { 200: UserSchema, ...errors } } }, async (req, reply) => {
    const user = await getMember(ctxOf(req), req.params.id);
    setEtag(reply, user.version);
    return user;
  });
  app.patch(
    "/api/v1/users/:id",
    { schema: { tags: ["users"], summary: "Change a user's role, department, teams, status or name (If-Match or version required)", params: IdParams, body: UserUpdateSchema, response: { 200: UserSchema, ...errors } } },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const user = await updateMember(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, user.version);
      return user;
    },
  );
  app.delete("/api/v1/users/:id", { schema: { tags: ["users"], summary: "Remove a user from the workspace", params: IdParams, response: NoContent } }, async (req, reply) => {
    await removeMember(ctxOf(req), req.params.id);
    return reply.code(204).send(null);
  });

  // Roles and the permission catalogue
  app.get("/api/v1/permissions", { schema: { tags: ["roles"], summary: "Every object and action a role can be granted", response: { 200: PermissionCatalogSchema, ...errors } } }, async (req) => {
    requireAccess(ctxOf(req), "role:read");
    return { objects: allObjects().map((o) => ({ name: o.name, area: o.area, actions: [...o.actions] })) };
  });
  app.get("/api/v1/roles", { schema: { tags: ["roles"], summary: "List roles", response: { 200: items(RoleSchema), ...errors } } }, async (req) => ({
    items: await findRoles(ctxOf(req)),
  }));
  app.post("/api/v1/roles", { schema: { tags: ["roles"], summary: "Create a custom role", body: RoleCreateSchema, response: { 201: RoleSchema, ...errors } } }, async (req, reply) =>
    reply.code(201).send(await createRole(ctxOf(req), req.body)),
  );
  app.get("/api/v1/roles/:id", { schema: { tags: ["roles"], summary: "One role", params: IdParams, response: { 200: RoleSchema, ...errors } } }, async (req, reply) => {
    const role = await getRole(ctxOf(req), req.params.id);
    setEtag(reply, role.version);
    return role;
  });
  app.patch(
    "/api/v1/roles/:id",
    { schema: { tags: ["roles"], summary: "Change a custom role", params: IdParams, body: RoleUpdateSchema, response: { 200: RoleSchema, ...errors } } },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const updated = await updateRole(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, updated.version);
      return updated;
    },
  );
  app.delete("/api/v1/roles/:id", { schema: { tags: ["roles"], summary: "Delete a custom role no one holds", params: IdParams, response: NoContent } }, async (req, reply) => {
    await deleteRole(ctxOf(req), req.params.id);
    return reply.code(204).send(null);
  });

  // Departments
  app.get("/api/v1/departments", { schema: { tags: ["departments"], summary: "The department tree (flat, parents first)", response: { 200: items(DepartmentSchema), ...errors } } }, async (req) => ({
    items: await findDepartments(ctxOf(req)),
  }));
  app.post(
    "/api/v1/departments",
    { schema: { tags: ["departments"], summary: "Create a department", body: DepartmentCreateSchema, response: { 201: DepartmentSchema, ...errors } } },
    async (req, reply) => reply.code(201).send(await createDepartment(ctxOf(req), req.body)),
  );
  app.get("/api/v1/departments/:id", { schema: { tags: ["departments"], summary: "One department", params: IdParams, response: { 200: DepartmentSchema, ...errors } } }, async (req, reply) => {
    const dept = await getDepartment(ctxOf(req), req.params.id);
    setEtag(reply, dept.version);
    return dept;
  });
  app.patch(
    "/api/v1/departments/:id",
    { schema: { tags: ["departments"], summary: "Rename or move a department", params: IdParams, body: DepartmentUpdateSchema, response: { 200: DepartmentSchema, ...errors } } },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const updated = await updateDepartment(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, updated.version);
      return updated;
    },
  );
  app.delete("/api/v1/departments/:id", { schema: { tags: ["departments"], summary: "Delete an empty department", params: IdParams, response: NoContent } }, async (req, reply) => {
    await deleteDepartment(ctxOf(req), req.params.id);
    return reply.code(204).send(null);
  });

  // Teams
  app.get("/api/v1/teams", { schema: { tags: ["teams"], summary: "List teams with their members", response: { 200: items(TeamSchema), ...errors } } }, async (req) => ({
    items: await findTeams(ctxOf(req)),
  }));
  app.post("/api/v1/teams", { schema: { tags: ["teams"], summary: "Create a team", body: TeamCreateSchema, response: { 201: TeamSchema, ...errors } } }, async (req, reply) =>
    reply.code(201).send(await createTeam(ctxOf(req), req.body)),
  );
  app.get("/api/v1/teams/:id", { schema: { tags: ["teams"], summary: "One team with its members", params: IdParams, response: { 200: TeamSchema, ...errors } } }, async (req, reply) => {
    const team = await getTeam(ctxOf(req), req.params.id);
    setEtag(reply, team.version);
    return team;
  });
  app.patch(
    "/api/v1/teams/:id",
    { schema: { tags: ["teams"], summary: "Change a team or its members", params: IdParams, body: TeamUpdateSchema, response: { 200: TeamSchema, ...errors } } },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const updated = await updateTeam(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, updated.version);
      return updated;
    },
  );
  app.delete("/api/v1/teams/:id", { schema: { tags: ["teams"], summary: "Delete a team", params: IdParams, response: NoContent } }, async (req, reply) => {
    await deleteTeam(ctxOf(req), req.params.id);
    return reply.code(204).send(null);
  });

  // Workspaces
  app.get("/api/v1/workspaces", { schema: { tags: ["workspaces"], summary: "Your workspaces", response: { 200: items(z.object({ id: z.uuid(), name: z.string() })), ...errors } } }, async (req) => ({
    items: await listUserWorkspaces(database, ctxOf(req).userId!),
  }));
  app.post(
    "/api/v1/workspaces",
    { schema: { tags: ["workspaces"], summary: "Create another workspace, owned by you", body: WorkspaceCreateSchema, response: { 201: WorkspaceSchema, ...errors } } },
    async (req, reply) => {
      const ctx = ctxOf(req);
      requireAccess(ctx, "workspace:update");
      const ws = await createWorkspace(database, services, {
        name: req.body.name,
        ownerId: ctx.userId!,
        defaultLocale: req.body.defaultLocale ?? ctx.locale,
        actor: ctx,
      });
      return reply.code(201).send(ws);
    },
  );
  app.get("/api/v1/workspace", { schema: { tags: ["workspaces"], summary: "The current workspace", response: { 200: WorkspaceSchema, ...errors } } }, async (req, reply) => {
    const ws = await getWorkspace(ctxOf(req));
    setEtag(reply, ws.version);
    return ws;
  });
  app.patch(
    "/api/v1/workspace",
    { schema: { tags: ["workspaces"], summary: "Rename the current workspace, change its default language or its time zone (the business calendar)", body: WorkspaceUpdateSchema, response: { 200: WorkspaceSchema, ...errors } } },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const ws = await updateWorkspace(ctxOf(req), expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, ws.version);
      return ws;
    },
  );
}
