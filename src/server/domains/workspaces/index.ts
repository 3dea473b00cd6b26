// What other domains may use of workspaces, members, roles, departments and teams.
export { loadAccess, type Access } from "./access.js";
export { createDepartment, findDepartments } from "./departments.js";
export { createMember, findMembers } from "./members.js";
export { effectivePermissions, findRoles } from "./roles.js";
export { createTeam, findTeams, updateTeam } from "./teams.js";
export { createWorkspace, firstWorkspaceOf, listUserWorkspaces, needsSetup, setUp } from "./workspaces.js";
export { workspaceToday, workspaceZone } from "./calendar.js";
export { workspaceRoutes } from "./routes.js";
export * from "./policy.js";
