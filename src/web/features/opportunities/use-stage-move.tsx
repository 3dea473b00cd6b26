import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App } from "antd";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { errorMessage, isVersionConflict } from "../../app/errors.js";
import i18n from "../../i18n/index.js";
import { boardKey, moveOpportunity, opportunitiesKey, opportunityKey, type Board, type MoveInput, type Opportunity, type Stage } from "./api.js";
import { ReasonModal } from "./ReasonModal.js";

/** What is moved: a board card or an opportunity. */
export interface Movable {
  id: string;
  version: number;
  stageId: string;
  pipelineId: string;
}

interface Move {
  item: Movable;
  stage: Stage;
  /** Place among the other cards of the target column; undefined: last (or unchanged within the column). */
  index?: number;
  winReason?: string;
  lossReason?: string;
}

/** The board with the card moved: what the user sees while the server decides. */
function movedBoard(board: Board, move: Move): Board {
  let card: Board["columns"][number]["cards"][number] | undefined;
  const columns = board.columns.map((c) => {
    const found = c.cards.find((x) => x.id === move.item.id);
    if (!found) return c;
    card = found;
    return { ...c, count: c.stage.id === move.stage.id ? c.count : c.count - 1, cards: c.cards.filter((x) => x.id !== move.item.id) };
  });
  if (!card) return board;
  const moved = { ...card, status: move.stage.kind };
  return {
    ...board,
    columns: columns.map((c) => {
      if (c.stage.id !== move.stage.id) return c;
      const cards = [...c.cards];
      cards.splice(move.index ?? cards.length, 0, moved);
      return { ...c, count: move.item.stageId === move.stage.id ? c.count : c.count + 1, cards };
    }),
  };
}

/**
 * Moves opportunities between stages (and places in a column). A won or lost
 * stage first asks for the reason; the board shows the move at once and puts
 * the card back when the server refuses (required fields missing, someone
 * else's change), showing the server's message.
 */
export function useStageMove(): { request: (item: Movable, stage: Stage, index?: number) => void; pending: boolean; modal: ReactNode } {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [asking, setAsking] = useState<Move | null>(null);

  const move = useMutation({
    mutationFn: (m: Move) => {
      const input: MoveInput = { version: m.item.version, stageId: m.stage.id, rank: m.index, winReason: m.winReason, lossReason: m.lossReason };
      return moveOpportunity(m.item.id, input);
    },
    onMutate: async (m) => {
      const key = boardKey(m.item.pipelineId);
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<Board>(key);
      if (before) queryClient.setQueryData<Board>(key, movedBoard(before, m));
      return { before };
    },
    onSuccess: (o: Opportunity) => {
      queryClient.setQueryData(opportunityKey(o.id), (prev: Opportunity | undefined) => (prev ? { ...prev, ...o, lines: o.lines ?? prev.lines } : o));
      // The next drag of this card must carry the new version, before the board reloads.
      queryClient.setQueryData<Board>(boardKey(o.pipelineId), (b) => (b ? { ...b, columns: b.columns.map((c) => ({ ...c, cards: c.cards.map((x) => (x.id === o.id ? { ...x, version: o.version, status: o.status } : x)) })) } : b));
      setAsking(null);
      void message.success(t("opportunities.movedMsg"));
    },
    onError: (err, m, ctx) => {
      if (ctx?.before) queryClient.setQueryData(boardKey(m.item.pipelineId), ctx.before);
      setAsking(null);
      void message.error(isVersionConflict(err) ? `${errorMessage(err)} ${i18n.t("errors.conflictReloaded")}` : errorMessage(err));
    },
    onSettled: (_o, _e, m) => {
      void queryClient.invalidateQueries({ queryKey: boardKey(m.item.pipelineId) });
      void queryClient.invalidateQueries({ queryKey: opportunityKey(m.item.id) });
      void queryClient.invalidateQueries({ queryKey: [...opportunitiesKey, "list"] });
    },
  });

  const request = (item: Movable, stage: Stage, index?: number) => {
    const entering = stage.id !== item.stageId;
    if (entering && stage.kind !== "open") {
      setAsking({ item, stage, index });
      return;
    }
    move.mutate({ item, stage, index });
  };

  const modal = (
    <ReasonModal
      kind={asking ? (asking.stage.kind === "open" ? null : asking.stage.kind) : null}
      stageName={asking?.stage.name ?? ""}
      saving={move.isPending}
      onCancel={() => setAsking(null)}
      onOk={(reason) => asking && move.mutate(asking.stage.kind === "lost" ? { ...asking, lossReason: reason } : { ...asking, winReason: reason || undefined })}
    />
  );
  return { request, pending: move.isPending, modal };
}
