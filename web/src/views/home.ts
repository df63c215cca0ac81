// The home page: start an analysis (or the demo), and see recent jobs.

import { ApiError, analyzeWorstApisWithGitHubAsync, submitDemo } from "../client";
import type { Context } from "../context";
import { errorText, jobPath } from "../context";
import { fill, h } from "../dom";
import { rememberSubmission } from "../storage";
import type { AnalysisRequest } from "../types";
import { InputError, parseWorstApis } from "../worstApis";
import { recentJobs } from "./recent";

const EXAMPLE = '[{"endpoint": "GET /api/orders", "p95_ms": 2950, "error_rate": 0.004}]';

export function homeView(root: HTMLElement, ctx: Context): () => void {
  const controller = new AbortController();
  document.title = "apiscope";
  fill(root, intro(ctx), analysisForm(ctx), recentJobs(ctx, controller.signal));
  return () => controller.abort();
}

function intro(ctx: Context): HTMLElement {
  const error = h("div", { class: "form-error", role: "alert" });
  const button = h("button", { type: "button", class: "demo" }, "Try the demo");
  button.addEventListener("click", async () => {
    button.disabled = true;
    fill(error);
    try {
      const accepted = await submitDemo(ctx.client());
      rememberSubmission(accepted.job_id, { type: "demo" });
      ctx.navigate(jobPath(accepted.job_id));
    } catch (failure) {
      ctx.reportError(failure);
      fill(error, `Could not start the demo: ${errorText(failure)}`);
      button.disabled = false;
    }
  });
  return h(
    "section",
    { class: "intro" },
    h("h1", null, "Why are your worst APIs slow?"),
    h(
      "p",
      null,
      "Give apiscope a repository and the endpoints your monitoring ranks slowest. It " +
        "finds the code of each one, colour-codes them, and explains the likely causes with the " +
        "lines that show them.",
    ),
    h(
      "p",
      { class: "demo-row" },
      button,
      h(
        "span",
        { class: "muted" },
        " Analyses the example shop shipped with apiscope; needs no network.",
      ),
    ),
    error,
  );
}

function analysisForm(ctx: Context): HTMLElement {
  const repo = h("input", {
    id: "repo",
    name: "repo",
    required: true,
    autocomplete: "off",
    placeholder: "owner/name or https://github.com/owner/name",
  });
  const branch = h("input", {
    id: "branch",
    name: "branch",
    autocomplete: "off",
    placeholder: "main",
  });
  const worst = h("textarea", {
    id: "worst",
    name: "worst",
    rows: 8,
    spellcheck: false,
    placeholder: EXAMPLE,
    "aria-describedby": "worst-hint worst-status",
  });
  const file = h("input", {
    id: "worst-file",
    type: "file",
    accept: ".json,.csv,.tsv,.txt,.log,application/json,text/csv",
  });
  const status = h("p", { id: "worst-status", class: "field-status", "aria-live": "polite" });
  const submit = h("button", { type: "submit" }, "Analyse");
  const error = h("div", { class: "form-error", role: "alert" });
  const form = h(
    "form",
    { class: "analyze-form", novalidate: true, "aria-labelledby": "form-title" },
    h("h2", { id: "form-title" }, "New analysis"),
    h("label", { for: "repo" }, "Repository"),
    repo,
    h(
      "label",
      { for: "branch" },
      "Branch ",
      h("span", { class: "muted" }, "(optional: the default branch)"),
    ),
    branch,
    h("label", { for: "worst" }, "Worst APIs"),
    h(
      "p",
      { id: "worst-hint", class: "hint" },
      "A JSON array of endpoints with their metrics, as " +
        "below, or a CSV export with a header row (method, path or url or endpoint, and metrics " +
        "such as p95_ms, p99_ms, error_rate, requests). For access logs, run ",
      h("code", null, "apiscope worst LOGFILE --json"),
      " first and use its output.",
    ),
    worst,
    h("label", { for: "worst-file", class: "file-label" }, "Or upload a file "),
    file,
    status,
    h("p", { class: "actions" }, submit),
    error,
  );

  let idempotencyKey: string | null = null; // kept across retries of the same input
  const check = (): void => showParse(worst.value, status);
  worst.addEventListener("input", check);
  form.addEventListener("input", () => (idempotencyKey = null));
  file.addEventListener("change", async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    worst.value = await chosen.text();
    idempotencyKey = null;
    check();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    fill(error);
    const request = readForm(repo, branch, worst, error);
    if (!request) return;
    submit.disabled = true;
    idempotencyKey ??= randomKey();
    try {
      const accepted = await analyzeWorstApisWithGitHubAsync(request, {
        ...ctx.client(),
        idempotencyKey,
      });
      rememberSubmission(accepted.job_id, { type: "analysis", request });
      ctx.navigate(jobPath(accepted.job_id));
    } catch (failure) {
      ctx.reportError(failure);
      fill(error, submitError(failure));
      submit.disabled = false;
    }
  });
  return form;
}

function readForm(
  repo: HTMLInputElement,
  branch: HTMLInputElement,
  worst: HTMLTextAreaElement,
  error: HTMLElement,
): AnalysisRequest | null {
  if (!repo.value.trim()) {
    fill(error, "Name the repository: owner/name on GitHub, or its URL.");
    repo.focus();
    return null;
  }
  try {
    const { apis } = parseWorstApis(worst.value);
    const request: AnalysisRequest = { repo: repo.value.trim(), worst_apis: apis };
    if (branch.value.trim()) request.branch = branch.value.trim();
    return request;
  } catch (failure) {
    fill(error, errorText(failure));
    worst.focus();
    return null;
  }
}

function showParse(text: string, status: HTMLElement): void {
  status.classList.remove("bad");
  if (!text.trim()) return fill(status);
  try {
    const { apis, format } = parseWorstApis(text);
    fill(status, `${apis.length} worst API${apis.length === 1 ? "" : "s"} read from ${format}.`);
  } catch (failure) {
    if (!(failure instanceof InputError)) throw failure;
    status.classList.add("bad");
    fill(status, failure.message);
  }
}

function submitError(failure: unknown): string {
  const text = errorText(failure);
  if (failure instanceof ApiError && failure.status === 0) {
    return `${text}. Check that \`apiscope serve\` is running, then press Analyse again.`;
  }
  if (failure instanceof ApiError && failure.status === 422)
    return `The server refused the input: ${text}`;
  return `Could not start the analysis: ${text}`;
}

/** A random Idempotency-Key; `crypto.randomUUID` exists only on https and localhost pages. */
function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
