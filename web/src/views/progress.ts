// The live part of a job page: progress bar, current message, steps and elapsed time.

import { h } from "../dom";
import { ElapsedClock, formatDuration } from "../format";
import type { JobStatus, StepStatus } from "../types";
import { isFinal } from "../types";

const STEP_MARKS: Record<StepStatus["status"], string> = {
  pending: "○",
  processing: "◐",
  completed: "✓",
  failed: "✗",
};

export function statusBadge(status: JobStatus["status"]): HTMLElement {
  return h("span", { class: `badge badge-${status}` }, status);
}

export class JobProgress {
  readonly element: HTMLElement;
  private readonly badge = h("span", { class: "badge-slot" });
  private readonly elapsedText = h("span", { class: "elapsed" });
  private readonly modeText = h("span", { class: "mode" });
  private readonly fill = h("div", { class: "bar-fill" });
  private readonly bar = h(
    "div",
    {
      class: "bar",
      role: "progressbar",
      "aria-label": "Job progress",
      "aria-valuemin": 0,
      "aria-valuemax": 100,
      "aria-valuenow": 0,
    },
    this.fill,
  );
  private readonly percent = h("span", { class: "percent" }, "0 %");
  private readonly message = h("p", { class: "message", "aria-live": "polite" });
  private readonly steps = h("ol", { class: "steps", "aria-label": "Steps" });
  private readonly clock = new ElapsedClock();
  private timer: number | undefined;

  constructor() {
    this.element = h(
      "div",
      { class: "job-progress" },
      h("div", { class: "status-line" }, this.badge, this.elapsedText, this.modeText),
      h("div", { class: "bar-row" }, this.bar, this.percent),
      this.message,
      this.steps,
    );
  }

  update(status: JobStatus): void {
    const running = !isFinal(status);
    this.badge.replaceChildren(statusBadge(status.status));
    this.bar.setAttribute("aria-valuenow", String(status.progress));
    this.bar.setAttribute("aria-valuetext", `${status.progress} %: ${status.message}`);
    this.bar.dataset["state"] = status.status;
    this.fill.style.width = `${status.progress}%`; // CSSOM, allowed by the CSP (no inline styles)
    this.percent.textContent = `${status.progress} %`;
    this.message.textContent = status.message;
    this.steps.replaceChildren(...status.steps.map(stepItem));
    this.clock.update(status.created_at, status.updated_at, running);
    this.tick();
    if (running) this.timer ??= window.setInterval(() => this.tick(), 1000);
    else this.stop();
  }

  /** How updates arrive, in words: shown beside the elapsed time. */
  setMode(text: string): void {
    this.modeText.textContent = text;
  }

  stop(): void {
    window.clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    this.elapsedText.textContent = `Elapsed ${formatDuration(this.clock.elapsed())}`;
  }
}

function stepItem(step: StepStatus): HTMLElement {
  return h(
    "li",
    { class: `step step-${step.status}` },
    h("span", { class: "step-mark", "aria-hidden": "true" }, STEP_MARKS[step.status] ?? "○"),
    h("span", { class: "step-name" }, step.name),
    h(
      "span",
      { class: "step-state" },
      step.status === "processing" ? `${step.progress} %` : step.status,
    ),
  );
}
