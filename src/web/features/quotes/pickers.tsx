import { Flex, Select, Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useQueryRows } from "../../app/components/InfiniteTable.js";
import { useOpportunities, useOpportunity } from "../opportunities/api.js";
import { usePriceLists } from "../products/api.js";

interface NullableSelect {
  id?: string;
  value?: string | null;
  onChange?: (v: string | null) => void;
  "data-testid"?: string;
}

/** A Form.Item's value and onChange as a clearable Select takes them: cleared is null, which the API takes as "none". */
const nullable = ({ id, value, onChange, "data-testid": testId }: NullableSelect) => ({
  id,
  value: value ?? undefined,
  onChange: (v: string | undefined) => onChange?.(v ?? null),
  allowClear: true,
  "data-testid": testId,
});

/**
 * Picks one of the customer's opportunities (any status: a quote may follow
 * a won deal too). A linked opportunity beyond the first page keeps its name.
 */
export function OpportunityPicker({ customerId, ...field }: NullableSelect & { customerId: string | undefined }) {
  const { value } = field;
  const { t } = useTranslation();
  const list = useOpportunities({ customerId }, { enabled: Boolean(customerId) });
  const rows = useQueryRows(list);
  const listed = rows.some((o) => o.id === value);
  const linked = useOpportunity(value && !listed ? value : null);
  const options = useMemo(() => {
    const found = [...rows, ...(linked.data && !listed ? [linked.data] : [])];
    return found.map((o) => ({
      value: o.id,
      title: o.name,
      label: (
        <Flex justify="space-between" gap={8}>
          <span style={{ overflow: "hidden", textOverflow: "ellipsis" }}>{o.name}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12, flex: "none" }}>
            {t(`opportunities.statuses.${o.status}`)}
          </Typography.Text>
        </Flex>
      ),
    }));
  }, [rows, linked.data, listed, t]);

  return (
    <Select
      {...nullable(field)}
      showSearch={{ optionFilterProp: "title" }}
      optionLabelProp="title"
      loading={list.isFetching}
      disabled={!customerId}
      placeholder={t("quotes.form.opportunityPlaceholder")}
      options={options}
      popupMatchSelectWidth={false}
    />
  );
}

/**
 * Picks an active price list in the quote's currency (the server refuses a
 * list in another currency). Empty: the list that applies to the customer.
 */
export function PriceListPicker({ currency, ...field }: NullableSelect & { currency: string }) {
  const { value } = field;
  const { t } = useTranslation();
  const lists = usePriceLists();
  const rows = useQueryRows(lists);
  const options = useMemo(
    () =>
      rows
        // A saved list stays visible (named) even once inactive, so the form shows what the quote uses.
        .filter((l) => l.id === value || (l.active && l.currency === currency))
        .map((l) => ({ value: l.id, label: `${l.name} · ${l.currency}` })),
    [rows, value, currency],
  );

  return (
    <Select
      {...nullable(field)}
      showSearch={{ optionFilterProp: "label" }}
      loading={lists.isFetching}
      placeholder={t("quotes.form.priceListPlaceholder")}
      options={options}
    />
  );
}
