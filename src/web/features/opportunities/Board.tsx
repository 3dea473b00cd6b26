import { MoreOutlined } from "@ant-design/icons";
import { Alert, Badge, Button, Card, Dropdown, Empty, Flex, Skeleton, Typography } from "antd";
import dayjs from "dayjs";
import { useRef, useState, type DragEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { QueryError } from "../../app/components/QueryError.js";
import { useCan } from "../../app/session.js";
import { formatAmount } from "../orders/money.js";
import { useUserNames } from "../users/names.js";
import { useBoard, type BoardCard, type BoardColumn, type Pipeline, type Stage } from "./api.js";
import { KIND_HEX } from "./tags.js";
import { useStageMove } from "./use-stage-move.js";

const DRAG_TYPE = "application/x-guanxi-opportunity";

interface Dragging {
  card: BoardCard;
  stageId: string;
}
interface Target {
  stageId: string;
  index: number;
}

/**
 * The kanban board of a pipeline: a column per stage with its count, amount and
 * weighted amount (base currency), cards by rank. Cards are dragged with the
 * browser's own drag and drop (no drag library is among the dependencies) to
 * another stage or another place; a card's menu does the same without a mouse.
 */
export function Board({ pipeline }: { pipeline: Pipeline }) {
  const { t } = useTranslation();
  const can = useCan();
  const board = useBoard(pipeline.id);
  const mover = useStageMove();
  const [dragging, setDragging] = useState<Dragging | null>(null);
  const [target, setTarget] = useState<Target | null>(null);
  const movable = can("opportunity:update");

  if (board.isError) return <QueryError error={board.error} onRetry={() => void board.refetch()} />;
  if (!board.data) return <Skeleton active />;
  const data = board.data;

  const drop = (column: BoardColumn, index: number) => {
    const d = dragging;
    setDragging(null);
    setTarget(null);
    if (!d) return;
    const others = column.cards.filter((c) => c.id !== d.card.id);
    if (d.stageId === column.stage.id) {
      const at = column.cards.findIndex((c) => c.id === d.card.id);
      if (at === index) return;
    }
    mover.request({ id: d.card.id, version: d.card.version, stageId: d.stageId, pipelineId: pipeline.id }, column.stage, Math.min(index, others.length));
  };

  return (
    <>
      {data.missingRates.length ? <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t("opportunities.board.missingRates", { currencies: data.missingRates.join(", ") })} /> : null}
      <div style={{ overflowX: "auto", paddingBottom: 8 }} data-testid="opportunity-board">
        <Flex gap={12} align="flex-start" style={{ minWidth: "min-content" }}>
          {data.columns.map((column) => (
            <Column
              key={column.stage.id}
              column={column}
              currency={data.currency}
              stages={pipeline.stages}
              movable={movable}
              dragging={dragging}
              target={target?.stageId === column.stage.id ? target.index : null}
              onDragStart={(card) => setDragging({ card, stageId: column.stage.id })}
              onDragEnd={() => {
                setDragging(null);
                setTarget(null);
              }}
              onTarget={(index) => setTarget((prev) => (prev?.stageId === column.stage.id && prev.index === index ? prev : index === null ? null : { stageId: column.stage.id, index }))}
              onDrop={(index) => drop(column, index)}
              onMenuMove={(card, stage) => mover.request({ id: card.id, version: card.version, stageId: column.stage.id, pipelineId: pipeline.id }, stage)}
            />
          ))}
        </Flex>
      </div>
      {mover.modal}
    </>
  );
}

