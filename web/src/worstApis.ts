// Reading the worst-APIs input of the form: a JSON array as the API takes it, or a CSV metrics
// export turned into that array here. Access logs need ranking first, which `apiscope worst`
// does on the command line; the browser says so instead of guessing.

import { parseCsv, sniffDelimiter } from "./csv";
import type { WorstApi } from "./types";

export interface WorstApisInput {
  apis: WorstApi[];
  format: "JSON" | "CSV";
}

/** Input the form cannot send; the message says what to do instead. */
export class InputError extends Error {
  override name = "InputError";
}

export const LOG_ADVICE =
  "This looks like an access log (one request per line). The browser does not rank logs: run " +
  "`apiscope worst LOGFILE --json > worst.json` and upload or paste worst.json here.";

const NO_ENDPOINT = 'no endpoint: give "method" and "path", a "url", or "endpoint": "GET /path"';
const METRICS = ["p50_ms", "p95_ms", "p99_ms", "avg_ms", "error_rate", "requests"];
const CAMEL = ["p50Ms", "p95Ms", "p99Ms", "avgMs", "errorRate"];
const METRIC_COLUMNS = new Set([...METRICS, ...CAMEL]);
const ENDPOINT_COLUMNS = new Set(["method", "path", "url", "endpoint"]);
const REQUEST_COLUMNS = new Set(["request", "uri", "request_uri", "route", "status"]);
/** A request line in quotes (nginx, Apache, ALB) or a line starting with a client IP. */
const LOG_LINE = /"[A-Z]+ \S+ HTTP\/[\d.]+"|^\d{1,3}(\.\d{1,3}){3}\s/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The worst APIs in `text`, or an InputError naming the entry or line at fault. */
export function parseWorstApis(text: string): WorstApisInput {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (!trimmed) throw new InputError("Paste or upload your worst APIs first.");
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) return fromJson(trimmed);
  return fromCsv(trimmed);
}

function fromJson(text: string): WorstApisInput {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // One JSON object per line is a structured access log (API Gateway, JSON Lines).
    if (text.startsWith("{") && text.includes("\n")) throw new InputError(LOG_ADVICE);
    throw new InputError(`Not valid JSON: ${(error as Error).message}`);
  }
  const items = isRecord(data) && "worst_apis" in data ? data["worst_apis"] : data;
  if (!Array.isArray(items)) throw new InputError("Expected a JSON array of worst-API objects.");
  items.forEach((item, index) => checkEntry(item, `Entry ${index + 1}`));
  return nonEmpty({ apis: items as WorstApi[], format: "JSON" });
}

function fromCsv(text: string): WorstApisInput {
  const header = text.split(/\r?\n/, 1)[0] ?? "";
  const [names, ...rows] = parseCsv(text, sniffDelimiter(header));
  const columns = (names?.cells ?? []).map((name) => name.trim());
  if (
    !columns.some((c) => METRIC_COLUMNS.has(c)) ||
    !columns.some((c) => ENDPOINT_COLUMNS.has(c))
  ) {
    throw new InputError(
      columns.some((c) => REQUEST_COLUMNS.has(c)) || LOG_LINE.test(header)
        ? LOG_ADVICE
        : "Expected a JSON array, or a CSV with a header row naming the endpoint (method and " +
            "path, url, or endpoint) and metric columns such as p95_ms.",
    );
  }
  const apis = rows.map((row) => csvEntry(columns, row.cells, `Line ${row.line}`));
  return nonEmpty({ apis, format: "CSV" });
}

function csvEntry(columns: string[], cells: string[], where: string): WorstApi {
  const entry: WorstApi = {};
  columns.forEach((column, index) => {
    const value = (cells[index] ?? "").trim();
    if (!column || !value) return;
    if (METRIC_COLUMNS.has(column) && !NUMBER.test(value)) {
      throw new InputError(`${where}: ${column} must be a number, not "${value}".`);
    }
    entry[column] = METRIC_COLUMNS.has(column) ? Number(value) : value;
  });
  checkEntry(entry, where);
  return entry;
}

function checkEntry(item: unknown, where: string): void {
  if (!isRecord(item))
    throw new InputError(`${where}: expected an object, not ${JSON.stringify(item)}.`);
  const has = (key: string): boolean => {
    const value = item[key];
    return typeof value === "string" && value.trim() !== "";
  };
  if (!(has("path") || has("url") || has("endpoint")))
    throw new InputError(`${where}: ${NO_ENDPOINT}.`);
}

function nonEmpty(input: WorstApisInput): WorstApisInput {
  if (input.apis.length === 0) throw new InputError("The list of worst APIs is empty.");
  return input;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
