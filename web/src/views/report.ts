// The analysis report: worst APIs colour-coded and linked to their code, then the findings.

import { externalLink, h, richText } from "../dom";
import type { Child } from "../dom";
import { formatCount, formatMs, formatRate } from "../format";
import { commitUrl } from "../github";
import type { AnalysisResult, Color, Finding, MatchedApi, Repository } from "../types";
import { codeLocation, evidenceSnippet } from "./code";
import { discoveredTable } from "./discovered";

const COLORS: Color[] = ["red", "orange", "yellow", "green", "grey"];

export function reportView(result: AnalysisResult): HTMLElement {
  const groups = findingGroups(result);
  return h(
    "section",
    { class: "report", "aria-labelledby": "report-title" },
    h("h2", { id: "report-title" }, "Report"),
    repositoryLine(result.repository, result.ai_analysis.provider),
    totals(result),
    result.ai_analysis.summary
      ? h("p", { class: "summary" }, richText(result.ai_analysis.summary))
      : null,
    warnings(result.ai_analysis.warnings),
    h("h3", null, "Worst APIs"),
    worstApisTable(result, groups),
    h("h3", null, "Findings"),
    findingsList(result, groups),
    discoveredTable(result),
  );
}

function repositoryLine(repo: Repository, provider: string): HTMLElement {
  const tree = commitUrl(repo.repo, repo.commit);
  const commit = repo.commit ? repo.commit.slice(0, 12) : "unknown commit";
  return h(
    "p",
    { class: "repository" },
    "Repository ",
    h("strong", null, repo.repo),
    repo.branch ? [" on branch ", h("code", null, repo.branch)] : null,
    " at ",
    tree ? externalLink(tree, h("code", null, commit)) : h("code", null, commit),
    ` · analysed by ${provider}`,
  );
}

function totals(result: AnalysisResult): HTMLElement {
  const counts = new Map<Color, number>();
  for (const api of result.matched_apis) counts.set(api.color, (counts.get(api.color) ?? 0) + 1);
  const matched = result.matched_apis.filter((api) => api.route !== null).length;
  return h(
    "ul",
    { class: "totals" },
    h("li", null, h("strong", null, String(result.matched_apis.length)), " worst APIs"),
    h("li", null, h("strong", null, String(matched)), " traced to code"),
    h("li", null, h("strong", null, String(result.discovered_apis.length)), " routes discovered"),
    h("li", null, h("strong", null, String(result.ai_analysis.findings.length)), " findings"),
    COLORS.filter((c) => counts.has(c)).map((c) =>
      h("li", { class: `chip chip-${c}` }, `${counts.get(c)} ${c}`),
    ),
  );
}

function warnings(items: string[]): Child {
  if (!items.length) return null;
  return h(
    "ul",
    { class: "warnings", "aria-label": "Warnings" },
    items.map((text) => h("li", null, richText(text))),
  );
}

function worstApisTable(result: AnalysisResult, groups: FindingGroups): HTMLElement {
  const head = ["Colour", "Endpoint", "p95", "p99", "Errors", "Requests", "Code", "Why"];
  return h(
    "div",
    { class: "table-scroll" },
    h(
      "table",
      { class: "worst-apis" },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          head.map((title) => h("th", { scope: "col" }, title)),
        ),
      ),
      h(
        "tbody",
        null,
        result.matched_apis.map((api) => worstApiRow(api, result.repository, groups)),
      ),
    ),
  );
}

function worstApiRow(api: MatchedApi, repo: Repository, groups: FindingGroups): HTMLElement {
  const worst = api.worst_api;
  const group = groups.get(apiKey(api));
  return h(
    "tr",
    { class: `row-${api.color}` },
    h("td", null, h("span", { class: `chip chip-${api.color}` }, api.color)),
    h("td", { class: "endpoint" }, h("code", null, `${worst.method} ${worst.path}`)),
    h("td", { class: "num" }, formatMs(worst["p95_ms"])),
    h("td", { class: "num" }, formatMs(worst["p99_ms"])),
    h("td", { class: "num" }, formatRate(worst["error_rate"])),
    h("td", { class: "num" }, formatCount(worst["requests"])),
    h("td", { class: "code" }, routeCell(api, repo)),
    h("td", { class: "reason" }, richText(api.reason), group ? findingsLink(group) : null),
  );
}

function findingsLink(group: FindingGroup): HTMLElement {
  const count = group.findings.length;
  return h(
    "a",
    { class: "findings-link", href: `#${group.anchor}` },
    `${count} finding${count === 1 ? "" : "s"} ↓`,
  );
}

function routeCell(api: MatchedApi, repo: Repository): Child {
  if (!api.route) return h("span", { class: "muted" }, "no matching code");
  const { route } = api;
  return [
    h("code", null, `${route.method} ${route.path}`),
    h("br"),
    codeLocation(repo, route.file, route.line),
    route.handler ? h("span", { class: "muted" }, ` · ${route.handler}`) : null,
  ];
}

interface FindingGroup {
  api: string;
  anchor: string;
  findings: Finding[];
}
type FindingGroups = Map<string, FindingGroup>;

/** The API a finding names: the matched route's `METHOD /template`, else as observed. */
function apiKey(api: MatchedApi): string {
  const source = api.route ?? api.worst_api;
  return `${source.method} ${source.path}`;
}

/** Findings grouped by API, in the order of the worst-APIs table. */
function findingGroups(result: AnalysisResult): FindingGroups {
  const groups: FindingGroups = new Map();
  const order = [
    ...result.matched_apis.map(apiKey),
    ...result.ai_analysis.findings.map((f) => f.api),
  ];
  for (const api of order) {
    const findings = result.ai_analysis.findings.filter((f) => f.api === api);
    if (findings.length && !groups.has(api)) {
      groups.set(api, { api, anchor: `findings-${groups.size + 1}`, findings });
    }
  }
  return groups;
}

function findingsList(result: AnalysisResult, groups: FindingGroups): HTMLElement {
  if (!groups.size) {
    return h(
      "p",
      { class: "muted" },
      "No likely causes found in the code of the matched endpoints.",
    );
  }
  const summaries = result.ai_analysis.summaries ?? {};
  return h(
    "div",
    { class: "findings" },
    [...groups.values()].map((group) =>
      h(
        "section",
        { class: "finding-group", id: group.anchor },
        h("h4", null, h("code", null, group.api)),
        summaries[group.api]
          ? h("p", { class: "api-summary" }, richText(summaries[group.api] ?? ""))
          : null,
        group.findings.map((finding) => findingCard(finding, result.repository)),
      ),
    ),
  );
}

function findingCard(finding: Finding, repo: Repository): HTMLElement {
  return h(
    "article",
    { class: `finding finding-${finding.severity}` },
    h(
      "header",
      null,
      h("span", { class: `severity severity-${finding.severity}` }, finding.severity),
      h("strong", { class: "finding-title" }, finding.title),
      h("code", { class: "rule" }, finding.rule),
    ),
    h("p", null, richText(finding.explanation)),
    finding.evidence.map((evidence) => evidenceSnippet(evidence, repo)),
    h(
      "p",
      { class: "recommendation" },
      h("strong", null, "Recommendation: "),
      richText(finding.recommendation),
    ),
  );
}
