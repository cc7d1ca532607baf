import { test } from "node:test";
import assert from "node:assert/strict";
import { graphEvents } from "./graph-event-stream.ts";

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

test("graph events split across chunks arrive whole; comments and other events are skipped", async () => {
  const graph = (at: number) => JSON.stringify({ at, windowMs: 60000, telemetry: "live", nodes: [], edges: [] });
  const seen: number[] = [];
  for await (const g of graphEvents(streamOf([`event: graph\ndata: ${graph(1).slice(0, 10)}`, `${graph(1).slice(10)}\n\n: keep-alive\n\n`, "event: other\ndata: {}\n\n", `event: graph\r\ndata: ${graph(2)}\r\n\r\n`]))) {
    seen.push(g.at);
  }
  assert.deepEqual(seen, [1, 2]);
});
