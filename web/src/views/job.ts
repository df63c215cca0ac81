// The job page (`/jobs/{id}`): follows the job live, lets the user cancel it, and shows the
// report, the error, or the cancellation when it ends. Reloading the page resumes from the server.

import { ApiError, cancelJob, watchJob } from "../client";
import type { Context } from "../context";
import { errorText, kindName } from "../context";
import { fill, h, navLink } from "../dom";
import type { JobStatus } from "../types";
import { isAnalysisResult, isFinal } from "../types";
import { notice } from "./notice";
import { JobProgress } from "./progress";
import { reportView } from "./report";
import { runAgainAction } from "./rerun";

export function jobView(root: HTMLElement, ctx: Context, jobId: string): () => void {
  const page = new JobPage(ctx, jobId);
  fill(root, page.element);
  page.follow();
  return () => page.close();
}

class JobPage {
  readonly element: HTMLElement;
  private readonly title = h("h1", null, "Job");
  private readonly progress = new JobProgress();
  private readonly cancelButton = h(
    "button",
    { type: "button", class: "danger cancel" },
    "Cancel job",
  );
  private readonly actionError = h("p", { class: "inline-error", role: "alert" });
  private readonly outcome = h("div", { class: "outcome" });
  private controller = new AbortController();
  /** How updates arrive, shown beside the elapsed time while the job runs. */
  private mode = "";

  constructor(
    private readonly ctx: Context,
    private readonly jobId: string,
  ) {
    this.cancelButton.hidden = true;
    this.cancelButton.addEventListener("click", () => void this.cancel());
    this.element = h(
      "section",
      { class: "job", "aria-labelledby": "job-title" },
      h("p", { class: "crumbs" }, navLink("/", "← New analysis")),
      this.title,
      h("p", { class: "muted job-id" }, "Job ", h("code", null, jobId)),
      this.progress.element,
      h("p", { class: "actions" }, this.cancelButton),
      this.actionError,
      this.outcome,
    );
    this.title.id = "job-title";
  }

  follow(): void {
    this.controller.abort();
    const controller = new AbortController();
    this.controller = controller;
    fill(this.outcome);
    const options = {
      ...this.ctx.client(controller.signal),
      onMode: (mode: "live" | "polling") => {
        this.mode = mode === "live" ? "· live" : "· updating every 2 s";
        this.progress.setMode(this.mode);
      },
      onRetry: (error: ApiError) =>
        this.progress.setMode(`· connection lost (${error.message}); retrying`),
    };
    watchJob(this.jobId, (status) => this.show(status), options).catch((error: unknown) => {
      if (!controller.signal.aborted) this.failedToLoad(error);
    });
  }

  close(): void {
    this.controller.abort();
    this.progress.stop();
  }

  private show(status: JobStatus): void {
    document.title = `${kindName(status.kind)}: ${status.status} · apiscope`;
    this.title.textContent = kindName(status.kind);
    this.progress.update(status);
    this.cancelButton.hidden = isFinal(status);
    this.progress.setMode(isFinal(status) ? "" : this.mode);
    if (isFinal(status)) fill(this.outcome, this.outcomeOf(status));
  }

  private outcomeOf(status: JobStatus): HTMLElement {
    if (status.status === "failed") {
      const attempts = status.attempts > 1 ? ` It was tried ${status.attempts} times.` : "";
      return notice(
        "error",
        "The job failed",
        [
          h("p", { class: "error-text" }, status.error ?? "No reason was recorded."),
          attempts ? h("p", { class: "muted" }, attempts.trim()) : null,
        ],
        this.nextSteps(),
      );
    }
    if (status.status === "cancelled") {
      return notice(
        "info",
        "The job was cancelled",
        [h("p", null, "It stopped at " + `${status.progress} %; nothing more will run.`)],
        this.nextSteps(),
      );
    }
    if (isAnalysisResult(status.result)) return reportView(status.result);
    return h(
      "section",
      { class: "raw-result" },
      h("h2", null, "Result"),
      h("pre", null, h("code", null, JSON.stringify(status.result, null, 2))),
    );
  }

  private nextSteps(): HTMLElement[] {
    const again = runAgainAction(this.ctx, this.jobId, (error) => fill(this.actionError, error));
    return [...(again ? [again] : []), navLink("/", "Start a new analysis")];
  }

  private async cancel(): Promise<void> {
    this.cancelButton.disabled = true;
    fill(this.actionError);
    try {
      this.show(await cancelJob(this.jobId, this.ctx.client()));
    } catch (error) {
      this.ctx.reportError(error);
      const finished = error instanceof ApiError && error.status === 409;
      fill(
        this.actionError,
        finished ? "The job had already finished." : `Could not cancel: ${errorText(error)}`,
      );
    } finally {
      this.cancelButton.disabled = false;
    }
  }

  private failedToLoad(error: unknown): void {
    this.ctx.reportError(error);
    this.progress.stop();
    const retry = { label: "Try again", run: () => this.follow() };
    fill(
      this.outcome,
      notice(
        "error",
        loadErrorTitle(error),
        [h("p", { class: "error-text" }, loadErrorText(error))],
        [retry, navLink("/", "Start a new analysis")],
      ),
    );
  }
}

function loadErrorTitle(error: unknown): string {
  if (error instanceof ApiError && error.status === 404) return "No such job";
  if (error instanceof ApiError && error.status === 410) return "This job has expired";
  return "Could not load the job";
}

function loadErrorText(error: unknown): string {
  if (error instanceof ApiError && error.status === 404) {
    return "The server knows no job with this id. It may have been started with another API key.";
  }
  if (error instanceof ApiError && error.status === 410) {
    return "Finished jobs are kept for a while, then removed. Run the analysis again to get a new report.";
  }
  return errorText(error);
}