function Column({
  column,
  currency,
  stages,
  movable,
  dragging,
  target,
  onDragStart,
  onDragEnd,
  onTarget,
  onDrop,
  onMenuMove,
}: {
  column: BoardColumn;
  currency: string;
  stages: Stage[];
  movable: boolean;
  dragging: Dragging | null;
  target: number | null;
  onDragStart: (card: BoardCard) => void;
  onDragEnd: () => void;
  onTarget: (index: number | null) => void;
  onDrop: (index: number) => void;
  onMenuMove: (card: BoardCard, stage: Stage) => void;
}) {
  const { t } = useTranslation();
  const list = useRef<HTMLDivElement>(null);
  const { stage } = column;

  /** Where the pointer would put the card: the number of other cards whose middle is above it. */
  const indexAt = (y: number): number => {
    const cards = [...(list.current?.querySelectorAll<HTMLElement>("[data-card-id]") ?? [])].filter((el) => el.dataset.cardId !== dragging?.card.id);
    return cards.filter((el) => {
      const r = el.getBoundingClientRect();
      return r.top + r.height / 2 < y;
    }).length;
  };
  const accepts = (e: DragEvent) => movable && e.dataTransfer.types.includes(DRAG_TYPE);
  // The marker's place counts the other cards only (the dragged one stays in the DOM: removing it would end the drag).
  const places = new Map(column.cards.filter((c) => c.id !== dragging?.card.id).map((c, i) => [c.id, i]));
  const hidden = column.count - column.cards.length;

  return (
    <Card
      size="small"
      style={{ width: 280, flex: "none", background: target !== null ? "#f0f5ff" : "#fafafa", borderTop: `3px solid ${KIND_HEX[stage.kind]}` }}
      styles={{ body: { padding: 8 }, header: { paddingBlock: 8 } }}
      title={
        <Flex vertical gap={2}>
          <Flex justify="space-between" align="center" gap={8}>
            <Typography.Text strong ellipsis>
              {stage.name}
            </Typography.Text>
            <Flex gap={6} align="center">
              <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: "normal" }}>
                {stage.probability}%
              </Typography.Text>
              <Badge count={column.count} showZero color="#d9d9d9" style={{ color: "#595959" }} overflowCount={99999} data-testid="board-count" />
            </Flex>
          </Flex>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: "normal" }} data-testid="board-sums">
            {formatAmount(column.amount, currency)} · {t("opportunities.board.weighted")} {formatAmount(column.weighted, currency)}
          </Typography.Text>
        </Flex>
      }
      onDragOver={(e) => {
        if (!accepts(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = "move";
        onTarget(indexAt(e.clientY));
      }}
      onDragLeave={(e) => {
        // Leaving for a child of the column is not leaving the column.
        if (e.currentTarget.contains(e.relatedTarget as Node | null)) return;
        onTarget(null);
      }}
      onDrop={(e) => {
        if (!accepts(e)) return;
        e.preventDefault();
        onDrop(indexAt(e.clientY));
      }}
      data-testid={`board-column-${stage.name}`}
      data-stage-id={stage.id}
    >
      <Flex vertical gap={8} style={{ minHeight: 120 }} ref={list}>
        {column.cards.length === 0 && target === null ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("opportunities.board.emptyColumn")} style={{ marginBlock: 8 }} /> : null}
        {column.cards.map((card) => {
          const self = card.id === dragging?.card.id;
          const at = places.get(card.id) ?? -1;
          return (
            <div key={card.id} style={{ opacity: self ? 0.4 : 1 }}>
              {target === at ? <DropMarker /> : null}
              <CardView
                card={card}
                movable={movable}
                targets={stages.filter((s) => s.id !== stage.id)}
                onDragStart={() => onDragStart(card)}
                onDragEnd={onDragEnd}
                onMove={(s) => onMenuMove(card, s)}
              />
            </div>
          );
        })}
        {target !== null && target >= places.size ? <DropMarker /> : null}
        {hidden > 0 ? (
          <Typography.Text type="secondary" style={{ fontSize: 12, textAlign: "center" }}>
            {t("opportunities.board.more", { count: hidden })}
          </Typography.Text>
        ) : null}
      </Flex>
    </Card>
  );
}

function DropMarker() {
  return <div style={{ height: 4, borderRadius: 2, background: "#1677ff", marginBlock: 2 }} data-testid="board-drop-marker" />;
}

function CardView({ card, movable, targets, onDragStart, onDragEnd, onMove }: { card: BoardCard; movable: boolean; targets: Stage[]; onDragStart: () => void; onDragEnd: () => void; onMove: (s: Stage) => void }) {
  const { t } = useTranslation();
  const userName = useUserNames();
  const overdue = card.status === "open" && card.expectedClose !== null && dayjs(card.expectedClose).isBefore(dayjs(), "day");
  return (
    <div
      draggable={movable}
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, card.id);
        e.dataTransfer.effectAllowed = "move";
        onDragStart();
      }}
      onDragEnd={onDragEnd}
      style={{ background: "#fff", border: "1px solid #f0f0f0", borderRadius: 6, padding: "8px 10px", cursor: movable ? "grab" : undefined }}
      data-card-id={card.id}
      data-testid={`board-card-${card.name}`}
    >
      <Flex justify="space-between" align="flex-start" gap={4}>
        <Link to={`/opportunities/${card.id}`} style={{ fontWeight: 500, wordBreak: "break-word" }} draggable={false}>
          {card.name}
        </Link>
        {movable ? (
          <Dropdown
            trigger={["click"]}
            menu={{
              items: [{ type: "group", key: "to", label: t("opportunities.board.moveTo"), children: targets.map((s) => ({ key: s.id, label: s.name })) }],
              onClick: ({ key }) => {
                const s = targets.find((x) => x.id === key);
                if (s) onMove(s);
              },
            }}
          >
            <Button type="text" size="small" icon={<MoreOutlined />} aria-label={t("opportunities.board.moveTo")} />
          </Dropdown>
        ) : null}
      </Flex>
      <Typography.Text type="secondary" style={{ fontSize: 12, display: "block" }} ellipsis>
        {card.customerName}
      </Typography.Text>
      <Flex justify="space-between" align="center" gap={6} wrap="wrap" style={{ marginTop: 4 }}>
        <span style={{ fontVariantNumeric: "tabular-nums", fontWeight: 500 }}>{formatAmount(card.amount, card.currency)}</span>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {userName(card.ownerId) ?? "—"}
        </Typography.Text>
      </Flex>
      <Flex justify="space-between" gap={6} style={{ marginTop: 2 }}>
        <Typography.Text type={overdue ? "danger" : "secondary"} style={{ fontSize: 12 }}>
          {card.expectedClose ? t("opportunities.board.closes", { date: dayjs(card.expectedClose).format("L") }) : t("opportunities.board.noClose")}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t("opportunities.board.inStage", { time: dayjs(card.stageEnteredAt).fromNow(true) })}
        </Typography.Text>
      </Flex>
    </div>
  );
}
