import { describe, expect, it } from "vitest";
import { ElapsedClock, codeSpans, formatAge, formatDuration, formatMs, formatRate } from "./format";

describe("ElapsedClock", () => {
  const created = "2026-01-01T00:00:00Z";

  it("counts on from the server's own elapsed time while the job runs, whatever the local clock says", () => {
    const clock = new ElapsedClock();
    const localNow = Date.parse("1999-01-01T00:00:00Z"); // a browser clock years off

    clock.update(created, "2026-01-01T00:00:10Z", true, localNow);

    expect(clock.elapsed(localNow)).toBe(10_000);
    expect(clock.elapsed(localNow + 5_000)).toBe(15_000);
  });

  it("stops at the final update once the job has ended", () => {
    const clock = new ElapsedClock();

    clock.update(created, "2026-01-01T00:01:05Z", false, 0);

    expect(clock.elapsed(3_600_000)).toBe(65_000);
  });
});

describe("formatting", () => {
  it("writes durations for people", () => {
    expect([formatDuration(999), formatDuration(65_000), formatDuration(3_720_000)]).toEqual([
      "0 s",
      "1 min 05 s",
      "1 h 02 min",
    ]);
  });

  it("writes metrics with units, and a dash for a metric not given", () => {
    expect([formatMs(2950), formatMs(undefined), formatRate(0.062)]).toEqual([
      "2,950 ms",
      "—",
      "6.2 %",
    ]);
  });

  it("writes ages relative to now", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    expect(formatAge("2026-01-01T11:55:00Z", now)).toBe("5 min ago");
    expect(formatAge("2025-12-01T11:55:00Z", now)).toBe("2025-12-01");
  });
});

describe("codeSpans", () => {
  it("marks single- and double-backtick spans as code and leaves a lone backtick as text", () => {
    expect(codeSpans("called by ``list_orders``, blocks in `session.query()`; 1` left")).toEqual([
      { text: "called by ", code: false },
      { text: "list_orders", code: true },
      { text: ", blocks in ", code: false },
      { text: "session.query()", code: true },
      { text: "; 1` left", code: false },
    ]);
  });
});
