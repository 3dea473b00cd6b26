import { ctxOf, errors, IdParams, setEtag, type App } from "../../lib/http.js";
import { ListQuerySchema, pageSchema } from "../../lib/listing.js";
import { expectedVersion } from "../../lib/versioning.js";
import { CancelBody, CreditPositionSchema, OrderCreateSchema, OrderSchema, OrderSettingsSchema, OrderSettingsUpdateSchema, OrderUpdateSchema, VersionBody } from "./contracts.js";
import "./messages.js";
import { createOrder, findOrders, getCreditPosition, getOrder, submitOrder, transitionOrder, updateOrder, type OrderTransition } from "./orders.js";
import { getOrderSettings, updateOrderSettings } from "./settings.js";

export function orderRoutes(app: App): void {
  app.get(
    "/api/v1/orders",
    {
      schema: {
        tags: ["orders"],
        summary: "Orders I may see (without lines). Sort: orderDate (default -orderDate), number, total, createdAt, updatedAt. Filters: status, customerId, ownerId, orderDate, number, channel, currency, total, createdAt",
        querystring: ListQuerySchema,
        response: { 200: pageSchema(OrderSchema), ...errors },
      },
    },
    async (req) => findOrders(ctxOf(req), req.query),
  );
  app.post(
    "/api/v1/orders",
    {
      schema: {
        tags: ["orders"],
        summary: "Create a draft order: lines priced from the customer's price list and discount terms unless given, numbered by the workspace's pattern",
        body: OrderCreateSchema,
        response: { 201: OrderSchema, ...errors },
      },
    },
    async (req, reply) => {
      const order = await createOrder(ctxOf(req), req.body);
      setEtag(reply, order.version);
      return reply.code(201).send(order);
    },
  );
  app.get("/api/v1/orders/:id", { schema: { tags: ["orders"], summary: "One order with its lines", params: IdParams, response: { 200: OrderSchema, ...errors } } }, async (req, reply) => {
    const order = await getOrder(ctxOf(req), req.params.id);
    setEtag(reply, order.version);
    return order;
  });
  app.patch(
    "/api/v1/orders/:id",
    { schema: { tags: ["orders"], summary: "Change a draft order; lines, when given, replace all lines (If-Match or version required)", params: IdParams, body: OrderUpdateSchema, response: { 200: OrderSchema, ...errors } } },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const order = await updateOrder(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, order.version);
      return order;
    },
  );
  app.post(
    "/api/v1/orders/:id/submit",
    {
      schema: {
        tags: ["orders"],
        summary:
          "Submit a draft: checked against the customer's credit limit (receivables + this order) and sales limit (this period's orders + this order). " +
          "Within limits it is approved; over a limit it is refused (400 with details.creditCheck) or sent for approval (status pending_approval), as the order settings say",
        params: IdParams,
        body: VersionBody,
        response: { 200: OrderSchema, ...errors },
      },
    },
    async (req, reply) => {
      const order = await submitOrder(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], req.body?.version));
      setEtag(reply, order.version);
      return order;
    },
  );
  for (const action of ["deliver", "complete"] as const satisfies OrderTransition[]) {
    app.post(
      `/api/v1/orders/:id/${action}`,
      { schema: { tags: ["orders"], summary: action === "deliver" ? "Mark an approved order delivered" : "Mark a delivered order completed", params: IdParams, body: VersionBody, response: { 200: OrderSchema, ...errors } } },
      async (req, reply) => {
        const order = await transitionOrder(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], req.body?.version), action);
        setEtag(reply, order.version);
        return order;
      },
    );
  }
  app.post(
    "/api/v1/orders/:id/cancel",
    { schema: { tags: ["orders"], summary: "Cancel a draft or approved order without payments, with a reason", params: IdParams, body: CancelBody, response: { 200: OrderSchema, ...errors } } },
    async (req, reply) => {
      const order = await transitionOrder(ctxOf(req), req.params.id, expectedVersion(req.headers["if-match"], req.body.version), "cancel", req.body.reason);
      setEtag(reply, order.version);
      return order;
    },
  );
  app.get(
    "/api/v1/customers/:id/credit",
    { schema: { tags: ["orders"], summary: "A customer's credit position today: credit and sales limits, receivables outstanding, sales this period (base currency)", params: IdParams, response: { 200: CreditPositionSchema, ...errors } } },
    async (req) => getCreditPosition(ctxOf(req), req.params.id),
  );
  app.get("/api/v1/order-settings", { schema: { tags: ["orders"], summary: "Order numbering and credit control", response: { 200: OrderSettingsSchema, ...errors } } }, async (req, reply) => {
    const settings = await getOrderSettings(ctxOf(req));
    setEtag(reply, settings.version);
    return settings;
  });
  app.patch(
    "/api/v1/order-settings",
    { schema: { tags: ["orders"], summary: "Change order numbering and credit control (workspace:update; If-Match or version required)", body: OrderSettingsUpdateSchema, response: { 200: OrderSettingsSchema, ...errors } } },
    async (req, reply) => {
      const { version, ...input } = req.body;
      const settings = await updateOrderSettings(ctxOf(req), expectedVersion(req.headers["if-match"], version), input);
      setEtag(reply, settings.version);
      return settings;
    },
  );
}

