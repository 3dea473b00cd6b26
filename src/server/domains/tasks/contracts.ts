import { z } from "zod";
import { DateTime, VersionField } from "../../lib/http.js";
import { ListQuerySchema } from "../../lib/listing.js";
import { TASK_OBJECTS, TASK_PRIORITIES } from "./schema.js";

export const TASK_STATUSES = ["open", "done", "cancelled"] as const;

export const TaskSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    notes: z.string(),
    dueAt: DateTime,
    assigneeId: z.uuid(),
    status: z.enum(TASK_STATUSES),
    priority: z.enum(TASK_PRIORITIES),
    objectType: z.enum(TASK_OBJECTS).nullable().meta({ description: "The record the task follows up" }),
    objectId: z.uuid().nullable(),
    recordLabel: z.string().nullable().meta({ description: "The record's name or number, when the caller may see it" }),
    customerId: z.uuid().nullable().meta({ description: "The customer of the record (also for a task on its order, quote or opportunity)" }),
    contactId: z.uuid().nullable(),
    activityId: z.uuid().nullable().meta({ description: "The timeline entry whose next follow-up created the task" }),
    doneAt: DateTime.nullable(),
    createdBy: z.uuid().nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
    version: z.number().int(),
  })
  .meta({ id: "Task" });

const fields = {
  title: z.string().trim().min(1).max(200),
  notes: z.string().trim().max(5000),
  dueAt: DateTime,
  assigneeId: z.uuid(),
  priority: z.enum(TASK_PRIORITIES),
  objectType: z.enum(TASK_OBJECTS),
  objectId: z.uuid(),
};

export const TaskCreateSchema = z.strictObject({
  title: fields.title,
  notes: fields.notes.optional(),
  dueAt: fields.dueAt,
  assigneeId: fields.assigneeId.optional().meta({ description: "Defaults to the caller" }),
  priority: fields.priority.optional().meta({ description: "Defaults to normal" }),
  objectType: fields.objectType.optional(),
  objectId: fields.objectId.optional(),
  customerId: z.uuid().nullable().optional().meta({ description: "Shorthand for objectType customer (may come with contactId)" }),
  contactId: z.uuid().nullable().optional(),
});
export type TaskCreateInput = z.infer<typeof TaskCreateSchema>;

export const TaskUpdateSchema = z.strictObject({
  ...VersionField,
  title: fields.title.optional(),
  notes: fields.notes.optional(),
  dueAt: fields.dueAt.optional(),
  assigneeId: fields.assigneeId.optional(),
  status: z.enum(TASK_STATUSES).optional(),
  priority: fields.priority.optional(),
  objectType: fields.objectType.nullable().optional().meta({ description: "With objectId: move the task to another record; both null: unlink it" }),
  objectId: fields.objectId.nullable().optional(),
});
export type TaskUpdateInput = Omit<z.infer<typeof TaskUpdateSchema>, "version">;

export const TaskListQuerySchema = ListQuerySchema.extend({
  objectType: fields.objectType.optional().meta({ description: "With objectId: the tasks of one record (a customer's include those on its orders, quotes and opportunities)" }),
  objectId: fields.objectId.optional(),
});
export type TaskListQuery = z.infer<typeof TaskListQuerySchema>;
