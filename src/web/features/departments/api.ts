import { useQuery } from "@tanstack/react-query";
import { api } from "../../app/api.js";

export interface Department {
  id: string;
  name: string;
  parentId: string | null;
  version: number;
}

export const departmentsKey = ["departments"] as const;

export function useDepartments(enabled = true) {
  return useQuery({
    queryKey: departmentsKey,
    queryFn: ({ signal }) => api.get<{ items: Department[] }>("/api/v1/departments", undefined, signal),
    select: (d) => d.items,
    enabled,
  });
}

export const createDepartment = (input: { name: string; parentId?: string | null }) => api.post<Department>("/api/v1/departments", input);
export const updateDepartment = (id: string, input: { version: number; name?: string; parentId?: string | null }) =>
  api.patch<Department>(`/api/v1/departments/${id}`, input);
export const deleteDepartment = (id: string) => api.delete(`/api/v1/departments/${id}`);

export interface DepartmentNode {
  key: string;
  value: string;
  title: string;
  department: Department;
  isLeaf?: boolean;
  children: DepartmentNode[];
}

/** Builds the tree (for Tree and TreeSelect); orphans whose parent is gone become roots. */
export function buildDepartmentTree(items: Department[], exclude?: string): DepartmentNode[] {
  const byId = new Map(items.map((d) => [d.id, d] as const));
  const excluded = new Set<string>();
  if (exclude) {
    // The department being moved and everything below it cannot become its parent.
    excluded.add(exclude);
    let grew = true;
    while (grew) {
      grew = false;
      for (const d of items) {
        if (d.parentId && excluded.has(d.parentId) && !excluded.has(d.id)) {
          excluded.add(d.id);
          grew = true;
        }
      }
    }
  }
  const nodes = new Map<string, DepartmentNode>();
  for (const d of items) {
    if (!excluded.has(d.id)) nodes.set(d.id, { key: d.id, value: d.id, title: d.name, department: d, children: [] });
  }
  const roots: DepartmentNode[] = [];
  for (const node of nodes.values()) {
    const parentId = node.department.parentId;
    const parent = parentId && byId.has(parentId) ? nodes.get(parentId) : undefined;
    if (parent) parent.children.push(node);
    else if (!parentId || !byId.has(parentId)) roots.push(node);
  }
  const sort = (list: DepartmentNode[]) => {
    list.sort((a, b) => a.title.localeCompare(b.title));
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}
