import { describe, expect, it } from "vitest";
import { InputError, LOG_ADVICE, parseWorstApis } from "./worstApis";

function failure(text: string): string {
  try {
    parseWorstApis(text);
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("JSON input", () => {
  it("passes a JSON array through as submitted, for the server to normalise", () => {
    const apis = [
      { endpoint: "GET /a", p95_ms: 900 },
      { method: "post", url: "https://x/b?q=1" },
    ];

    expect(parseWorstApis(`\uFEFF ${JSON.stringify(apis)}\n`)).toEqual({ apis, format: "JSON" });
  });

  it('accepts the {"worst_apis": [...]} wrapper too', () => {
    expect(parseWorstApis('{"worst_apis": [{"path": "/a"}]}').apis).toEqual([{ path: "/a" }]);
  });

  it("names the entry that has no endpoint", () => {
    expect(failure('[{"path": "/a"}, {"p95_ms": 3}]')).toBe(
      'Entry 2: no endpoint: give "method" and "path", a "url", or "endpoint": "GET /path".',
    );
  });

  it("says when the text is not valid JSON, and when it is not a list", () => {
    expect(failure('[{"path": "/a"')).toMatch(/^Not valid JSON: /);
    expect(failure('{"path": "/a"}')).toBe("Expected a JSON array of worst-API objects.");
    expect(failure("[]")).toBe("The list of worst APIs is empty.");
  });

  it("recognises JSON Lines (one request per line) as a log", () => {
    expect(failure('{"path": "/a", "status": 200}\n{"path": "/b", "status": 500}')).toBe(
      LOG_ADVICE,
    );
  });
});

describe("CSV input", () => {
  it("reads a metrics export into JSON objects, metrics as numbers, other cells as text", () => {
    const csv =
      'method,path,p95_ms,errorRate,team\nGET,/api/orders,"2,950",0.01,"shop, core"\n\nPOST,/api/pay,1290,,\n';

    expect(() => parseWorstApis(csv)).toThrow('Line 2: p95_ms must be a number, not "2,950".');
    const fixed = csv.replace('"2,950"', "2950");
    expect(parseWorstApis(fixed)).toEqual({
      format: "CSV",
      apis: [
        { method: "GET", path: "/api/orders", p95_ms: 2950, errorRate: 0.01, team: "shop, core" },
        { method: "POST", path: "/api/pay", p95_ms: 1290 },
      ],
    });
  });

  it("picks the delimiter the header uses: semicolons and tabs as well as commas", () => {
    expect(parseWorstApis("endpoint;p99_ms\nGET /a;12.5").apis).toEqual([
      { endpoint: "GET /a", p99_ms: 12.5 },
    ]);
    expect(parseWorstApis("url\trequests\n/a\t3").apis).toEqual([{ url: "/a", requests: 3 }]);
  });

  it("names the line of a row without an endpoint, counting quoted line breaks", () => {
    expect(failure('path,p95_ms,note\n/a,1,"two\nlines"\n,5,x')).toBe(
      'Line 4: no endpoint: give "method" and "path", a "url", or "endpoint": "GET /path".',
    );
  });

  it("says what it expects when the text is neither JSON, a metrics CSV nor a log", () => {
    expect(failure("name,owner\norders,shop")).toMatch(
      /^Expected a JSON array, or a CSV with a header row/,
    );
  });

  it("sends a table of single requests (no metric columns) to `apiscope worst`", () => {
    expect(failure("timestamp,method,path,status\n1,GET,/a,200")).toBe(LOG_ADVICE);
  });
});

describe("access logs", () => {
  it("says plainly that an nginx log must be ranked with `apiscope worst` first", () => {
    const log =
      '10.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET /a HTTP/1.1" 200 12 "-" "curl" 0.120';

    expect(failure(log)).toBe(LOG_ADVICE);
    expect(LOG_ADVICE).toContain("apiscope worst LOGFILE --json");
  });

  it("asks for input when there is none", () => {
    expect(failure("  \n")).toBe("Paste or upload your worst APIs first.");
  });
});
