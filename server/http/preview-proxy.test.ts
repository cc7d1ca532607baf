import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../config/config.ts";
import { createLogger } from "../log/logger.ts";
import { startServer } from "../main.ts";
import { EmbeddedProvider } from "../providers/embedded-provider.ts";
import { rewriteCookie, rewriteHtml } from "./preview-proxy.ts";

const GATEWAY = await readFile(new URL("../../content/samples/web/web-gateway.yaml", import.meta.url), "utf8");

test("root-relative links and cookies of a previewed page stay under its preview path", () => {
  const prefix = "/preview/s1/key";
  assert.equal(
    rewriteHtml('<a href="/productpage">x</a><img src=\'/static/a.png\'><form action="/login"><a href="//cdn/x"><a href="rel">', prefix),
    '<a href="/preview/s1/key/productpage">x</a><img src=\'/preview/s1/key/static/a.png\'><form action="/preview/s1/key/login"><a href="//cdn/x"><a href="rel">',
  );
  assert.equal(rewriteCookie("session=abc; Path=/; HttpOnly", prefix), "session=abc; Path=/preview/s1/key/; HttpOnly");
  assert.equal(rewriteCookie("user=jason; Domain=example.com", prefix), "user=jason; Path=/preview/s1/key/");
});


test("the preview shows what the session's ingress gateway serves, to the session's key only", async (t) => {
  const siteRoot = await mkdtemp(path.join(tmpdir(), "preview-site-"));
  await writeFile(path.join(siteRoot, "index.html"), "<!doctype html><title>site</title>");
  const provider = new EmbeddedProvider({ profile: "instant", shell: { maxCommandCount: 10_000 } });
  const running = await startServer({ config: loadConfig({ PORT: "0" }), logger: createLogger({ level: "error", write: () => {} }), siteRoot, provider });
  t.after(() => running.shutdown());

  const created = (await (await fetch(`${running.url}/api/sessions`, { method: "POST" })).json()) as { id: string; token: string };
  const info = (await (await fetch(`${running.url}/api/sessions/${created.id}`, { headers: { authorization: `Bearer ${created.token}` } })).json()) as { preview: string };
  const previewUrl = `${running.url}${info.preview}`;

  const early = await fetch(previewUrl);
  assert.equal(early.status, 409);
  assert.match(await early.text(), /The sandbox is not running/);

  const session = running.sessions.get(created.id);
  assert.ok(session);
  await session.start();
  const noGateway = await fetch(previewUrl);
  assert.equal(noGateway.status, 503);
  assert.match(await noGateway.text(), /No ingress gateway yet/);

  const sandbox = session.sandbox;
  assert.ok(sandbox);
  const install = await sandbox.run("istioctl install --set profile=demo -y && kubectl apply -f - && kubectl wait --for=condition=available deploy/web --timeout=60s", { stdin: GATEWAY });
  assert.equal(install.exitCode, 0, install.stderr);

  const page = await fetch(previewUrl);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Welcome to nginx!/);
  assert.equal(page.headers.get("server"), "istio-envoy");
  assert.match(page.headers.get("content-security-policy") ?? "", /^sandbox /);

  // The request the preview made is in the mesh's telemetry, with the hops it took.
  const mesh = (await (await fetch(`${running.url}/api/sessions/${created.id}/mesh`, { headers: { authorization: `Bearer ${created.token}` } })).json()) as {
    edges: Array<{ requests: number }>;
    requests: Array<{ from: string; status?: number; trace: { hops: Array<{ kind: string }> } }>;
  };
  const seen = mesh.requests.at(-1);
  assert.equal(seen?.from, "workstation");
  assert.equal(seen?.status, 200);
  assert.ok(seen?.trace.hops.some((hop) => hop.kind === "gateway"), JSON.stringify(seen?.trace.hops.map((hop) => hop.kind)));
  assert.ok(mesh.edges.some((edge) => edge.requests > 0));
  assert.equal((await fetch(`${running.url}/api/sessions/${created.id}/mesh`)).status, 401);

  const forged = await fetch(`${running.url}/preview/${created.id}/${Buffer.alloc(32).toString("base64url")}/`);
  assert.equal(forged.status, 403);
  const tokenAsKey = await fetch(`${running.url}/preview/${created.id}/${created.token}/`);
  assert.equal(tokenAsKey.status, 403);
});
