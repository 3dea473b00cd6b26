import type { App } from "../../lib/http.js";

export function opportunityRoutes(app: App): void {
  void app;
}
