import { UploadOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, AutoComplete, Button, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, Skeleton, Upload, type UploadFile } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { FormDrawer } from "../../app/components/FormDrawer.js";
import { QueryError } from "../../app/components/QueryError.js";
import { errorMessage, useSaveErrorHandler } from "../../app/errors.js";
import { customersKey } from "../customers/api.js";
import { MoneyInput, useUserNames } from "../customers/fields.js";
import { changedFields, revealFirstError, text } from "../customers/form-utils.js";
import { tasksKey } from "../tasks/api.js";
import { UserSelect } from "../users/pickers.js";
import {
  ACTIVITY_KINDS,
  createActivity,
  getActivity,
  timelineKey,
  updateActivity,
  uploadAttachment,
  type Activity,
  type ActivityInput,
  type Attachment,
  type TimelineOf,
} from "./api.js";
import { DURATION_KINDS, KIND_ICONS, PLACE_KINDS } from "./kinds.js";

export interface ContactOption {
  id: string;
  name: string;
}

type Kind = (typeof ACTIVITY_KINDS)[number];

interface Values {
  kind: Kind;
  occurredAt: Dayjs;
  channel: string;
  durationMinutes: number | null;
  place: string;
  subject: string;
  summary: string;
  participantUserIds: string[];
  participantContactIds: string[];
  mentionUserIds: string[];
  costAmount: string | null;
  discountAmount: string | null;
  gift: string;
  nextFollowUpAt: Dayjs | null;
}

/** An uploaded file in the picker; `response` is the server's attachment once stored. */
type FileItem = UploadFile<Attachment>;

function valuesOf(a: Activity): Values {
  return {
    kind: a.kind === "system" ? "note" : a.kind,
    occurredAt: dayjs(a.occurredAt),
    channel: a.channel,
    durationMinutes: a.durationMinutes,
    place: a.place,
    subject: a.subject,
    summary: a.summary,
    participantUserIds: a.participantUserIds,
    participantContactIds: a.participantContactIds,
    mentionUserIds: a.mentionUserIds,
    costAmount: a.costAmount,
    discountAmount: a.discountAmount,
    gift: a.gift,
    nextFollowUpAt: a.nextFollowUpAt ? dayjs(a.nextFollowUpAt) : null,
  };
}

const filesOf = (a: Activity): FileItem[] => a.attachments.map((f) => ({ uid: f.id, name: f.filename, status: "done", size: f.size, response: f, url: `/api/v1/attachments/${f.id}` }));

function inputOf(v: Values, files: FileItem[]): Omit<ActivityInput, "customerId" | "contactId"> {
  const placeKind = PLACE_KINDS.has(v.kind);
  return {
    kind: v.kind,
    // Whole seconds: what the picker shows is what is saved.
    occurredAt: v.occurredAt.startOf("minute").toISOString(),
    channel: text(v.channel),
    durationMinutes: DURATION_KINDS.has(v.kind) ? (v.durationMinutes ?? null) : null,
    place: placeKind ? text(v.place) : "",
    subject: text(v.subject),
    summary: text(v.summary),
    participantUserIds: v.participantUserIds ?? [],
    participantContactIds: v.participantContactIds ?? [],
    mentionUserIds: v.mentionUserIds ?? [],
    costAmount: v.costAmount || null,
    discountAmount: v.discountAmount || null,
    gift: text(v.gift),
    nextFollowUpAt: v.nextFollowUpAt ? v.nextFollowUpAt.startOf("minute").toISOString() : null,
    attachmentIds: files.filter((f) => f.status === "done" && f.response).map((f) => f.response!.id),
  };
}

/**
 * Logs an interaction (记录跟进) or edits one of one's own entries. Files are
 * uploaded as soon as they are picked; saving the entry attaches them. A next
 * follow-up date creates a task for the author on the server.
 */
