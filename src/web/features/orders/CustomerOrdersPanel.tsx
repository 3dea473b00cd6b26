import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Col, Empty, Flex, Row, Table } from "antd";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useQueryRows } from "../../app/components/InfiniteTable.js";
import { useCan } from "../../app/session.js";
import { useOrders, type Order } from "./api.js";
import { CreditPositionPanel } from "./credit.js";
import { useOrderColumns } from "./OrdersPage.js";

/** The orders tab of the customer 360° view: their orders, a new order for them, and their credit position. */
export function CustomerOrdersPanel({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const orders = useOrders({ customerId }, { pageSize: 20 });
  const rows = useQueryRows(orders);
  const columns = useOrderColumns({ customer: false });
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={16}>
        <Flex vertical gap={12}>
          {can("order:create") ? (
            <Button type="primary" icon={<PlusOutlined />} style={{ alignSelf: "flex-start" }} onClick={() => void navigate(`/orders/new?customerId=${customerId}`)} data-testid="customer-new-order">
              {t("orders.create")}
            </Button>
          ) : null}
          <Table<Order>
            size="small"
            rowKey="id"
            loading={orders.isPending}
            columns={columns}
            dataSource={rows}
            pagination={false}
            locale={{ emptyText: <Empty description={t("orders.customerTab.empty")} /> }}
            data-testid="customer-orders"
          />
          {orders.hasNextPage ? (
            <Button onClick={() => void orders.fetchNextPage()} loading={orders.isFetchingNextPage} style={{ alignSelf: "center" }}>
              {t("common.loadMore")}
            </Button>
          ) : null}
        </Flex>
      </Col>
      <Col xs={24} lg={8}>
        <Card title={t("orders.credit.title")} size="small">
          <CreditPositionPanel customerId={customerId} />
        </Card>
      </Col>
    </Row>
  );
}
