import { describe, expect, it } from "vitest";
import { EventParser, readEvents } from "./sse";

describe("EventParser", () => {
  it("dispatches an event at the blank line, with its name, id and data", () => {
    const parser = new EventParser();

    expect(parser.feed('id: 7\nevent: status\ndata: {"a":1}\n')).toEqual([]);
    expect(parser.feed("\n")).toEqual([{ event: "status", data: '{"a":1}', id: "7" }]);
  });

  it("treats a CRLF split across two chunks as one line ending, not two", () => {
    const parser = new EventParser();

    const events = [...parser.feed("data: one\r"), ...parser.feed("\ndata: two\r\n\r\n")];

    expect(events).toEqual([{ event: "message", data: "one\ntwo", id: null }]);
  });

  it("skips comments (keep-alives) and events without data", () => {
    const parser = new EventParser();

    expect(parser.feed(": ping\n\nevent: status\n\ndata:x\n\n")).toEqual([
      { event: "message", data: "x", id: null },
    ]);
  });

  it("keeps the last id for later events, as the standard says", () => {
    const parser = new EventParser();

    const events = parser.feed("id: 1\ndata: a\n\ndata: b\n\n");

    expect(events.map((e) => e.id)).toEqual(["1", "1"]);
  });
});

describe("readEvents", () => {
  it("decodes UTF-8 split inside a character across chunks", async () => {
    const bytes = new TextEncoder().encode("data: café\n\n");
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 9)); // "data: caf" + the first byte of "é"
        controller.enqueue(bytes.slice(9));
        controller.close();
      },
    });

    const events = [];
    for await (const event of readEvents(body)) events.push(event.data);

    expect(events).toEqual(["café"]);
  });
});
