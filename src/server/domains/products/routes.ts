import type { App } from "../../lib/http.js";

export function productRoutes(app: App): void {
  void app;
}
