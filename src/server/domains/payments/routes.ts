import type { App } from "../../lib/http.js";

export function paymentRoutes(app: App): void {
  void app;
}
