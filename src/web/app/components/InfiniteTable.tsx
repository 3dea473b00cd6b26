import type { InfiniteData } from "@tanstack/react-query";
import { Button, ConfigProvider, Grid, Table, Typography, type TableColumnsType, type TableProps, type TableRef } from "antd";
import { useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import type { Page } from "../api.js";
import { QueryError } from "./QueryError.js";

/** The body never gets shorter than this, however little room the page leaves (phones, many filters). */
const MIN_BODY_HEIGHT = 320;
/** The next page is fetched once the user scrolls within this distance of the end: about five rows. */
const LOAD_AHEAD_PX = 300;
/** What a column without a numeric width counts for when the table decides whether it must scroll sideways. */
const DEFAULT_COLUMN_WIDTH = 150;

/** The parts of a cursor-paged `useInfiniteQuery` result the table needs. */
export interface InfiniteListQuery<T> {
  data: InfiniteData<Page<T>, unknown> | undefined;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isFetching: boolean;
  isLoading: boolean;
  isPlaceholderData: boolean;
  isError: boolean;
  error: unknown;
  fetchNextPage: () => Promise<unknown>;
  refetch: () => Promise<unknown>;
}

/** All loaded rows of a paged query, in order. */
export function useQueryRows<T>(query: Pick<InfiniteListQuery<T>, "data">): T[] {
  return useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
}

export interface InfiniteTableProps<T> extends Omit<TableProps<T>, "dataSource" | "pagination" | "scroll" | "virtual" | "loading"> {
  query: InfiniteListQuery<T>;
  /** `useQueryRows(query)`: the page usually needs them too (selection, known tags). */
  rows: T[];
  /** Prefix of the test ids: `<testId>-table`, `<testId>-count`, `<testId>-load-more`. */
  testId: string;
  /** When this changes (new filters or sort), the list scrolls back to its first row. */
  resetScrollKey?: unknown;
}

/**
 * A list over a cursor-paged query that stays fast however many rows are loaded:
 * antd's virtual table renders only the rows in view, the body fills the rest of
 * the viewport, and the next page is fetched when the user scrolls near the end.
 * The "load more" button stays for keyboard users and as a fallback.
 */
export function InfiniteTable<T extends object>({ query, rows, testId, resetScrollKey, columns, rowSelection, onScroll, ...table }: InfiniteTableProps<T>) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const { getPrefixCls } = useContext(ConfigProvider.ConfigContext);
  const prefix = getPrefixCls("table");
  // State, not a ref: the wrapper mounts again after an error, and the measuring effect must follow it.
  const [wrap, setWrap] = useState<HTMLDivElement | null>(null);
  const footerRef = useRef<HTMLDivElement>(null);
  const tableRef = useRef<TableRef>(null);
  const height = useBodyHeight(wrap, footerRef, `.${prefix}-header`);

  // A virtual table needs a numeric width to scroll sideways. On phones the few
  // columns share the screen instead (no width: antd spreads them over it).
  const scrollX = useMemo(() => {
    if (screens.md === false) return undefined;
    const shown = (columns ?? []).filter((c) => !c.responsive || c.responsive.some((bp) => screens[bp]));
    const selection = rowSelection ? (typeof rowSelection.columnWidth === "number" ? rowSelection.columnWidth : 48) : 0;
    return shown.reduce((sum, c) => sum + widthOf(c), selection);
  }, [columns, rowSelection, screens]);

  const { hasNextPage, isFetching, isPlaceholderData, isError, fetchNextPage } = query;
  const loadIfNearEnd = useCallback(
    (body: Element | null | undefined) => {
      // One request at a time, none for the previous filters' rows shown while new ones load,
      // and no retrying a failed page on its own: the button retries.
      if (!body || !hasNextPage || isFetching || isPlaceholderData || isError) return;
      if (body.scrollHeight - body.scrollTop - body.clientHeight < LOAD_AHEAD_PX) void fetchNextPage();
    },
    [hasNextPage, isFetching, isPlaceholderData, isError, fetchNextPage],
  );

  // When a page arrives the user may still be at the end (a fast scroll, a tall screen): keep going.
  useEffect(() => {
    loadIfNearEnd(wrap?.querySelector(`.${prefix}-tbody-virtual-holder`));
  }, [loadIfNearEnd, wrap, rows.length, prefix]);

  useEffect(() => {
    tableRef.current?.scrollTo({ top: 0 });
  }, [resetScrollKey]);

  // A failed next page keeps the rows already loaded; only a list with nothing to show gives way to the error.
  if (isError && rows.length === 0) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;

  return (
    <div ref={setWrap}>
      <Table<T>
        {...table}
        ref={tableRef}
        virtual
        columns={columns}
        rowSelection={rowSelection}
        dataSource={rows}
        pagination={false}
        loading={query.isLoading || (query.isFetching && query.isPlaceholderData)}
        scroll={{ x: scrollX, y: height }}
        onScroll={(e) => {
          onScroll?.(e);
          loadIfNearEnd(e.currentTarget);
        }}
        data-testid={`${testId}-table`}
      />
      <div ref={footerRef} style={{ display: "flex", justifyContent: "center", alignItems: "center", gap: 12, padding: 16 }}>
        <Typography.Text type="secondary" aria-live="polite" data-testid={`${testId}-count`}>
          {t("common.shownCount", { count: rows.length })}
          {!hasNextPage && rows.length > 0 ? ` · ${t("common.noMore")}` : null}
        </Typography.Text>
        {isError ? <Typography.Text type="danger">{t("errors.loadFailed")}</Typography.Text> : null}
        {hasNextPage ? (
          <Button onClick={() => void fetchNextPage()} loading={query.isFetchingNextPage} data-testid={`${testId}-load-more`}>
            {t("common.loadMore")}
          </Button>
        ) : isError ? (
          <Button onClick={() => void query.refetch()} loading={isFetching}>
            {t("common.retry")}
          </Button>
        ) : null}
      </div>
    </div>
  );
}

