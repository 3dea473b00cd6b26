import { useQuery } from "@tanstack/react-query";
import { api } from "../../app/api.js";

export const CUSTOM_FIELD_TYPES = ["text", "number", "money", "date", "select", "multiselect", "boolean", "user", "url"] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];
export type CustomFieldObject = "customer" | "contact";

export interface CustomFieldOption {
  value: string;
  label: string;
}

/** A field an admin added to customers or contacts; values live in the record's `custom` under `key`. */
export interface CustomField {
  id: string;
  objectType: CustomFieldObject;
  key: string;
  label: string;
  type: CustomFieldType;
  options: CustomFieldOption[];
  required: boolean;
  position: number;
  archived: boolean;
  version: number;
}

export interface CustomFieldCreateInput {
  objectType: CustomFieldObject;
  key: string;
  label: string;
  type: CustomFieldType;
  options?: CustomFieldOption[];
  required?: boolean;
  position?: number;
}

export interface CustomFieldUpdateInput {
  version: number;
  label?: string;
  options?: CustomFieldOption[];
  required?: boolean;
  position?: number;
  archived?: boolean;
}

export const customFieldsKey = ["custom-fields"] as const;

/** The workspace's custom fields of one kind of record, in their order (archived ones included: the admin card shows them). */
export function useCustomFields(objectType: CustomFieldObject, enabled = true) {
  return useQuery({
    queryKey: [...customFieldsKey, objectType],
    queryFn: ({ signal }) => api.get<{ items: CustomField[] }>("/api/v1/custom-fields", { objectType }, signal),
    select: (d) => d.items,
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** The fields a form or a list shows: not archived. */
export function useActiveCustomFields(objectType: CustomFieldObject, enabled = true) {
  const q = useCustomFields(objectType, enabled);
  return { ...q, data: q.data?.filter((f) => !f.archived) };
}

export const createCustomField = (input: CustomFieldCreateInput) => api.post<CustomField>("/api/v1/custom-fields", input);
export const updateCustomField = (id: string, input: CustomFieldUpdateInput) => api.patch<CustomField>(`/api/v1/custom-fields/${id}`, input);