export function ActivityFormDrawer({
  open,
  activity,
  of,
  contacts,
  onClose,
}: {
  open: boolean;
  /** null: a new entry. */
  activity: Activity | null;
  of: TimelineOf;
  contacts: ContactOption[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const handleSaveError = useSaveErrorHandler();
  const userName = useUserNames();
  const editing = activity !== null;
  // The editor works on the latest version, not the list's copy.
  const current = useQuery({
    queryKey: [...timelineKey, "one", activity?.id ?? ""],
    queryFn: () => getActivity(activity!.id),
    enabled: open && editing,
    staleTime: 0,
  });
  const [files, setFiles] = useState<FileItem[]>([]);
  const kind = Form.useWatch("kind", form);
  const uploading = files.some((f) => f.status === "uploading");
  const loaded = !editing || current.data !== undefined;

  useEffect(() => {
    if (!open || editing) return;
    form.resetFields();
    form.setFieldsValue({
      kind: "call",
      occurredAt: dayjs(),
      participantUserIds: [],
      participantContactIds: "contactId" in of ? [of.contactId] : [],
      mentionUserIds: [],
      costAmount: null,
      discountAmount: null,
      nextFollowUpAt: null,
    });
    setFiles([]);
  }, [open, editing, form, of]);

  useEffect(() => {
    if (open && current.data) {
      form.setFieldsValue(valuesOf(current.data));
      setFiles(filesOf(current.data));
    }
  }, [open, current.data, form]);

  const knownUsers = useMemo(() => {
    const ids = [...(current.data?.participantUserIds ?? []), ...(current.data?.mentionUserIds ?? [])];
    return Object.fromEntries(ids.map((id) => [id, userName(id) ?? id]));
  }, [current.data, userName]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const input = inputOf(v, files);
      if (!current.data) return createActivity({ ...input, ...("customerId" in of ? { customerId: of.customerId } : { contactId: of.contactId }) });
      const base = inputOf(valuesOf(current.data), filesOf(current.data));
      return updateActivity(current.data.id, { ...changedFields(base, input), version: current.data.version });
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: timelineKey });
      // The customer's last follow-up moved; a follow-up date made a task.
      void queryClient.invalidateQueries({ queryKey: customersKey });
      void queryClient.invalidateQueries({ queryKey: tasksKey });
      void message.success(saved.nextFollowUpAt && !editing ? t("timeline.savedWithTask") : t("timeline.saved"));
      onClose();
    },
    onError: (err) => {
      handleSaveError(err, form, () => {
        void current.refetch();
        void queryClient.invalidateQueries({ queryKey: timelineKey });
      });
      revealFirstError(form);
    },
  });

  const channelOptions = (k: Kind | undefined) => {
    if (k !== "call" && k !== "im") return [];
    return Object.values(t(`timeline.channels.${k}`, { returnObjects: true }) as Record<string, string>).map((v) => ({ value: v }));
  };
  const half = { xs: 24, sm: 12 } as const;

  return (
    <FormDrawer
      open={open}
      onClose={onClose}
      title={editing ? t("timeline.editTitle") : t("timeline.logTitle")}
      form={form}
      saving={save.isPending}
      submitDisabled={!loaded || uploading}
      submitLabel={t("common.save")}
      testId="activity"
    >
      {current.isError ? <QueryError error={current.error} onRetry={() => void current.refetch()} /> : null}
      {editing && current.isPending ? <Skeleton active /> : null}
      <Form<Values>
        form={form}
        name="activity"
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        onFinishFailed={() => revealFirstError(form)}
        style={{ display: loaded ? undefined : "none" }}
        data-testid="activity-form"
      >
        <Form.Item name="kind" label={t("timeline.kind")}>
          <Radio.Group
            optionType="button"
            style={{ display: "flex", flexWrap: "wrap", rowGap: 8 }}
            options={ACTIVITY_KINDS.map((k) => ({
              value: k,
              label: (
                <span data-testid={`activity-kind-${k}`}>
                  {KIND_ICONS[k]} {t(`timeline.kinds.${k}`)}
                </span>
              ),
            }))}
          />
        </Form.Item>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item name="occurredAt" label={t("timeline.occurredAt")} rules={[{ required: true, message: t("validation.select", { field: t("timeline.occurredAt") }) }]}>
              <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" style={{ width: "100%" }} allowClear={false} data-testid="activity-occurred-at" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="channel" label={t("timeline.channel")}>
              <AutoComplete options={channelOptions(kind)} maxLength={50} showSearch={{ filterOption: true }} placeholder={t("timeline.channelPlaceholder")} />
            </Form.Item>
          </Col>
          {kind && PLACE_KINDS.has(kind) ? (
            <Col {...half}>
              <Form.Item name="place" label={t("timeline.place")}>
                <Input maxLength={300} placeholder={t("timeline.placePlaceholder")} data-testid="activity-place" />
              </Form.Item>
            </Col>
          ) : null}
          {kind && DURATION_KINDS.has(kind) ? (
            <Col {...half}>
              <Form.Item name="durationMinutes" label={t("timeline.duration")}>
                <InputNumber min={0} max={100000} precision={0} suffix={t("timeline.minutesUnit")} style={{ width: "100%" }} />
              </Form.Item>
            </Col>
          ) : null}
          <Col span={24}>
            <Form.Item name="subject" label={t("timeline.subject")}>
              <Input maxLength={300} data-testid="activity-subject" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="summary" label={t("timeline.summary")}>
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={20000} placeholder={t("timeline.summaryPlaceholder")} data-testid="activity-summary" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="participantUserIds" label={t("timeline.participantUsers")}>
              <UserSelect mode="multiple" known={knownUsers} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="participantContactIds" label={t("timeline.participantContacts")}>
              <Select
                mode="multiple"
                showSearch={{ optionFilterProp: "label" }}
                options={contacts.map((c) => ({ value: c.id, label: c.name }))}
                notFoundContent={t("timeline.noContacts")}
                data-testid="activity-contacts"
              />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="mentionUserIds" label={t("timeline.mentions")} extra={t("timeline.mentionsHelp")}>
              <UserSelect mode="multiple" known={knownUsers} placeholder="@" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="costAmount" label={t("timeline.cost")} tooltip={t("timeline.costHelp")}>
              <MoneyInput data-testid="activity-cost" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item name="discountAmount" label={t("timeline.discount")}>
              <MoneyInput data-testid="activity-discount" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="gift" label={t("timeline.gift")}>
              <Input maxLength={300} placeholder={t("timeline.giftPlaceholder")} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="nextFollowUpAt" label={t("timeline.nextFollowUp")} extra={t("timeline.nextFollowUpHelp")}>
              <DatePicker
                showTime={{ format: "HH:mm" }}
                format="YYYY-MM-DD HH:mm"
                style={{ width: "100%" }}
                disabledDate={(d) => d.isBefore(dayjs(), "day")}
                data-testid="activity-next-follow-up"
              />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item label={t("timeline.attachments")} extra={t("timeline.attachmentsHelp")}>
              <Upload<Attachment>
                multiple
                fileList={files}
                onChange={({ fileList }) => setFiles(fileList)}
                customRequest={({ file, onSuccess, onError }) => {
                  uploadAttachment(file as File)
                    .then((stored) => onSuccess?.(stored))
                    .catch((err: unknown) => {
                      void message.error(t("timeline.uploadFailed", { name: (file as File).name, message: errorMessage(err) }));
                      onError?.(err instanceof Error ? err : new Error(errorMessage(err)));
                    });
                }}
                data-testid="activity-upload"
              >
                <Button icon={<UploadOutlined />}>{t("timeline.addFiles")}</Button>
              </Upload>
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </FormDrawer>
  );
}
