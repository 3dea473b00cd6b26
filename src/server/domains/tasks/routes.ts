import { z } from "zod";
import { ctxOf, DateTime, errors, IdParams, setEtag, VersionField, type App } from "../../lib/http.js";
import { ListQuerySchema, pageSchema } from "../../lib/listing.js";
import { expectedVersion } from "../../lib/versioning.js";
import { createTask, findTasks, getTask, updateTask } from "./tasks.js";

const TaskSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    notes: z.string(),
    dueAt: DateTime,
    assigneeId: z.uuid(),
    status: z.enum(["open", "done", "cancelled"]),
    customerId: z.uuid().nullable(),
    contactId: z.uuid().nullable(),
    activityId: z.uuid().nullable(),
    doneAt: DateTime.nullable(),
    createdBy: z.uuid().nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
  })
  .meta({ id: "Task" });

const fields = {
  title: z.string().trim().min(1).max(200),
  notes: z.string().trim().max(5000).optional(),
  dueAt: DateTime,
  assigneeId: z.uuid(),
  customerId: z.uuid().nullable().optional(),
  contactId: z.uuid().nullable().optional(),
};

export function taskRoutes(app: App): void {
  app.get(
    "/api/v1/tasks",
    { schema: { tags: ["tasks"], summary: "Follow-up tasks I may see. Sort: dueAt, createdAt. Filters: status, assigneeId, customerId, contactId, dueAt", querystring: ListQuerySchema, response: { 200: pageSchema(TaskSchema), ...errors } } },
    async (req) => findTasks(ctxOf(req), req.query),
  );
  app.post("/api/v1/tasks", { schema: { tags: ["tasks"], summary: "Create a task", body: z.strictObject(fields), response: { 201: TaskSchema, ...errors } } }, async (req, reply) =>
    reply.code(201).send(await createTask(ctxOf(req), req.body)),
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
        summary: "Complete, reschedule or reassign a task (If-Match or version required)",
        params: IdParams,
        body: z.strictObject({ ...VersionField, title: fields.title.optional(), notes: fields.notes, dueAt: DateTime.optional(), assigneeId: z.uuid().optional(), status: z.enum(["open", "done", "cancelled"]).optional() }),
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
