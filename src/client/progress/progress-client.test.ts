import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ProgressClient } from "./progress-client.ts";

function recordingFetch(answer: () => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetchFn = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init });
    return answer();
  }) as typeof fetch;
  return { calls, fetchFn };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("ProgressClient", () => {
  it("sends step events with the CSRF header and maps answers to outcomes", async () => {
    let status = 200;
    const { calls, fetchFn } = recordingFetch(() => json(status, {}));
    const client = new ProgressClient(fetchFn);
    assert.equal(await client.send({ lesson: "l", step: "s", event: "passed" }), "acknowledged");
    assert.equal(calls[0]?.url, "/api/progress/steps");
    assert.equal(calls[0]?.init?.method, "POST");
    assert.equal((calls[0]?.init?.headers as Record<string, string>)["x-mesh-academy"], "1");
    assert.deepEqual(JSON.parse(String(calls[0]?.init?.body)), { lesson: "l", step: "s", event: "passed" });
    status = 400;
    assert.equal(await client.send({ lesson: "l", step: "s", event: "passed" }), "refused");
    status = 429;
    assert.equal(await client.send({ lesson: "l", step: "s", event: "passed" }), "unreachable");
    status = 503;
    assert.equal(await client.send({ lesson: "l", step: "s", event: "passed" }), "unreachable");
  });

  it("reads an unreachable server as unreachable and no progress", async () => {
    const client = new ProgressClient((async () => {
      throw new TypeError("fetch failed");
    }) as typeof fetch);
    assert.equal(await client.send({ lesson: "l", step: "s", event: "started" }), "unreachable");
    assert.equal(await client.load(), undefined);
    assert.equal((await client.join("ABC", "Ann")).ok, false);
  });

  it("joins and reports the server's refusal as its code and message", async () => {
    let answer = json(200, { workshop: { title: "Tuesday", lessons: ["welcome", 3] } });
    const { fetchFn } = recordingFetch(() => answer);
    const client = new ProgressClient(fetchFn);
    assert.deepEqual(await client.join("abc234", "Ann"), { ok: true, workshop: { title: "Tuesday", lessons: ["welcome"] } });
    answer = json(410, { error: { code: "WORKSHOP_ENDED", message: "It ended." } });
    assert.deepEqual(await client.join("abc234", "Ann"), { ok: false, code: "WORKSHOP_ENDED", message: "It ended." });
  });
});