function widthOf<T>(column: TableColumnsType<T>[number]): number {
  return "width" in column && typeof column.width === "number" ? column.width : DEFAULT_COLUMN_WIDTH;
}

/**
 * Height of the table body so that the table, its footer and the padding of
 * what holds it (card, layout) end at the bottom of the viewport, with the page
 * scrolled to the top. Measured again when the window resizes or anything on
 * the page changes size (filters wrapping, the bulk bar appearing above the
 * table, a tab being shown).
 */
function useBodyHeight(wrap: HTMLDivElement | null, footerRef: RefObject<HTMLDivElement | null>, headerSelector: string): number {
  const [height, setHeight] = useState(MIN_BODY_HEIGHT);
  useLayoutEffect(() => {
    if (!wrap) return;
    const measure = () => {
      // Hidden (an inactive tab): keep the last height until it is shown.
      if (wrap.offsetParent === null) return;
      const top = wrap.getBoundingClientRect().top + window.scrollY;
      const header = wrap.querySelector<HTMLElement>(headerSelector)?.offsetHeight ?? 0;
      const footer = footerRef.current?.offsetHeight ?? 0;
      setHeight(Math.max(MIN_BODY_HEIGHT, Math.floor(window.innerHeight - top - header - footer - spaceBelow(wrap))));
    };
    measure();
    let frame = 0;
    // Next frame: setting the height inside the observer's callback would resize what it observes.
    const schedule = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(measure);
    };
    const observer = new ResizeObserver(schedule);
    observer.observe(document.body);
    observer.observe(wrap);
    window.addEventListener("resize", schedule);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      window.removeEventListener("resize", schedule);
    };
  }, [wrap, footerRef, headerSelector]);
  return height;
}

/** Bottom padding, border and margin of the element's containers: the room they keep below it. */
function spaceBelow(el: HTMLElement): number {
  let sum = 0;
  for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
    const style = getComputedStyle(node);
    sum += (parseFloat(style.paddingBottom) || 0) + (parseFloat(style.borderBottomWidth) || 0) + (parseFloat(style.marginBottom) || 0);
  }
  return sum;
}
