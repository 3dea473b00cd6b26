import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Form, Input, Modal } from "antd";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useSaveErrorHandler } from "../../app/errors.js";
import { usersKey } from "../users/api.js";
import { UserSelect } from "../users/pickers.js";
import { createTeam, teamsKey, updateTeam, type Team, type TeamInput } from "./api.js";

export function TeamModal({ open, team, memberNames, onClose }: { open: boolean; team?: Team; memberNames: Record<string, string>; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<TeamInput>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();

  useEffect(() => {
    if (open) form.setFieldsValue({ name: team?.name ?? "", description: team?.description ?? "", memberIds: team?.memberIds ?? [] });
  }, [open, team, form]);

  const mutation = useMutation({
    mutationFn: (v: TeamInput) => {
      const input = { name: v.name.trim(), description: v.description?.trim() ?? "", memberIds: v.memberIds ?? [] };
      return team ? updateTeam(team.id, { ...input, version: team.version }) : createTeam(input);
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: teamsKey });
      // Users carry their teamIds.
      void queryClient.invalidateQueries({ queryKey: usersKey });
      void message.success(team ? t("common.saved") : t("common.created"));
      onClose();
    },
    onError: (err) =>
      handleSaveError(err, form, () => {
        void queryClient.invalidateQueries({ queryKey: teamsKey });
        onClose();
      }),
  });

  return (
    <Modal
      open={open}
      title={team ? t("teams.editTitle") : t("teams.createTitle")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={team ? t("common.save") : t("common.create")}
      okButtonProps={{ loading: mutation.isPending }}
      destroyOnHidden
      forceRender
    >
      <Form form={form} name="team" layout="vertical" onFinish={(v) => mutation.mutate(v)}>
        <Form.Item name="name" label={t("teams.name")} rules={[{ required: true, whitespace: true, message: t("validation.required", { field: t("teams.name") }) }]}>
          <Input maxLength={100} data-testid="team-name" />
        </Form.Item>
        <Form.Item name="description" label={t("teams.description")}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} />
        </Form.Item>
        <Form.Item name="memberIds" label={t("teams.members")}>
          <UserSelect mode="multiple" known={memberNames} placeholder={t("teams.membersPlaceholder")} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
