import { CheckOutlined, DownOutlined, SwapOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Dropdown, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { errorMessage } from "../../app/errors.js";
import { startSession, useSession } from "../../app/session.js";
import { switchWorkspace } from "./api.js";

/** Header dropdown of the user's workspaces; switching drops every cached query of the old one. */
export function WorkspaceSwitcher({ maxWidth = 220 }: { maxWidth?: number }) {
  const { t } = useTranslation();
  const me = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();

  const mutation = useMutation({
    mutationFn: switchWorkspace,
    onSuccess: (next) => {
      startSession(queryClient, next);
      void navigate("/");
      void message.success(t("layout.switchedTo", { name: next.workspace.name }));
    },
    onError: (err) => void message.error(errorMessage(err)),
  });

  const others = me.workspaces.length > 1;
  return (
    <Dropdown
      trigger={["click"]}
      disabled={!others || mutation.isPending}
      menu={{
        items: [
          { type: "group", key: "title", label: t("layout.workspaces") },
          ...me.workspaces.map((w) => ({
            key: w.id,
            label: <span data-testid={`workspace-option-${w.id}`}>{w.name}</span>,
            icon: w.id === me.workspace.id ? <CheckOutlined /> : <span style={{ display: "inline-block", width: 14 }} />,
          })),
        ],
        onClick: ({ key }) => {
          if (key !== me.workspace.id) mutation.mutate(key);
        },
      }}
    >
      <Button type="text" loading={mutation.isPending} data-testid="workspace-switcher" aria-label={t("layout.switchWorkspace")}>
        <SwapOutlined />
        <Typography.Text strong ellipsis style={{ maxWidth }}>
          {me.workspace.name}
        </Typography.Text>
        {others ? <DownOutlined style={{ fontSize: 10 }} /> : null}
      </Button>
    </Dropdown>
  );
}
