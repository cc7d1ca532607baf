import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createSandboxInfoHandler } from "./sandbox-info-api.ts";

async function serve(provider: string): Promise<{ url: string; server: Server }> {
  const handler = createSandboxInfoHandler({ provider: () => provider });
  const server = createServer((req, res) => {
    void handler(req, res, new URL(req.url ?? "/", "http://x").pathname).then((answered) => {
      if (!answered) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

test("GET /api/sandbox says which provider runs the sandboxes, without a session", async (t) => {
  for (const provider of ["embedded", "cluster"]) {
    const { url, server } = await serve(provider);
    t.after(() => server.close());
    const answer = await fetch(`${url}/api/sandbox`);
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), { provider });
    const post = await fetch(`${url}/api/sandbox`, { method: "POST" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
    assert.equal((await fetch(`${url}/api/sandboxes`)).status, 404);
  }
});
