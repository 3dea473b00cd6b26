import { Flex, Tag, Tooltip } from "antd";
import { useTranslation } from "react-i18next";
import type { CustomerStatus, Grade, LifecycleStage } from "./api.js";
import { GRADE_COLORS, STAGE_COLORS, STATUS_COLORS } from "./format.js";

export function GradeTag({ grade, manual }: { grade: Grade | null; manual?: boolean }) {
  const { t } = useTranslation();
  if (!grade) return null;
  const tag = (
    <Tag color={GRADE_COLORS[grade]} style={{ marginInlineEnd: 0 }}>
      {t(`customers.grades.${grade}`)}
    </Tag>
  );
  return manual === undefined ? tag : <Tooltip title={manual ? t("customers.gradeManual") : t("customers.gradeComputed")}>{tag}</Tooltip>;
}

export function StageTag({ stage }: { stage: LifecycleStage }) {
  const { t } = useTranslation();
  return (
    <Tag color={STAGE_COLORS[stage]} style={{ marginInlineEnd: 0 }}>
      {t(`customers.stages.${stage}`)}
    </Tag>
  );
}

export function StatusTag({ status }: { status: CustomerStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} style={{ marginInlineEnd: 0 }}>
      {t(`customers.statuses.${status}`)}
    </Tag>
  );
}

/** Free-text tags; `max` shows the first few and a "+n". */
export function TagList({ tags, max }: { tags: string[]; max?: number }) {
  if (!tags.length) return <>—</>;
  const shown = max ? tags.slice(0, max) : tags;
  const rest = tags.length - shown.length;
  return (
    <Flex gap={4} wrap="wrap">
      {shown.map((tag) => (
        <Tag key={tag} style={{ marginInlineEnd: 0 }}>
          {tag}
        </Tag>
      ))}
      {rest > 0 ? (
        <Tooltip title={tags.slice(shown.length).join("、")}>
          <Tag style={{ marginInlineEnd: 0 }}>+{rest}</Tag>
        </Tooltip>
      ) : null}
    </Flex>
  );
}
