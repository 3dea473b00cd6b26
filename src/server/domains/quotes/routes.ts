import type { App } from "../../lib/http.js";

export function quoteRoutes(app: App): void {
  void app;
}
