import { ctxOf, errors, IdParams, setEtag, type App } from "../../lib/http.js";
import { pageSchema } from "../../lib/listing.js";
import { expectedVersion } from "../../lib/versioning.js";
import { TaskCreateSchema, TaskListQuerySchema, TaskSchema, TaskUpdateSchema } from "./contracts.js";
import { createTask, findTasks, getTask, updateTask } from "./tasks.js";

export function taskRoutes(app: App): void {
  app.get(
    "/api/v1/tasks",
    {
      schema: {
        tags: ["tasks"],
        summary:
          "Follow-up tasks I may see (assigned to or created by people whose records I see). Sort: dueAt, createdAt, updatedAt. Filters: status, priority, assigneeId, createdBy, customerId, contactId, dueAt (a calendar: dueAt:gte + dueAt:lt), createdAt; objectType + objectId: one record's tasks",
        querystring: TaskListQuerySchema,
        response: { 200: pageSchema(TaskSchema), ...errors },
      },
    },
    async (req) => findTasks(ctxOf(req), req.query),
  );
  app.post(
    "/api/v1/tasks",
    { schema: { tags: ["tasks"], summary: "Create a task, on a record I may see (objectType + objectId)", body: TaskCreateSchema, response: { 201: TaskSchema, ...errors } } },
    async (req, reply) => {
      const task = await createTask(ctxOf(req), req.body);
      setEtag(reply, task.version);
      return reply.code(201).send(task);
    },
  );
  app.get("/api/v1/tasks/:id", { schema: { tags: ["tasks"], summary: "One task", params: IdParams, response: { 200: TaskSchema, ...errors } } }, async (req, reply) => {
    const task = await getTask(ctxOf(req), req.params.id);
    setEtag(reply, task.version);
    return task;
  });
  app.patch(
    "/api/v1/tasks/:id",
    {
      schema: {
        tags: ["tasks"],
        summary: "Complete, reopen, cancel, reschedule, reassign, re-prioritise or move a task (If-Match or version required)",
        params: IdParams,
        body: TaskUpdateSchema,
        response: { 200: TaskSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const task = await updateTask(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, task.version);
      return task;
    },
  );
}
