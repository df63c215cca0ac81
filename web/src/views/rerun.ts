// "Run again": resubmits what this browser submitted for a job (the API does not echo a job's
// parameters back, so jobs started elsewhere cannot be rerun from here).

import { analyzeWorstApisWithGitHubAsync, submitDemo } from "../client";
import type { Context } from "../context";
import { errorText, jobPath } from "../context";
import { h } from "../dom";
import { findSubmission, rememberSubmission } from "../storage";
import type { Submission } from "../storage";
import type { Accepted } from "../types";

export function runAgainAction(
  ctx: Context,
  jobId: string,
  onError: (message: string) => void,
): HTMLButtonElement | null {
  const submission = findSubmission(jobId);
  if (!submission) return null;
  const button = h("button", { type: "button", class: "run-again" }, "Run again");
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const accepted = await resubmit(ctx, submission);
      rememberSubmission(accepted.job_id, submission);
      ctx.navigate(jobPath(accepted.job_id));
    } catch (error) {
      ctx.reportError(error);
      onError(`Could not start it again: ${errorText(error)}`);
      button.disabled = false;
    }
  });
  return button;
}

function resubmit(ctx: Context, submission: Submission): Promise<Accepted> {
  if (submission.type === "demo") return submitDemo(ctx.client());
  return analyzeWorstApisWithGitHubAsync(submission.request, ctx.client());
}
