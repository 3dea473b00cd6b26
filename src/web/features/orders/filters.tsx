import { Flex, Input, Segmented } from "antd";
import { useEffect, useState, type CSSProperties, type Dispatch, type ReactNode, type SetStateAction } from "react";
import { CustomerPicker } from "../contacts/CustomerPicker.js";

/*
 * The filter bars of the document lists (orders, quotes, payments, invoices):
 * the status tabs, the number search and the customer, with the list's own
 * filters after them.
 */

/** Status tabs above a list: "all" and then each status. */
export function StatusFilter<S extends string>({
  value,
  onChange,
  statuses,
  allLabel,
  labelOf,
  testId,
}: {
  value: S | undefined;
  onChange: (status: S | undefined) => void;
  statuses: readonly S[];
  allLabel: string;
  labelOf: (status: S) => string;
  testId: string;
}) {
  return (
    <Segmented<S | "all">
      value={value ?? "all"}
      onChange={(v) => onChange(v === "all" ? undefined : (v as S))}
      options={[{ value: "all" as const, label: allLabel }, ...statuses.map((s) => ({ value: s, label: labelOf(s) }))]}
      style={{ alignSelf: "flex-start", maxWidth: "100%", overflowX: "auto" }}
      data-testid={testId}
    />
  );
}

interface DocumentFilters {
  number?: string;
  customerId?: string;
}

/**
 * The number search (debounced into `filters.number`) and the customer
 * picker (it names the customer picked from the rows shown), then `children`.
 */
export function DocumentFilterBar<F extends DocumentFilters>({
  customerId,
  setFilters,
  rows,
  placeholder,
  searchTestId,
  style,
  children,
}: {
  customerId: string | undefined;
  setFilters: Dispatch<SetStateAction<F>>;
  rows: readonly { customerId: string; customerName?: string }[];
  placeholder: string;
  searchTestId?: string;
  style?: CSSProperties;
  children?: ReactNode;
}) {
  const [number, setNumber] = useState("");
  const [customerName, setCustomerName] = useState<Record<string, string>>({});

  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => ((f.number ?? "") === number ? f : { ...f, number })), 300);
    return () => clearTimeout(timer);
  }, [number, setFilters]);

  return (
    <Flex gap={8} wrap="wrap" style={style}>
      <Input.Search allowClear placeholder={placeholder} value={number} onChange={(e) => setNumber(e.target.value)} style={{ flex: "1 1 180px", maxWidth: 240 }} data-testid={searchTestId} />
      <div style={{ flex: "1 1 220px", maxWidth: 300 }}>
        <CustomerPicker
          value={customerId}
          known={customerName}
          onChange={(v) => {
            const hit = rows.find((r) => r.customerId === v);
            if (v && hit?.customerName) setCustomerName({ [v]: hit.customerName });
            setFilters((f) => ({ ...f, customerId: v }));
          }}
        />
      </div>
      {children}
    </Flex>
  );
}
