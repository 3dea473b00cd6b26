import { CalendarOutlined, DeleteOutlined, EditOutlined, EnvironmentOutlined, GiftOutlined, PaperClipOutlined, PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Col, Empty, Flex, Popconfirm, Row, Skeleton, Statistic, Tag, Timeline, Tooltip, Typography } from "antd";
import dayjs from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { QueryError } from "../../app/components/QueryError.js";
import { useShowError } from "../../app/errors.js";
import { useCan, useSession } from "../../app/session.js";
import { customersKey } from "../customers/api.js";
import { useUserNames } from "../customers/fields.js";
import { formatMoney } from "../customers/format.js";
import { ActivityFormDrawer, type ContactOption } from "./ActivityFormDrawer.js";
import { attachmentUrl, deleteActivity, timelineKey, useTimeline, type Activity, type TimelineOf } from "./api.js";
import { KIND_COLORS, KIND_ICONS } from "./kinds.js";

const fileSize = (bytes: number) => (bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

/**
 * The timeline of a customer (its own and its contacts' entries) or of one
 * contact: what we did with them, what it cost, and what comes next.
 * `contacts` are the people who can be named as participants.
 */
export function TimelinePanel({ of, contacts, currency = "CNY" }: { of: TimelineOf; contacts: ContactOption[]; currency?: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const timeline = useTimeline(of);
  const [editing, setEditing] = useState<Activity | "new" | null>(null);
  const items = useMemo(() => timeline.data?.pages.flatMap((p) => p.items) ?? [], [timeline.data]);
  const totals = timeline.data?.pages[0]?.totals;

  return (
    <Flex vertical gap={16} data-testid="timeline">
      <Card size="small" data-testid="timeline-summary" styles={{ body: { paddingBlock: 12 } }}>
        <Flex justify="space-between" align="center" gap={12} wrap="wrap">
          <Row gutter={[24, 8]} style={{ flex: "1 1 300px" }}>
            <Col xs={8}>
              <Statistic title={t("timeline.entries")} value={totals?.entries ?? 0} loading={!totals} styles={{ content: { fontSize: 20 } }} />
            </Col>
            <Col xs={8}>
              <Tooltip title={t("timeline.costHelp")}>
                <div data-testid="timeline-cost-total">
                  <Statistic title={t("timeline.costTotal")} value={formatMoney(totals?.cost ?? "0", currency)} loading={!totals} styles={{ content: { fontSize: 20 } }} />
                </div>
              </Tooltip>
            </Col>
            <Col xs={8}>
              <div data-testid="timeline-discount-total">
                <Statistic title={t("timeline.discountTotal")} value={formatMoney(totals?.discount ?? "0", currency)} loading={!totals} styles={{ content: { fontSize: 20 } }} />
              </div>
            </Col>
          </Row>
          {can("activity:create") ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="timeline-log">
              {t("timeline.log")}
            </Button>
          ) : null}
        </Flex>
      </Card>
      {timeline.isError ? (
        <QueryError error={timeline.error} onRetry={() => void timeline.refetch()} />
      ) : timeline.isPending ? (
        <Skeleton active />
      ) : items.length === 0 ? (
        <Empty description={t("timeline.empty")} />
      ) : (
        <Timeline
          items={items.map((a) => ({
            key: a.id,
            icon: <span style={{ color: KIND_COLORS[a.kind], fontSize: 16 }}>{KIND_ICONS[a.kind]}</span>,
            content: <Entry activity={a} contacts={contacts} currency={currency} onEdit={() => setEditing(a)} />,
          }))}
        />
      )}
      {timeline.hasNextPage ? (
        <Button onClick={() => void timeline.fetchNextPage()} loading={timeline.isFetchingNextPage} style={{ alignSelf: "center" }} data-testid="timeline-load-more">
          {t("common.loadMore")}
        </Button>
      ) : null}
      <ActivityFormDrawer
        open={editing !== null}
        activity={editing === "new" ? null : editing}
        of={of}
        contacts={contacts}
        onClose={() => setEditing(null)}
      />
    </Flex>
  );
}

function Entry({ activity: a, contacts, currency, onEdit }: { activity: Activity; contacts: ContactOption[]; currency: string; onEdit: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const me = useSession();
  const userName = useUserNames();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const showError = useShowError();
  const mine = a.ownerId === me.user.id;
  const contactName = (id: string) => contacts.find((c) => c.id === id)?.name;

  const remove = useMutation({
    mutationFn: () => deleteActivity(a.id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: timelineKey });
      void queryClient.invalidateQueries({ queryKey: customersKey });
      void message.success(t("timeline.deleted"));
    },
    onError: (err) => showError(err),
  });

  const participants = [
    ...a.participantUserIds.map((id) => userName(id) ?? "…"),
    ...a.participantContactIds.map((id) => contactName(id) ?? "…"),
  ];
  const money = (amount: string | null) => formatMoney(amount, a.currency || currency);

  return (
    <Flex vertical gap={4} style={{ paddingBottom: 8, minWidth: 0 }} data-testid="timeline-entry" data-kind={a.kind}>
      <Flex justify="space-between" align="flex-start" gap={8}>
        <Flex gap={8} wrap="wrap" align="center" style={{ rowGap: 2, minWidth: 0 }}>
          <Tag color={KIND_COLORS[a.kind]} style={{ marginInlineEnd: 0 }}>
            {t(`timeline.kinds.${a.kind}`)}
            {a.channel ? ` · ${a.channel}` : ""}
          </Tag>
          <Tooltip title={dayjs(a.occurredAt).format("LLLL")}>
            <Typography.Text strong>{dayjs(a.occurredAt).format("L LT")}</Typography.Text>
          </Tooltip>
          {a.durationMinutes ? <Typography.Text type="secondary">{t("timeline.minutes", { count: a.durationMinutes })}</Typography.Text> : null}
          <Typography.Text type="secondary">{a.ownerId ? (userName(a.ownerId) ?? "—") : t("timeline.system")}</Typography.Text>
        </Flex>
        {mine ? (
          <Flex gap={0} style={{ flex: "none" }}>
            {can("activity:update") ? <Button type="text" size="small" icon={<EditOutlined />} onClick={onEdit} aria-label={t("common.edit")} data-testid="timeline-entry-edit" /> : null}
            <Popconfirm title={t("timeline.deleteConfirm")} okButtonProps={{ danger: true }} okText={t("common.delete")} onConfirm={() => remove.mutateAsync().catch(() => undefined)}>
              <Button type="text" size="small" danger icon={<DeleteOutlined />} loading={remove.isPending} aria-label={t("common.delete")} data-testid="timeline-entry-delete" />
            </Popconfirm>
          </Flex>
        ) : null}
      </Flex>
      {a.place ? (
        <Typography.Text type="secondary" data-testid="timeline-entry-place">
          <EnvironmentOutlined /> {a.place}
        </Typography.Text>
      ) : null}
      {a.subject ? <Typography.Text strong>{a.subject}</Typography.Text> : null}
      {a.summary ? <Typography.Paragraph style={{ whiteSpace: "pre-wrap", wordBreak: "break-word", marginBottom: 0 }}>{a.summary}</Typography.Paragraph> : null}
      {participants.length ? (
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {t("timeline.participants")}：{participants.join("、")}
        </Typography.Text>
      ) : null}
      {a.mentionUserIds.length ? (
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {a.mentionUserIds.map((id) => `@${userName(id) ?? "…"}`).join(" ")}
        </Typography.Text>
      ) : null}
      {a.costAmount || a.discountAmount || a.gift ? (
        <Flex gap={6} wrap="wrap">
          {a.costAmount ? (
            <Tag color="orange" data-testid="timeline-entry-cost">
              {t("timeline.cost")} {money(a.costAmount)}
            </Tag>
          ) : null}
          {a.discountAmount ? (
            <Tag color="purple">
              {t("timeline.discount")} {money(a.discountAmount)}
            </Tag>
          ) : null}
          {a.gift ? (
            <Tag color="magenta" icon={<GiftOutlined />}>
              {a.gift}
            </Tag>
          ) : null}
        </Flex>
      ) : null}
      {a.attachments.length ? (
        <Flex vertical gap={2}>
          {a.attachments.map((f) => (
            <a key={f.id} href={attachmentUrl(f.id)} target="_blank" rel="noopener noreferrer" download={f.filename} style={{ wordBreak: "break-all" }}>
              <PaperClipOutlined /> {f.filename}{" "}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                ({fileSize(f.size)})
              </Typography.Text>
            </a>
          ))}
        </Flex>
      ) : null}
      {a.nextFollowUpAt ? (
        <Typography.Text type={dayjs(a.nextFollowUpAt).isBefore(dayjs()) ? "warning" : "secondary"} data-testid="timeline-entry-next">
          <CalendarOutlined /> {t("timeline.nextFollowUpLine", { when: dayjs(a.nextFollowUpAt).format("L LT") })}
        </Typography.Text>
      ) : null}
    </Flex>
  );
}
