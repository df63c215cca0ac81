// Every route discovery found, folded away below the report: useful to check coverage.

import { h } from "../dom";
import type { AnalysisResult } from "../types";
import { codeLocation } from "./code";

const SHOWN = 500;

export function discoveredTable(result: AnalysisResult): HTMLElement {
  const routes = result.discovered_apis;
  const shown = routes.slice(0, SHOWN);
  return h(
    "details",
    { class: "discovered" },
    h("summary", null, `All ${routes.length} discovered routes`),
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        null,
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            ["Method", "Path", "Code", "Handler", "Framework"].map((title) =>
              h("th", { scope: "col" }, title),
            ),
          ),
        ),
        h(
          "tbody",
          null,
          shown.map((route) =>
            h(
              "tr",
              null,
              h("td", null, route.method),
              h("td", null, h("code", null, route.path)),
              h("td", null, codeLocation(result.repository, route.file, route.line)),
              h("td", null, route.handler ?? ""),
              h("td", null, route.framework),
            ),
          ),
        ),
      ),
    ),
    routes.length > SHOWN
      ? h("p", { class: "muted" }, `The first ${SHOWN} are shown; the JSON result has all of them.`)
      : null,
  );
}
