import type { App } from "../../lib/http.js";

export function orderRoutes(app: App): void {
  void app;
}
