// What other domains may use of tasks.
export { addTask, type TaskInput, type TaskView } from "./tasks.js";
export { taskObject, taskVisible } from "./policy.js";
export { taskDigests, tasks, TASK_OBJECTS, TASK_PRIORITIES } from "./schema.js";
