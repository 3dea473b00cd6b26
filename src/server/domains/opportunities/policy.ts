import { defineObject, recordPolicy } from "../../lib/access.js";
import { opportunities } from "./schema.js";

/**
 * Opportunities are sales objects: sales reps read, create, update and export
 * their own (visibility by owner); managers those of their department.
 * Deleting is not in the reps' derived rights.
 */
export const opportunityObject = defineObject("opportunity", "sales", ["read", "create", "update", "delete", "export"]);

/** Pipelines are configuration: everyone in sales reads them, managers and admins manage them. */
export const pipelineObject = defineObject("pipeline", "sales", ["read", "manage"]);

export const opportunityAccess = recordPolicy("opportunity", opportunities.ownerId);
