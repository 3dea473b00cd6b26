import type { App } from "../../lib/http.js";

export function approvalRoutes(app: App): void {
  void app;
}
