// The HTTP contract of apiscope (DESIGN.md), as the UI reads it.

export type JobState = "pending" | "processing" | "completed" | "failed" | "cancelled";
export type StepState = "pending" | "processing" | "completed" | "failed";

export const FINAL_STATES: ReadonlySet<JobState> = new Set(["completed", "failed", "cancelled"]);

export interface StepStatus {
  name: string;
  status: StepState;
  progress: number;
}

/** `GET /status/{job_id}`: `result` is set only when completed, `error` only when failed. */
export interface JobStatus {
  job_id: string;
  kind: string;
  status: JobState;
  progress: number;
  message: string;
  result: unknown;
  error: string | null;
  created_at: string;
  updated_at: string;
  attempts: number;
  max_attempts: number;
  steps: StepStatus[];
}

/** The 202 body of every submission. */
export interface Accepted {
  status: "accepted";
  job_id: string;
  message: string;
}

export interface JobList {
  jobs: JobStatus[];
  next_cursor: string | null;
}

/** A worst API as submitted: the endpoint as method + path, url, or endpoint, plus metrics. */
export type WorstApi = Record<string, unknown>;

export interface AnalysisRequest {
  worst_apis: WorstApi[];
  repo: string;
  branch?: string;
}

export type Color = "red" | "orange" | "yellow" | "green" | "grey";

export interface RouteRef {
  method: string;
  path: string;
  file: string;
  line: number;
  handler?: string;
}

export interface DiscoveredApi extends RouteRef {
  framework: string;
}

export interface MatchedApi {
  worst_api: WorstApi & { method: string; path: string };
  route: RouteRef | null;
  color: Color;
  reason: string;
}

export interface Evidence {
  file: string;
  line_start: number;
  line_end: number;
  snippet: string;
}

export interface Finding {
  api: string;
  rule: string;
  severity: "high" | "medium" | "low";
  title: string;
  explanation: string;
  evidence: Evidence[];
  recommendation: string;
}

export interface AiAnalysis {
  provider: string;
  findings: Finding[];
  summary: string;
  summaries?: Record<string, string>;
  warnings: string[];
}

export interface Repository {
  repo: string;
  branch: string | null;
  commit: string | null;
}

/** `status.result` of a completed analysis. */
export interface AnalysisResult {
  repository: Repository;
  discovered_apis: DiscoveredApi[];
  matched_apis: MatchedApi[];
  ai_analysis: AiAnalysis;
  stats: Record<string, unknown>;
}

export function isFinal(status: JobStatus): boolean {
  return FINAL_STATES.has(status.status);
}

/** Whether a job's result has the analysis shape (other job kinds return anything). */
export function isAnalysisResult(result: unknown): result is AnalysisResult {
  if (typeof result !== "object" || result === null) return false;
  const r = result as Record<string, unknown>;
  return (
    Array.isArray(r["matched_apis"]) &&
    typeof r["repository"] === "object" &&
    typeof r["ai_analysis"] === "object"
  );
}
