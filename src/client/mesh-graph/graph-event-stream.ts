// Reads the mesh graph's server-sent events over fetch: EventSource cannot send the
// Authorization header the session API asks for. Only `event: graph` carries data; comments
// (keep-alives) and other events are skipped.
import type { MeshGraph } from "./mesh-graph-data.ts";

export async function* graphEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<MeshGraph> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffered += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      let end = buffered.indexOf("\n\n");
      while (end >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        let event = "message";
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "event") event = text;
          else if (field === "data") data.push(text);
        }
        if (event === "graph" && data.length > 0) yield JSON.parse(data.join("\n")) as MeshGraph;
        end = buffered.indexOf("\n\n");
      }
    }
  } finally {
    reader.releaseLock();
  }
}
