// Server-Sent Events read from a fetch() body rather than EventSource, because EventSource
// cannot send an `Authorization` header: with an API key configured it could not follow a job.

export interface ServerEvent {
  event: string;
  data: string;
  id: string | null;
}

/** The events of a `text/event-stream` body, as the HTML standard parses them. */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerEvent> {
  const parser = new EventParser();
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield* parser.feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    // Stops the download when the caller leaves early (e.g. after the final state).
    await reader.cancel().catch(() => undefined);
  }
}

/** Incremental parser: feed it text chunks, get complete events back. */
export class EventParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];
  private id: string | null = null;

  feed(chunk: string): ServerEvent[] {
    let text = this.buffer + chunk;
    // A trailing "\r" may be the first half of "\r\n": keep it until the next chunk says.
    const held = text.endsWith("\r") ? "\r" : "";
    if (held) text = text.slice(0, -1);
    const lines = text.split(/\r\n|\r|\n/);
    this.buffer = (lines.pop() ?? "") + held;
    const events: ServerEvent[] = [];
    for (const line of lines) {
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): ServerEvent | null {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    else if (field === "id" && !value.includes("\0")) this.id = value;
    return null;
  }

  private dispatch(): ServerEvent | null {
    const event = { event: this.event || "message", data: this.data.join("\n"), id: this.id };
    const hasData = this.data.length > 0;
    this.event = "";
    this.data = [];
    return hasData ? event : null;
  }
}
