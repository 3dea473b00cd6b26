import { useMutation } from "@tanstack/react-query";
import { Alert, Button, Flex, Tag, Typography } from "antd";
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { duplicateConflictOf, useDuplicateProbe, type Duplicate, type DuplicateConflict, type DuplicateProbe } from "./api.js";
import { useUserNames } from "./fields.js";

/** The likely duplicates: name (link), code, why they match and who owns them. */
export function DuplicateList({ items }: { items: Duplicate[] }) {
  const { t } = useTranslation();
  const userName = useUserNames();
  return (
    <Flex vertical gap={6} style={{ marginTop: 4 }} data-testid="duplicate-list">
      {items.map((d) => (
        <Flex key={`${d.objectType}:${d.id}`} gap={6} wrap="wrap" align="center">
          <Link to={d.objectType === "customer" ? `/customers/${d.id}` : `/contacts/${d.id}`} target="_blank" rel="noopener">
            {d.name}
          </Link>
          {d.code ? <Typography.Text type="secondary">{d.code}</Typography.Text> : null}
          {d.reasons.map((r) => (
            <Tag key={r} color="orange" style={{ marginInlineEnd: 0 }}>
              {t(`customers.duplicateReasons.${r}`)}
            </Tag>
          ))}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {d.ownerId ? t("customers.ownedBy", { name: userName(d.ownerId) ?? "—" }) : t("customers.publicPool")}
          </Typography.Text>
        </Flex>
      ))}
    </Flex>
  );
}

/**
 * A save the server refused because of likely duplicates. Warn mode offers
 * "save anyway" (the form resends with allowDuplicate); block mode only shows them.
 */
export function DuplicateConflictAlert({
  conflict,
  onSaveAnyway,
  saving,
  objectType,
}: {
  conflict: DuplicateConflict;
  onSaveAnyway: () => void;
  saving: boolean;
  objectType: "customer" | "contact";
}) {
  const { t } = useTranslation();
  const block = conflict.mode === "block";
  const ref = useRef<HTMLDivElement>(null);
  // The save button is at the bottom of a long form: bring the answer into view.
  // (Braces: newer browsers return a promise from scrollIntoView, and React would call it as a cleanup.)
  useEffect(() => {
    ref.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }, [conflict]);
  return (
    <div ref={ref}>
      <Alert
        type={block ? "error" : "warning"}
        showIcon
        style={{ marginBottom: 16 }}
        title={block ? t(`customers.duplicateBlocked.${objectType}`) : t(`customers.duplicateWarn.${objectType}`)}
        description={
          <>
            <DuplicateList items={conflict.duplicates} />
            {block ? null : (
              <Button size="small" danger onClick={onSaveAnyway} loading={saving} style={{ marginTop: 12 }} data-testid="save-anyway">
                {t("customers.saveAnyway")}
              </Button>
            )}
          </>
        }
        data-testid="duplicate-conflict"
      />
    </div>
  );
}

/**
 * The live 查重 hint while a record is being entered. It sticks to the top of
 * the drawer, so a match found on a phone number far down the form is seen.
 */
export function DuplicateHint({ items }: { items: Duplicate[] | undefined }) {
  const { t } = useTranslation();
  if (!items?.length) return null;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16, position: "sticky", top: 0, zIndex: 3, boxShadow: "0 2px 8px rgba(0,0,0,0.06)" }}
      title={t("customers.possibleDuplicates", { count: items.length })}
      description={<DuplicateList items={items} />}
      data-testid="duplicate-hint"
    />
  );
}

/**
 * The save of a customer or contact form, which the server may answer with
 * likely duplicates (查重): `save` sends the values (`allowDuplicate` once the
 * user chose "save anyway"), `onFailed` handles any other error. While the
 * form is filled in, `checkDuplicates` asks (debounced) for the matches of
 * `probeOf()`. `notice` shows the refused save's matches, or else the hint.
 */
export function useDuplicateGuardedSave<V, R>({
  objectType,
  save,
  onSaved,
  onFailed,
  probeOf,
}: {
  objectType: "customer" | "contact";
  save: (values: V, allowDuplicate: boolean) => Promise<R>;
  onSaved: (saved: R) => void;
  onFailed: (err: Error) => void;
  probeOf: () => DuplicateProbe;
}): { mutation: { isPending: boolean }; submit: (values: V) => void; reset: () => void; checkDuplicates: () => void; notice: ReactNode } {
  const [conflict, setConflict] = useState<DuplicateConflict | null>(null);
  const [probe, setProbe] = useState<DuplicateProbe | null>(null);
  const lastValues = useRef<V | null>(null);
  const duplicates = useDuplicateProbe(probe);

  const mutation = useMutation({
    mutationFn: ({ values, allowDuplicate }: { values: V; allowDuplicate: boolean }) => save(values, allowDuplicate),
    onSuccess: onSaved,
    onError: (err) => {
      const dup = duplicateConflictOf(err);
      if (dup) {
        setConflict(dup);
        return;
      }
      onFailed(err);
    },
  });

  const submit = (values: V, allowDuplicate = false) => {
    lastValues.current = values;
    setConflict(null);
    mutation.mutate({ values, allowDuplicate });
  };

  const reset = useCallback(() => {
    setConflict(null);
    setProbe(null);
  }, []);

  // Debounced: tabbing through the fields asks once.
  const probeTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(probeTimer.current), []);
  const checkDuplicates = () => {
    clearTimeout(probeTimer.current);
    probeTimer.current = setTimeout(() => setProbe(probeOf()), 400);
  };

  const notice = conflict ? (
    <DuplicateConflictAlert conflict={conflict} objectType={objectType} saving={mutation.isPending} onSaveAnyway={() => lastValues.current && submit(lastValues.current, true)} />
  ) : (
    <DuplicateHint items={duplicates.data} />
  );

  return { mutation, submit: (values) => submit(values), reset, checkDuplicates, notice };
}
