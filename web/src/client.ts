// The typed client of the apiscope HTTP API: submit an analysis, read a job, follow it live.
// No DOM here, so the same module runs under Node in the unit tests.

import { readEvents } from "./sse";
import type { Accepted, AnalysisRequest, JobList, JobStatus } from "./types";
import { isFinal } from "./types";

export interface ClientOptions {
  /** Where the API lives; "" (the default) is the page's own origin. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <key>` when the server has API keys configured. */
  apiKey?: string | null;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export interface SubmitOptions extends ClientOptions {
  /** Makes a repeated submission (a retry after a lost response) return the same job. */
  idempotencyKey?: string;
}

export interface WatchOptions extends ClientOptions {
  /** Polling period when the event stream is unavailable; the contract's Retry-After is 2 s. */
  pollIntervalMs?: number;
  /** Told whether updates arrive live (SSE) or by polling, e.g. to show it to the user. */
  onMode?: (mode: "live" | "polling") => void;
  /** Told about a failed poll that will be retried (server restarting, network gone). */
  onRetry?: (error: ApiError) => void;
}

const PERMANENT = new Set([400, 401, 403, 404, 405, 409, 410, 413, 422]);

/** An HTTP error of the API, with the contract's `detail` and a one-line message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** Whether asking again cannot help (not found, expired, unauthorised, bad input). */
  get permanent(): boolean {
    return PERMANENT.has(this.status);
  }
}

/** `POST /analyze-worst-apis-with-github-async/`: starts an analysis, 202 with its job id. */
export function analyzeWorstApisWithGitHubAsync(
  request: AnalysisRequest,
  options: SubmitOptions = {},
): Promise<Accepted> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
  const init = { method: "POST", headers, body: JSON.stringify(request) };
  return json<Accepted>("/analyze-worst-apis-with-github-async/", init, options);
}

/** `POST /demo`: analyses the example application shipped with apiscope. */
export function submitDemo(options: ClientOptions = {}): Promise<Accepted> {
  return json<Accepted>("/demo", { method: "POST" }, options);
}

/** `GET /status/{job_id}`. */
export async function getJobStatus(jobId: string, options: ClientOptions = {}): Promise<JobStatus> {
  const { status } = await readStatus(jobId, null, options);
  return status as JobStatus;
}

/** `POST /jobs/{job_id}/cancel`: the job as cancelled; a 409 ApiError if it already finished. */
export function cancelJob(jobId: string, options: ClientOptions = {}): Promise<JobStatus> {
  return json<JobStatus>(`/jobs/${encodeURIComponent(jobId)}/cancel`, { method: "POST" }, options);
}

/** `GET /jobs`: the caller's jobs, newest first. */
export function listJobs(
  page: { limit?: number; cursor?: string | null } = {},
  options: ClientOptions = {},
): Promise<JobList> {
  const query = new URLSearchParams({ limit: String(page.limit ?? 20) });
  if (page.cursor) query.set("cursor", page.cursor);
  return json<JobList>(`/jobs?${query}`, {}, options);
}

/**
 * Follow a job until it ends: every state it passes through goes to `onStatus`, and the promise
 * resolves with the final one. Live through Server-Sent Events; when the stream cannot be opened
 * or breaks off, polls `GET /status/{job_id}` (with its ETag) instead. Rejects on a permanent
 * error (unknown or expired job, missing key) or when `options.signal` aborts.
 */
export async function watchJob(
  jobId: string,
  onStatus: (status: JobStatus) => void,
  options: WatchOptions = {},
): Promise<JobStatus> {
  const final = await followEvents(jobId, onStatus, options);
  if (final) return final;
  options.onMode?.("polling");
  return pollJob(jobId, onStatus, options);
}

async function followEvents(
  jobId: string,
  onStatus: (status: JobStatus) => void,
  options: WatchOptions,
): Promise<JobStatus | null> {
  try {
    const path = `/jobs/${encodeURIComponent(jobId)}/events`;
    const response = await send(path, { headers: { Accept: "text/event-stream" } }, options);
    if (!response.body) return null;
    options.onMode?.("live");
    for await (const event of readEvents(response.body)) {
      if (event.event !== "status") continue;
      const status = JSON.parse(event.data) as JobStatus;
      onStatus(status);
      if (isFinal(status)) return status;
    }
  } catch (error) {
    if (options.signal?.aborted || (error instanceof ApiError && error.permanent)) throw error;
  }
  return null; // no stream, or it ended early: the caller polls
}

async function pollJob(
  jobId: string,
  onStatus: (status: JobStatus) => void,
  options: WatchOptions,
): Promise<JobStatus> {
  let etag: string | null = null;
  for (;;) {
    try {
      const fresh = await readStatus(jobId, etag, options);
      if (fresh.status) {
        etag = fresh.etag;
        onStatus(fresh.status);
        if (isFinal(fresh.status)) return fresh.status;
      }
    } catch (error) {
      if (!(error instanceof ApiError) || error.permanent) throw error;
      options.onRetry?.(error);
    }
    await sleep(options.pollIntervalMs ?? 2000, options.signal);
  }
}

/** The job's status, or `status: null` when it is unchanged since `etag` (304). */
async function readStatus(
  jobId: string,
  etag: string | null,
  options: ClientOptions,
): Promise<{ status: JobStatus | null; etag: string | null }> {
  const headers: Record<string, string> = etag ? { "If-None-Match": etag } : {};
  const response = await send(`/status/${encodeURIComponent(jobId)}`, { headers }, options);
  if (response.status === 304) return { status: null, etag };
  return { status: (await response.json()) as JobStatus, etag: response.headers.get("ETag") };
}

async function json<T>(path: string, init: RequestInit, options: ClientOptions): Promise<T> {
  const response = await send(path, init, options);
  return (await response.json()) as T;
}

/** One request: auth header added, network failures and HTTP errors turned into ApiError. */
async function send(path: string, init: RequestInit, options: ClientOptions): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("Accept")) headers.set("Accept", "application/json");
  if (options.apiKey) headers.set("Authorization", `Bearer ${options.apiKey}`);
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    const signal = options.signal ?? null;
    response = await doFetch(`${options.baseUrl ?? ""}${path}`, { ...init, headers, signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, null, `Cannot reach the apiscope server (${String(error)})`);
  }
  if (response.ok || response.status === 304) return response;
  throw await httpError(response);
}

async function httpError(response: Response): Promise<ApiError> {
  let detail: unknown = null;
  try {
    detail = ((await response.json()) as { detail?: unknown }).detail ?? null;
  } catch {
    // not JSON: a proxy's error page; the status line says enough
  }
  const text = detail === null ? `${response.status} ${response.statusText}` : describe(detail);
  return new ApiError(response.status, detail, text.trim() || `HTTP ${response.status}`);
}

/** The contract's `detail` as one line: a message, or each field at fault with its message. */
export function describe(detail: unknown): string {
  if (typeof detail === "string") return detail;
  if (!Array.isArray(detail)) return JSON.stringify(detail);
  return detail.map(describeItem).join("; ");
}

function describeItem(item: unknown): string {
  if (typeof item !== "object" || item === null) return String(item);
  const { loc, msg } = item as { loc?: unknown; msg?: unknown };
  const where = Array.isArray(loc) ? loc.filter((part) => part !== "body").join(".") : "";
  const message =
    typeof msg === "string" ? msg.replace(/^Value error, /, "") : JSON.stringify(item);
  return where ? `${where}: ${message}` : message;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    function stop(): void {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", stop, { once: true });
  });
}
