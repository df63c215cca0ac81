import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The build lands inside the Python package, so `pip install apiscope` serves the UI with no Node.
// Asset names carry content hashes and nothing else varies between builds, so CI can rebuild and
// require the committed files to be byte-identical.
export default defineConfig({
  base: "/static/",
  build: {
    outDir: fileURLToPath(new URL("../src/apiscope/web/static", import.meta.url)),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: "es2022",
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
