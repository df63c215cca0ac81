// The list of recent jobs on the home page, newest first, a page at a time.

import { listJobs } from "../client";
import type { Context } from "../context";
import { errorText, kindName } from "../context";
import { fill, h, navLink } from "../dom";
import { formatAge } from "../format";
import type { JobStatus } from "../types";
import { statusBadge } from "./progress";

export function recentJobs(ctx: Context, signal: AbortSignal): HTMLElement {
  const list = h("ol", { class: "job-list" });
  const footer = h("div", { class: "list-footer" });
  const section = h(
    "section",
    { class: "recent", "aria-labelledby": "recent-title" },
    h(
      "div",
      { class: "section-head" },
      h("h2", { id: "recent-title" }, "Recent jobs"),
      h(
        "button",
        { type: "button", class: "secondary", onclick: () => void load(null, true) },
        "Refresh",
      ),
    ),
    list,
    footer,
  );

  async function load(cursor: string | null, replace: boolean): Promise<void> {
    try {
      const page = await listJobs({ limit: 20, cursor }, ctx.client(signal));
      if (replace) list.replaceChildren();
      list.append(...page.jobs.map(jobItem));
      if (!list.children.length) fill(footer, h("p", { class: "muted" }, "No jobs yet."));
      else if (page.next_cursor) fill(footer, moreButton(page.next_cursor));
      else fill(footer);
    } catch (error) {
      if (signal.aborted) return;
      ctx.reportError(error);
      fill(
        footer,
        h(
          "p",
          { class: "inline-error", role: "alert" },
          `Could not load the jobs: ${errorText(error)} `,
          h(
            "button",
            { type: "button", class: "secondary", onclick: () => void load(cursor, replace) },
            "Try again",
          ),
        ),
      );
    }
  }

  function moreButton(cursor: string): HTMLElement {
    return h(
      "button",
      { type: "button", class: "secondary", onclick: () => void load(cursor, false) },
      "Show older jobs",
    );
  }

  void load(null, true);
  return section;
}

function jobItem(job: JobStatus): HTMLElement {
  return h(
    "li",
    { class: "job-item" },
    statusBadge(job.status),
    navLink(`/jobs/${encodeURIComponent(job.job_id)}`, kindName(job.kind)),
    h("span", { class: "muted" }, job.status === "processing" ? `${job.progress} %` : ""),
    h("span", { class: "muted age" }, formatAge(job.created_at)),
    h("code", { class: "muted job-id" }, job.job_id.slice(0, 8)),
  );
}
