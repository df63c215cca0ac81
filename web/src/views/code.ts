// Pointers into the analysed code: `file:line` links and evidence snippets with line numbers.

import { externalLink, h } from "../dom";
import { blobUrl } from "../github";
import type { Evidence, Repository } from "../types";

/** `file:line`, linked to GitHub at the analysed commit when the repository is on GitHub. */
export function codeLocation(
  repo: Repository,
  file: string,
  line: number,
  lineEnd?: number,
): HTMLElement {
  const label = lineEnd && lineEnd > line ? `${file}:${line}-${lineEnd}` : `${file}:${line}`;
  const url = blobUrl(repo.repo, repo.commit, file, line, lineEnd);
  const element = url ? externalLink(url, label) : h("span", null, label);
  element.classList.add("location");
  return element;
}

/** A finding's evidence: where it is, and the lines themselves. */
export function evidenceSnippet(evidence: Evidence, repo: Repository): HTMLElement {
  const lines = evidence.snippet.replace(/\n$/, "").split("\n");
  return h(
    "figure",
    { class: "evidence" },
    h(
      "figcaption",
      null,
      codeLocation(repo, evidence.file, evidence.line_start, evidence.line_end),
    ),
    h(
      "pre",
      null,
      h(
        "code",
        null,
        lines.map((text, index) =>
          h(
            "span",
            { class: "line" },
            h("span", { class: "ln", "aria-hidden": "true" }, String(evidence.line_start + index)),
            text,
          ),
        ),
      ),
    ),
  );
}
