import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, filter, type Page } from "../../app/api.js";

export const APPROVAL_KINDS = ["credit_override", "discount", "quote", "contract"] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];
export const APPROVAL_STATUSES = ["pending", "approved", "rejected", "withdrawn"] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];
export type ApprovalActionKind = "submit" | "approve" | "reject" | "return" | "comment" | "withdraw";
export type Box = "inbox" | "mine" | "all";

export type Approver = { type: "role"; roleKey: string } | { type: "user"; userId: string } | { type: "managers" };
export interface ApprovalStep {
  name: string;
  approver: Approver;
}

export interface ApprovalFlow {
  id: string;
  kind: ApprovalKind;
  name: string;
  minAmount: string | null;
  steps: ApprovalStep[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}
export type ApprovalFlowInput = Pick<ApprovalFlow, "kind" | "name" | "minAmount" | "steps" | "active">;

export interface ApprovalRequest {
  id: string;
  kind: ApprovalKind;
  objectType: string;
  objectId: string;
  title: string;
  amount: string | null;
  currency: string | null;
  /** Why approval is needed: for credit overrides the credit check's figures. */
  reason: Record<string, unknown>;
  flowId: string | null;
  steps: ApprovalStep[];
  currentStep: number;
  status: ApprovalStatus;
  requestedBy: string;
  decidedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ApprovalAction {
  seq: number;
  step: number;
  actorId: string;
  action: ApprovalActionKind;
  toStep: number | null;
  comment: string;
  at: string;
}

export interface ApprovalDetail extends ApprovalRequest {
  approverIds: string[];
  canDecide: boolean;
  actions: ApprovalAction[];
}

export const approvalsKey = ["approvals"] as const;

export function useApprovals(box: Box, status?: ApprovalStatus) {
  return useInfiniteQuery({
    queryKey: [...approvalsKey, "list", box, status],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<ApprovalRequest>>(
        "/api/v1/approvals",
        { box, limit: 50, cursor: pageParam, sort: "-createdAt", filter: [filter("status", "eq", status)].filter((x): x is string => Boolean(x)) },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/**
 * The latest request of a kind for one record that I may see, whoever asked
 * for it (the requester, the current step's approvers, managers and admins
 * alike), or null: a record's page shows its pending approval to all of them.
 */
export function useRecordApproval(objectType: string, objectId: string, kind: ApprovalKind, enabled = true) {
  return useQuery({
    queryKey: [...approvalsKey, "record", objectType, objectId, kind],
    queryFn: async ({ signal }) => {
      const page = await api.get<Page<ApprovalRequest>>("/api/v1/approvals", { objectType, objectId, limit: 1, sort: "-createdAt", filter: [`kind:eq:${kind}`] }, signal);
      return page.items[0] ?? null;
    },
    enabled: enabled && Boolean(objectId),
  });
}

export const approvalKey = (id: string) => [...approvalsKey, "one", id] as const;

export function useApproval(id: string | null | undefined) {
  return useQuery({
    queryKey: approvalKey(id ?? ""),
    queryFn: ({ signal }) => api.get<ApprovalDetail>(`/api/v1/approvals/${id}`, undefined, signal),
    enabled: Boolean(id),
    staleTime: 0,
  });
}

export type Decision = "approve" | "reject" | "withdraw";
export const decide = (id: string, action: Decision, version: number, comment: string) =>
  api.post<ApprovalDetail>(`/api/v1/approvals/${id}/${action}`, { version, ...(comment.trim() ? { comment: comment.trim() } : {}) });
export const returnRequest = (id: string, version: number, toStep: number, comment: string) =>
  api.post<ApprovalDetail>(`/api/v1/approvals/${id}/return`, { version, toStep, ...(comment.trim() ? { comment: comment.trim() } : {}) });
export const commentRequest = (id: string, comment: string) => api.post<ApprovalDetail>(`/api/v1/approvals/${id}/comment`, { comment });

export const flowsKey = ["approval-flows"] as const;

export function useApprovalFlows(enabled = true) {
  return useQuery({
    queryKey: flowsKey,
    queryFn: ({ signal }) => api.get<{ items: ApprovalFlow[] }>("/api/v1/approval-flows", undefined, signal),
    select: (d) => d.items,
    enabled,
  });
}
export const createFlow = (input: ApprovalFlowInput) => api.post<ApprovalFlow>("/api/v1/approval-flows", input);
export const updateFlow = (id: string, input: Partial<ApprovalFlowInput> & { version: number }) => api.patch<ApprovalFlow>(`/api/v1/approval-flows/${id}`, input);
