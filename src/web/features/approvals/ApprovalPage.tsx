import { CheckOutlined, CloseOutlined, MessageOutlined, RollbackOutlined, UndoOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Col, Empty, Flex, Input, Popconfirm, Row, Select, Skeleton, Steps, Timeline, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { QueryError } from "../../app/components/QueryError.js";
import { BackLink } from "../../app/components/record.js";
import { useSaveErrorHandler } from "../../app/errors.js";
import { useCan, useSession } from "../../app/session.js";
import type { CreditCheck } from "../orders/api.js";
import { ordersKey } from "../orders/api.js";
import { quotesKey } from "../quotes/api.js";
import { CreditCheckView } from "../orders/credit.js";
import { formatAmount } from "../orders/money.js";
import { useRoles } from "../roles/api.js";
import { useUserNames } from "../users/names.js";
import { approvalKey, approvalsKey, commentRequest, decide, returnRequest, useApproval, type ApprovalAction, type ApprovalDetail, type Approver, type Decision } from "./api.js";
import { ApprovalKindTag, ApprovalStatusTag } from "./tags.js";

const isCreditCheck = (r: Record<string, unknown>): r is Record<string, unknown> & CreditCheck => Array.isArray(r.exceeded) && typeof r.orderAmount === "string";

/** Who decides a step, in words. */
export function useApproverText() {
  const { t } = useTranslation();
  const can = useCan();
  const roles = useRoles(can("role:read"));
  const userName = useUserNames();
  return (a: Approver) =>
    a.type === "managers"
      ? t("approvals.approverTypes.managers")
      : a.type === "role"
        ? `${t("approvals.approverTypes.role")}: ${roles.data?.find((r) => r.key === a.roleKey)?.name ?? a.roleKey}`
        : `${t("approvals.approverTypes.user")}: ${userName(a.userId) ?? "…"}`;
}

/** One approval request: its steps (current highlighted), why it was asked, its history, and the decisions the caller may take. */
export function ApprovalPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const me = useSession();
  const userName = useUserNames();
  const approverText = useApproverText();
  const request = useApproval(id);

  if (request.isError) return <QueryError error={request.error} onRetry={() => void request.refetch()} />;
  if (!request.data) return <Skeleton active />;
  const r = request.data;
  const finished = r.status !== "pending";

  return (
    <>
      <BackLink to="/approvals">{t("approvals.backToList")}</BackLink>
      <Card style={{ marginBottom: 16 }} data-testid="approval-header">
        <Flex vertical gap={6}>
          <Flex gap={8} align="center" wrap="wrap">
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="approval-title">
              {r.title}
            </Typography.Title>
            <ApprovalKindTag kind={r.kind} />
            <ApprovalStatusTag status={r.status} />
          </Flex>
          <Typography.Text type="secondary">
            {t("approvals.requester")}: {userName(r.requestedBy) ?? "—"} · {dayjs(r.createdAt).format("L LT")}
            {r.amount ? ` · ${t("approvals.amount")}: ${formatAmount(r.amount, r.currency)}` : ""}
          </Typography.Text>
          {r.objectType === "order" ? (
            <Link to={`/orders/${r.objectId}`} data-testid="approval-order-link">
              {t("approvals.openOrder")}
            </Link>
          ) : r.objectType === "quote" ? (
            <Link to={`/quotes/${r.objectId}`} data-testid="approval-quote-link">
              {t("approvals.openQuote")}
            </Link>
          ) : null}
        </Flex>
        <Steps
          style={{ marginTop: 20 }}
          size="small"
          current={r.status === "approved" ? r.steps.length : r.currentStep}
          status={r.status === "rejected" ? "error" : r.status === "approved" ? "finish" : r.status === "withdrawn" ? "wait" : "process"}
          items={r.steps.map((s, i) => ({
            title: s.name,
            description: (
              <span>
                {approverText(s.approver)}
                {i === r.currentStep && !finished && r.approverIds.length ? (
                  <>
                    <br />
                    {t("approvals.waitingFor", { names: r.approverIds.map((u) => userName(u) ?? "…").join("、") })}
                  </>
                ) : null}
              </span>
            ),
          }))}
          data-testid="approval-steps"
        />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card title={t("approvals.reason")} style={{ marginBottom: 16 }}>
            {isCreditCheck(r.reason) ? <CreditCheckView check={r.reason} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
          </Card>
          <Card title={t("approvals.history")}>
            <History request={r} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          {!finished ? <DecisionPanel request={r} isRequester={r.requestedBy === me.user.id} /> : null}
        </Col>
      </Row>
    </>
  );
}

function History({ request: r }: { request: ApprovalDetail }) {
  const { t } = useTranslation();
  const userName = useUserNames();
  const color = (a: ApprovalAction) => ({ approve: "green", reject: "red", return: "orange", withdraw: "gray", comment: "blue", submit: "blue" })[a.action];
  return (
    <Timeline
      data-testid="approval-history"
      items={r.actions.map((a) => ({
        key: a.seq,
        color: color(a),
        content: (
          <Flex vertical gap={2}>
            <span>
              <Typography.Text strong>{userName(a.actorId) ?? "—"}</Typography.Text> {t(`approvals.actions.${a.action}`, { step: (a.toStep ?? 0) + 1 })}
              <Typography.Text type="secondary"> · {r.steps[a.step]?.name ?? ""}</Typography.Text>
            </span>
            {a.comment ? <Typography.Text style={{ whiteSpace: "pre-wrap" }}>{a.comment}</Typography.Text> : null}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {dayjs(a.at).format("L LT")}
            </Typography.Text>
          </Flex>
        ),
      }))}
    />
  );
}

function DecisionPanel({ request: r, isRequester }: { request: ApprovalDetail; isRequester: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const [comment, setComment] = useState("");
  const [toStep, setToStep] = useState<number | undefined>(r.currentStep > 0 ? r.currentStep - 1 : undefined);

  const after = (d: ApprovalDetail, text: string) => {
    queryClient.setQueryData(approvalKey(d.id), d);
    void queryClient.invalidateQueries({ queryKey: [...approvalsKey, "list"] });
    void queryClient.invalidateQueries({ queryKey: [...approvalsKey, "record"] });
    // The order or quote moves with the decision.
    void queryClient.invalidateQueries({ queryKey: ordersKey });
    void queryClient.invalidateQueries({ queryKey: quotesKey });
    setComment("");
    void message.success(text);
  };
  const reload = () => void queryClient.invalidateQueries({ queryKey: approvalKey(r.id) });

  const decision = useMutation({
    mutationFn: (action: Decision) => decide(r.id, action, r.version, comment),
    onSuccess: (d, action) => after(d, t(action === "approve" ? "approvals.approvedMsg" : action === "reject" ? "approvals.rejectedMsg" : "approvals.withdrawnMsg")),
    onError: (err) => handleSaveError(err, undefined, reload),
  });
  const back = useMutation({
    mutationFn: () => returnRequest(r.id, r.version, toStep!, comment),
    onSuccess: (d) => after(d, t("approvals.returnedMsg")),
    onError: (err) => handleSaveError(err, undefined, reload),
  });
  const note = useMutation({
    mutationFn: () => commentRequest(r.id, comment.trim()),
    onSuccess: (d) => after(d, t("approvals.commentedMsg")),
    onError: (err) => handleSaveError(err, undefined, reload),
  });
  const busy = decision.isPending || back.isPending || note.isPending;

  return (
    <Card title={t("approvals.decide")} data-testid="approval-decide">
      <Flex vertical gap={12}>
        <Input.TextArea rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t("approvals.commentPlaceholder")} data-testid="approval-comment" />
        {r.canDecide ? (
          <Flex gap={8} wrap="wrap">
            <Button type="primary" icon={<CheckOutlined />} loading={decision.isPending && decision.variables === "approve"} disabled={busy} onClick={() => decision.mutate("approve")} data-testid="approval-approve">
              {t("approvals.approve")}
            </Button>
            <Popconfirm title={t("approvals.rejectConfirm")} okButtonProps={{ danger: true }} onConfirm={() => decision.mutateAsync("reject").catch(() => undefined)}>
              <Button danger icon={<CloseOutlined />} disabled={busy} data-testid="approval-reject">
                {t("approvals.reject")}
              </Button>
            </Popconfirm>
          </Flex>
        ) : null}
        {r.canDecide && r.currentStep > 0 ? (
          <Flex gap={8} align="center" wrap="wrap">
            <Typography.Text>{t("approvals.returnStep")}</Typography.Text>
            <Select<number>
              value={toStep}
              onChange={setToStep}
              style={{ minWidth: 180 }}
              options={r.steps.slice(0, r.currentStep).map((s, i) => ({ value: i, label: `${t("approvals.stepOf", { n: i + 1 })} · ${s.name}` }))}
            />
            <Button icon={<RollbackOutlined />} disabled={busy || toStep === undefined} loading={back.isPending} onClick={() => back.mutate()} data-testid="approval-return">
              {t("approvals.returnTo")}
            </Button>
          </Flex>
        ) : null}
        <Flex gap={8} wrap="wrap">
          <Button
            icon={<MessageOutlined />}
            disabled={busy}
            loading={note.isPending}
            onClick={() => (comment.trim() ? note.mutate() : void message.warning(t("approvals.commentRequired")))}
            data-testid="approval-add-comment"
          >
            {t("approvals.addComment")}
          </Button>
          {isRequester ? (
            <Popconfirm title={t("approvals.withdrawConfirm")} onConfirm={() => decision.mutateAsync("withdraw").catch(() => undefined)}>
              <Button icon={<UndoOutlined />} disabled={busy} data-testid="approval-withdraw">
                {t("approvals.withdraw")}
              </Button>
            </Popconfirm>
          ) : null}
        </Flex>
      </Flex>
    </Card>
  );
}
