// A stand-in for the apiscope server on 127.0.0.1, for the client's unit tests: real sockets,
// real HTTP and real SSE framing, with each test scripting the answers it needs. The browser
// tests in tests/web/ run the same client against the real server.

import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { JobStatus } from "../types";

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

type Handler = (request: Recorded, response: ServerResponse) => void | Promise<void>;

export class LoopbackApi {
  readonly requests: Recorded[] = [];
  private readonly handlers = new Map<string, Handler[]>();
  private readonly server: Server;
  /** URLs of responses the client hung up on before they ended. */
  readonly hangups: string[] = [];

  private constructor() {
    this.server = createServer((req, res) => void this.dispatch(req, res));
  }

  static async start(): Promise<LoopbackApi> {
    const api = new LoopbackApi();
    await new Promise<void>((resolve) => api.server.listen(0, "127.0.0.1", resolve));
    return api;
  }

  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Answers `METHOD path` with the handlers in turn; the last one answers all later calls. */
  on(route: string, ...handlers: Handler[]): this {
    this.handlers.set(route, handlers);
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = "";
    for await (const chunk of req) body += String(chunk);
    const recorded = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
    this.requests.push(recorded);
    res.on("close", () => {
      if (!res.writableEnded) this.hangups.push(recorded.url);
    });
    const route = `${recorded.method} ${recorded.url.split("?")[0]}`;
    const queue = this.handlers.get(route);
    const handler = queue && (queue.length > 1 ? queue.shift() : queue[0]);
    if (handler) await handler(recorded, res);
    else sendJson(res, 404, { detail: "Not Found" });
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** One SSE frame as the server writes it. */
export function sseFrame(status: JobStatus, id: number): string {
  return `id: ${id}\r\nevent: status\r\ndata: ${JSON.stringify(status)}\r\n\r\n`;
}

export function jobStatus(overrides: Partial<JobStatus> = {}): JobStatus {
  return {
    job_id: "job-1",
    kind: "analyze-worst-apis-with-github",
    status: "processing",
    progress: 0,
    message: "Queued",
    result: null,
    error: null,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:01Z",
    attempts: 1,
    max_attempts: 3,
    steps: [],
    ...overrides,
  };
}
