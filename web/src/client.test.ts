import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ApiError,
  analyzeWorstApisWithGitHubAsync,
  cancelJob,
  getJobStatus,
  listJobs,
  submitDemo,
  watchJob,
} from "./client";
import { LoopbackApi, jobStatus, sendJson, sseFrame } from "./testing/loopbackApi";
import type { JobStatus } from "./types";

let api: LoopbackApi;

beforeEach(async () => {
  api = await LoopbackApi.start();
});

afterEach(async () => {
  await api.stop();
});

const accepted = { status: "accepted", job_id: "job-1", message: "Analysis started." };

describe("submitting", () => {
  it("posts the analysis request as JSON to the async endpoint, with key and idempotency key", async () => {
    api.on("POST /analyze-worst-apis-with-github-async/", (_, res) => sendJson(res, 202, accepted));
    const request = {
      repo: "acme/shop",
      branch: "main",
      worst_apis: [{ endpoint: "GET /a", p95_ms: 900 }],
    };

    const answer = await analyzeWorstApisWithGitHubAsync(request, {
      baseUrl: api.baseUrl,
      apiKey: "k-123",
      idempotencyKey: "idem-1",
    });

    expect(answer).toEqual(accepted);
    const [sent] = api.requests;
    expect(JSON.parse(sent?.body ?? "")).toEqual(request);
    expect(sent?.headers["content-type"]).toBe("application/json");
    expect(sent?.headers["authorization"]).toBe("Bearer k-123");
    expect(sent?.headers["idempotency-key"]).toBe("idem-1");
  });

  it("starts the demo with an empty POST /demo and sends no Authorization without a key", async () => {
    api.on("POST /demo", (_, res) => sendJson(res, 202, accepted));

    expect(await submitDemo({ baseUrl: api.baseUrl })).toEqual(accepted);
    expect(api.requests[0]?.headers["authorization"]).toBeUndefined();
  });

  it("turns a 422's field errors into one readable line naming each field", async () => {
    api.on("POST /analyze-worst-apis-with-github-async/", (_, res) =>
      sendJson(res, 422, {
        detail: [
          {
            loc: ["body", "repo"],
            msg: "Value error, repo must name a repository",
            type: "value_error",
          },
          { loc: ["body", "worst_apis", 0, "path"], msg: "Field required", type: "missing" },
        ],
      }),
    );

    const error = await analyzeWorstApisWithGitHubAsync(
      { repo: " ", worst_apis: [{}] },
      { baseUrl: api.baseUrl },
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(422);
    expect((error as ApiError).message).toBe(
      "repo: repo must name a repository; worst_apis.0.path: Field required",
    );
    expect((error as ApiError).permanent).toBe(true);
  });

  it("reports an unreachable server as an ApiError with status 0, not a TypeError", async () => {
    const baseUrl = api.baseUrl;
    await api.stop();

    const error = await submitDemo({ baseUrl }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(0);
    expect((error as ApiError).message).toMatch(/^Cannot reach the apiscope server/);
    expect((error as ApiError).permanent).toBe(false);
  });

  it("uses the status line when an error body is not JSON (a proxy's page)", async () => {
    api.on("POST /demo", (_, res) => {
      res.writeHead(502, "Bad Gateway", { "Content-Type": "text/html" });
      res.end("<h1>oops</h1>");
    });

    const error = (await submitDemo({ baseUrl: api.baseUrl }).catch((e: unknown) => e)) as ApiError;

    expect(error.message).toBe("502 Bad Gateway");
    expect(error.permanent).toBe(false);
  });
});

describe("reading jobs", () => {
  it("gets a job's status from /status/{id}, escaping the id", async () => {
    const status = jobStatus({ job_id: "a/b", progress: 40 });
    api.on("GET /status/a%2Fb", (_, res) => sendJson(res, 200, status));

    expect(await getJobStatus("a/b", { baseUrl: api.baseUrl })).toEqual(status);
  });

  it("rejects an unknown job with the contract's 404 detail", async () => {
    api.on("GET /status/nope", (_, res) => sendJson(res, 404, { detail: "Job not found" }));

    const error = (await getJobStatus("nope", { baseUrl: api.baseUrl }).catch(
      (e: unknown) => e,
    )) as ApiError;

    expect([error.status, error.message]).toEqual([404, "Job not found"]);
  });

  it("lists jobs with the limit and cursor as query parameters", async () => {
    const page = { jobs: [jobStatus()], next_cursor: "c2" };
    api.on("GET /jobs", (_, res) => sendJson(res, 200, page));

    expect(await listJobs({ limit: 5, cursor: "c1" }, { baseUrl: api.baseUrl })).toEqual(page);
    expect(api.requests[0]?.url).toBe("/jobs?limit=5&cursor=c1");
  });

  it("cancels with POST /jobs/{id}/cancel, and a finished job is a 409 ApiError", async () => {
    api.on(
      "POST /jobs/job-1/cancel",
      (_, res) => sendJson(res, 200, jobStatus({ status: "cancelled" })),
      (_, res) => sendJson(res, 409, { detail: "Job cannot be changed: already cancelled" }),
    );

    expect((await cancelJob("job-1", { baseUrl: api.baseUrl })).status).toBe("cancelled");
    const error = (await cancelJob("job-1", { baseUrl: api.baseUrl }).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(error.status).toBe(409);
  });
});

describe("watchJob", () => {
  const steps = [
    jobStatus({ progress: 0, message: "Queued", status: "pending" }),
    jobStatus({ progress: 45, message: "Discovering APIs..." }),
    jobStatus({ progress: 100, message: "Done", status: "completed", result: { ok: true } }),
  ];

  it("follows the event stream, even with frames split across packets, until the final state", async () => {
    api.on("GET /jobs/job-1/events", async (_, res) => {
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      const stream = steps.map((s, i) => sseFrame(s, i + 1)).join(": keep-alive\r\n\r\n");
      for (let at = 0; at < stream.length; at += 37) {
        res.write(stream.slice(at, at + 37));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      res.end();
    });
    const seen: JobStatus[] = [];
    const modes: string[] = [];

    const final = await watchJob("job-1", (s) => seen.push(s), {
      baseUrl: api.baseUrl,
      apiKey: "k",
      onMode: (m) => modes.push(m),
    });

    expect(seen).toEqual(steps);
    expect(final).toEqual(steps[2]);
    expect(modes).toEqual(["live"]);
    expect(api.requests.map((r) => r.url)).toEqual(["/jobs/job-1/events"]);
    expect(api.requests[0]?.headers["accept"]).toBe("text/event-stream");
    expect(api.requests[0]?.headers["authorization"]).toBe("Bearer k");
  });

  it("polls /status every interval, with If-None-Match, when the stream is unavailable", async () => {
    api.on("GET /jobs/job-1/events", (_, res) => sendJson(res, 503, { detail: "busy" }));
    api.on(
      "GET /status/job-1",
      (_, res) => sendJson(res, 200, steps[1], { ETag: '"job-1.2"' }),
      (_, res) => void res.writeHead(304, { ETag: '"job-1.2"' }).end(),
      (_, res) => sendJson(res, 200, steps[2], { ETag: '"job-1.3"' }),
    );
    const seen: JobStatus[] = [];
    const modes: string[] = [];

    const final = await watchJob("job-1", (s) => seen.push(s), {
      baseUrl: api.baseUrl,
      pollIntervalMs: 5,
      onMode: (m) => modes.push(m),
    });

    expect(final.status).toBe("completed");
    expect(seen).toEqual([steps[1], steps[2]]); // the 304 reported nothing new
    expect(modes).toEqual(["polling"]);
    const polls = api.requests.filter((r) => r.url === "/status/job-1");
    expect(polls.map((r) => r.headers["if-none-match"])).toEqual([
      undefined,
      '"job-1.2"',
      '"job-1.2"',
    ]);
  });

  it("switches to polling when the stream breaks off before the job ends", async () => {
    api.on("GET /jobs/job-1/events", (_, res) => {
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      res.write(sseFrame(steps[1] as JobStatus, 2));
      setTimeout(() => res.destroy(), 20);
    });
    api.on("GET /status/job-1", (_, res) => sendJson(res, 200, steps[2]));
    const seen: JobStatus[] = [];
    const modes: string[] = [];

    const final = await watchJob("job-1", (s) => seen.push(s), {
      baseUrl: api.baseUrl,
      pollIntervalMs: 5,
      onMode: (m) => modes.push(m),
    });

    expect(seen).toEqual([steps[1], steps[2]]);
    expect(final).toEqual(steps[2]);
    expect(modes).toEqual(["live", "polling"]);
  });

  it("keeps polling through a transient error, telling onRetry, but stops on an expired job", async () => {
    api.on("GET /jobs/job-1/events", (_, res) => void res.destroy());
    api.on(
      "GET /status/job-1",
      (_, res) => sendJson(res, 503, { detail: "The job store is unavailable; try again shortly" }),
      (_, res) => sendJson(res, 410, { detail: "Job expired" }),
    );
    const retries: string[] = [];

    const error = await watchJob("job-1", () => undefined, {
      baseUrl: api.baseUrl,
      pollIntervalMs: 5,
      onRetry: (e) => retries.push(e.message),
    }).catch((e: unknown) => e);

    expect(retries).toEqual(["The job store is unavailable; try again shortly"]);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(410);
  });

  it("rejects at once, without polling, when the job does not exist", async () => {
    api.on("GET /jobs/ghost/events", (_, res) => sendJson(res, 404, { detail: "Job not found" }));

    const error = (await watchJob("ghost", () => undefined, { baseUrl: api.baseUrl }).catch(
      (e: unknown) => e,
    )) as ApiError;

    expect(error.status).toBe(404);
    expect(api.requests).toHaveLength(1);
  });

  it("stops and hangs up on the stream when its signal aborts", async () => {
    api.on("GET /jobs/job-1/events", (_, res) => {
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      res.write(sseFrame(steps[1] as JobStatus, 2));
    });
    const controller = new AbortController();
    const watching = watchJob("job-1", () => controller.abort(), {
      baseUrl: api.baseUrl,
      signal: controller.signal,
    });

    const error = await watching.catch((e: unknown) => e);

    expect((error as Error).name).toBe("AbortError");
    await expect.poll(() => api.hangups).toEqual(["/jobs/job-1/events"]);
  });
});
