import { Button, Drawer, Flex, Grid, type DrawerProps, type FormInstance } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * The drawer a record's form opens in: full width on a small screen, `width`
 * from the `wide` breakpoint up, and a footer of Cancel and the submit button
 * (it submits `form`). Test ids: `<testId>-drawer`, `<testId>-submit`.
 */
export function FormDrawer({
  open,
  onClose,
  title,
  form,
  saving,
  submitDisabled,
  submitLabel,
  testId,
  width = 640,
  wide = "md",
  destroyOnHidden = true,
  styles,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  form: FormInstance;
  saving: boolean;
  submitDisabled?: boolean;
  submitLabel: ReactNode;
  testId: string;
  width?: number;
  wide?: "md" | "lg";
  /** False keeps the form mounted while hidden (a form reset on each opening). */
  destroyOnHidden?: boolean;
  styles?: DrawerProps["styles"];
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={title}
      size={screens[wide] ? width : "100%"}
      destroyOnHidden={destroyOnHidden}
      forceRender
      styles={styles}
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="primary" onClick={() => form.submit()} loading={saving} disabled={submitDisabled} data-testid={`${testId}-submit`}>
            {submitLabel}
          </Button>
        </Flex>
      }
      data-testid={`${testId}-drawer`}
    >
      {children}
    </Drawer>
  );
}
