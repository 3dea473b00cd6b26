import { ContactsOutlined, SearchOutlined, ShopOutlined, ThunderboltOutlined } from "@ant-design/icons";
import { AutoComplete, Button, Empty, Flex, Input, Modal, Spin, Tag, Typography } from "antd";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useCan } from "../../app/session.js";
import { LeadStatusTag } from "../leads/tags.js";
import { SEARCH_TYPES, searchPath, useSearch, type SearchResult } from "./api.js";

const OPTION_VALUE = /^(customer|contact|lead):([0-9a-f-]{36})$/;

const ICONS: Record<SearchResult["objectType"], ReactNode> = {
  customer: <ShopOutlined style={{ color: "#1d39c4" }} />,
  contact: <ContactsOutlined style={{ color: "#08979c" }} />,
  lead: <ThunderboltOutlined style={{ color: "#d46b08" }} />,
};

function useDebounced(value: string, ms = 250): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function ResultLabel({ r }: { r: SearchResult }) {
  const { t } = useTranslation();
  return (
    <Flex gap={8} align="center" style={{ minWidth: 0 }} data-testid={`search-result-${r.objectType}`}>
      {ICONS[r.objectType]}
      <Flex vertical style={{ minWidth: 0, flex: 1 }}>
        <Flex gap={4} align="center" style={{ minWidth: 0 }}>
          <Typography.Text ellipsis>{r.title}</Typography.Text>
          {r.objectType === "lead" ? (
            // A lead is not yet a customer: said in so many words, with where it stands.
            <>
              <Tag color="orange" style={{ marginInlineEnd: 0 }} data-testid="search-result-lead-tag">
                {t("search.leadTag")}
              </Tag>
              {r.status ? <LeadStatusTag status={r.status} testId="search-result-lead-status" /> : null}
            </>
          ) : null}
        </Flex>
        {r.subtitle ? (
          <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
            {r.subtitle}
          </Typography.Text>
        ) : null}
      </Flex>
    </Flex>
  );
}

/** Results grouped customers first, then contacts, then leads. */
function group(items: SearchResult[]) {
  return SEARCH_TYPES.map((type) => ({ type, items: items.filter((r) => r.objectType === type) })).filter((g) => g.items.length > 0);
}

/**
 * One search box over customers, contacts and leads in the top bar: Chinese
 * names, pinyin and initials (zs), 繁体, phone fragments, e-mail. On a phone
 * it is an icon that opens the search in a dialog.
 */
export function GlobalSearch({ compact }: { compact: boolean }) {
  const can = useCan();
  if (!SEARCH_TYPES.some((type) => can(`${type}:read`))) return null;
  return compact ? <SearchDialog /> : <SearchBox />;
}

function SearchBox() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [input, setInput] = useState("");
  const q = useDebounced(input);
  const results = useSearch(q, { limit: 12 });
  const items = useMemo(() => (q.trim() ? (results.data ?? []) : []), [q, results.data]);

  const options = useMemo(
    () =>
      group(items).map((g) => ({
        label: t(`search.groups.${g.type}`),
        options: g.items.map((r) => ({ value: `${r.objectType}:${r.id}`, label: <ResultLabel r={r} /> })),
      })),
    [items, t],
  );

  return (
    // The header's 56px line-height would otherwise stretch the input.
    <div style={{ lineHeight: "normal", display: "flex", alignItems: "center", marginInlineEnd: 8 }}>
      <AutoComplete
        value={input}
        onChange={(v: string) => {
          // Choosing an option would put its id into the box; the box keeps what was typed.
          if (!OPTION_VALUE.test(v)) setInput(v);
        }}
        onSelect={(v: string) => {
          const m = OPTION_VALUE.exec(v);
          if (!m) return;
          setInput("");
          void navigate(searchPath({ objectType: m[1] as SearchResult["objectType"], id: m[2]! }));
        }}
        options={options}
        defaultActiveFirstOption
        popupMatchSelectWidth={340}
        notFoundContent={q.trim() && !results.isFetching && results.isSuccess ? t("search.noResults") : null}
        style={{ width: 260 }}
        data-testid="global-search"
      >
        <Input
          prefix={<SearchOutlined style={{ color: "#8c8c8c" }} />}
          suffix={results.isFetching ? <Spin size="small" /> : <span />}
          placeholder={t("search.placeholder")}
          allowClear
          aria-label={t("search.label")}
          data-testid="global-search-input"
        />
      </AutoComplete>
    </div>
  );
}

function SearchDialog() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [input, setInput] = useState("");
  const q = useDebounced(input);
  const results = useSearch(q, { limit: 20, enabled: open });
  const items = q.trim() ? (results.data ?? []) : [];

  const go = (r: SearchResult) => {
    setOpen(false);
    setInput("");
    void navigate(searchPath(r));
  };

  return (
    <>
      <Button type="text" icon={<SearchOutlined />} onClick={() => setOpen(true)} aria-label={t("search.label")} data-testid="global-search-open" />
      <Modal
        open={open}
        onCancel={() => setOpen(false)}
        footer={null}
        title={t("search.label")}
        destroyOnHidden
        style={{ top: 12, maxWidth: "calc(100vw - 24px)" }}
        width={560}
        data-testid="global-search-dialog"
      >
        <Input
          autoFocus
          size="large"
          allowClear
          prefix={<SearchOutlined style={{ color: "#8c8c8c" }} />}
          placeholder={t("search.placeholder")}
          value={input}
          onChange={(e) => setInput(e.target.value)}
          onPressEnter={() => items[0] && go(items[0])}
          data-testid="global-search-input"
        />
        <div style={{ marginTop: 12, maxHeight: "60vh", overflowY: "auto" }}>
          {!q.trim() ? (
            <Typography.Text type="secondary">{t("search.hint")}</Typography.Text>
          ) : results.isFetching && !items.length ? (
            <Flex justify="center" style={{ padding: 24 }}>
              <Spin />
            </Flex>
          ) : items.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("search.noResults")} />
          ) : (
            group(items).map((g) => (
              <div key={g.type} style={{ marginBottom: 8 }}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t(`search.groups.${g.type}`)}
                </Typography.Text>
                {g.items.map((r) => (
                  <button
                    key={r.id}
                    type="button"
                    onClick={() => go(r)}
                    style={{ display: "block", width: "100%", textAlign: "start", background: "none", border: "none", borderBottom: "1px solid #f5f5f5", padding: "10px 4px", cursor: "pointer" }}
                  >
                    <ResultLabel r={r} />
                  </button>
                ))}
              </div>
            ))
          )}
        </div>
      </Modal>
    </>
  );
}
