import { ArrowLeftOutlined, DeleteOutlined, EditOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient, type QueryKey, type UseMutationResult } from "@tanstack/react-query";
import { App, Button, Card, Flex, Popconfirm, Typography } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { useShowError } from "../errors.js";

/*
 * What the pages of one record (a lead, an opportunity, a contact, an order…)
 * share: the link back to the list, the header card, the edit and delete
 * buttons and the deletion that returns to the list.
 */

/** The link back above a page. */
export function BackLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Link to={to} style={{ display: "inline-flex", gap: 6, marginBottom: 12 }}>
      <ArrowLeftOutlined />
      {children}
    </Link>
  );
}

/**
 * A record page's back link and header card: the title and its tags, a
 * secondary line below, the actions on the right; `children` below (status
 * steps, revisions). Test ids: `<testId>-header` and `titleTestId`.
 */
export function RecordHeader({
  back,
  backLabel,
  title,
  titleTestId,
  copyable,
  tags,
  subtitle,
  actions,
  testId,
  children,
}: {
  back: string;
  backLabel: string;
  title: ReactNode;
  titleTestId: string;
  /** The text the title's copy button copies; none without it. */
  copyable?: string;
  tags?: ReactNode;
  subtitle: ReactNode;
  actions: ReactNode;
  testId: string;
  children?: ReactNode;
}) {
  return (
    <>
      <BackLink to={back}>{backLabel}</BackLink>
      <Card style={{ marginBottom: 16 }} data-testid={`${testId}-header`}>
        <Flex justify="space-between" align="flex-start" gap={16} wrap="wrap">
          <Flex vertical gap={6}>
            <Flex gap={8} align="center" wrap="wrap">
              <Typography.Title level={3} style={{ margin: 0 }} copyable={copyable === undefined ? undefined : { text: copyable }} data-testid={titleTestId}>
                {title}
              </Typography.Title>
              {tags}
            </Flex>
            <Typography.Text type="secondary">{subtitle}</Typography.Text>
          </Flex>
          {actions}
        </Flex>
        {children}
      </Card>
    </>
  );
}

/** The Edit button of a record page's actions. */
export function EditButton({ onClick, testId }: { onClick: () => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <Button icon={<EditOutlined />} onClick={onClick} data-testid={testId}>
      {t("common.edit")}
    </Button>
  );
}

/**
 * Deletes the record shown, then says `done`, refreshes the `invalidate`
 * queries and returns to `to` (the list).
 */
export function useDeleteRecord({ remove, invalidate, done, to }: { remove: () => Promise<unknown>; invalidate: QueryKey[]; done: string; to: string }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useShowError();
  return useMutation({
    mutationFn: remove,
    onSuccess: () => {
      for (const queryKey of invalidate) void queryClient.invalidateQueries({ queryKey });
      void message.success(done);
      void navigate(to);
    },
    onError: (err) => showError(err),
  });
}

type Deletion = Pick<UseMutationResult<unknown, Error, void>, "mutateAsync" | "isPending">;

/** A delete icon button asking `title` first (a deletion for good). */
export function DeleteButton({ title, remove, testId }: { title: string; remove: Deletion; testId: string }) {
  const { t } = useTranslation();
  return (
    <Popconfirm title={title} onConfirm={() => remove.mutateAsync().catch(() => undefined)}>
      <Button danger type="text" icon={<DeleteOutlined />} aria-label={t("common.delete")} data-testid={testId} />
    </Popconfirm>
  );
}

/** The Delete button of a record that goes to the trash: asks `title` with `description`, then moves it there. */
export function MoveToTrashButton({ title, description, remove, testId }: { title: string; description: string; remove: Deletion; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Popconfirm title={title} description={description} okText={t("customers.moveToTrash")} okButtonProps={{ danger: true }} onConfirm={() => remove.mutateAsync().catch(() => undefined)}>
      <Button danger icon={<DeleteOutlined />} loading={remove.isPending} data-testid={testId}>
        {t("common.delete")}
      </Button>
    </Popconfirm>
  );
}
