import type { App } from "../../lib/http.js";

export function leadRoutes(app: App): void {
  void app;
}
