// Numbers and times as the UI shows them. English throughout, like the rest of the UI.

const count = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** `1,240 ms`, or `—` when the metric was not given. */
export function formatMs(value: unknown): string {
  return typeof value === "number" ? `${count.format(value)} ms` : "—";
}

/** An error rate (0–1) as a percentage: `6.2 %`. */
export function formatRate(value: unknown): string {
  return typeof value === "number" ? `${oneDecimal.format(value * 100)} %` : "—";
}

export function formatCount(value: unknown): string {
  return typeof value === "number" ? count.format(value) : "—";
}

/** A duration for people: `4 s`, `2 min 05 s`, `1 h 02 min`. */
export function formatDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** `just now`, `5 min ago`, `3 h ago`, then the date. */
export function formatAge(iso: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const minutes = Math.floor((now - then) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ago`;
  return new Date(then).toISOString().slice(0, 10);
}

/**
 * Tracks a job's elapsed time without trusting the browser's clock to agree with the server's:
 * the server's own `updated_at − created_at`, plus the local time passed since that update arrived.
 */
export class ElapsedClock {
  private serverElapsed = 0;
  private receivedAt = 0;
  private running = false;

  update(createdAt: string, updatedAt: string, running: boolean, now: number = Date.now()): void {
    this.serverElapsed = Math.max(0, Date.parse(updatedAt) - Date.parse(createdAt)) || 0;
    this.receivedAt = now;
    this.running = running;
  }

  /** Milliseconds since the job was created; frozen once it has finished. */
  elapsed(now: number = Date.now()): number {
    return this.serverElapsed + (this.running ? Math.max(0, now - this.receivedAt) : 0);
  }
}

const CODE_SPAN = /(`+)([^`]+?)\1/g;

/** Splits analyser text at Markdown code spans (`x` or ``x``), which the report shows as code. */
export function codeSpans(text: string): { text: string; code: boolean }[] {
  const spans: { text: string; code: boolean }[] = [];
  let last = 0;
  for (const match of text.matchAll(CODE_SPAN)) {
    spans.push({ text: text.slice(last, match.index), code: false });
    spans.push({ text: match[2] ?? "", code: true });
    last = match.index + match[0].length;
  }
  spans.push({ text: text.slice(last), code: false });
  return spans.filter((span) => span.text !== "");
}
