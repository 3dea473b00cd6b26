import { Flex, Grid, Typography } from "antd";
import type { ReactNode } from "react";

/** Title row of every page: title, one-line purpose, and the page's main actions. */
export function PageHeader({ title, subtitle, extra }: { title: ReactNode; subtitle?: ReactNode; extra?: ReactNode }) {
  const screens = Grid.useBreakpoint();
  return (
    <Flex
      justify="space-between"
      align={screens.sm ? "flex-end" : "stretch"}
      vertical={!screens.sm}
      gap={12}
      style={{ marginBottom: 16 }}
    >
      <div style={{ minWidth: 0 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {subtitle ? (
          <Typography.Text type="secondary" style={{ display: "block", marginTop: 4 }}>
            {subtitle}
          </Typography.Text>
        ) : null}
      </div>
      {extra ? (
        <Flex gap={8} wrap="wrap" justify={screens.sm ? "flex-end" : "flex-start"}>
          {extra}
        </Flex>
      ) : null}
    </Flex>
  );
}
