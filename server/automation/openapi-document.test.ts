import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../config/config.ts";
import { createLogger } from "../log/logger.ts";
import { startServer } from "../main.ts";
import { FakeSandboxProvider } from "../sessions/fake-sandbox-provider.ts";
import { OPENAPI_DOCUMENT } from "./openapi-document.ts";

const logger = createLogger({ level: "silent" });
const SERVER_DIR = fileURLToPath(new URL("../", import.meta.url));
const ADMIN_TOKEN = "admin-token-for-openapi-tests";
const METHODS = ["get", "post", "put", "delete", "patch"] as const;

interface Operation {
  security?: Record<string, unknown>[];
  responses: Record<string, unknown>;
  "x-websocket"?: boolean;
}
type PathItem = Partial<Record<(typeof METHODS)[number], Operation>>;
const paths = OPENAPI_DOCUMENT.paths as unknown as Record<string, PathItem>;

function operations(): { path: string; method: (typeof METHODS)[number]; operation: Operation }[] {
  return Object.entries(paths).flatMap(([p, item]) =>
    METHODS.flatMap((method) => (item[method] ? [{ path: p, method, operation: item[method] }] : [])),
  );
}

test("the document is OpenAPI 3.1 and every $ref resolves", () => {
  assert.equal(OPENAPI_DOCUMENT.openapi, "3.1.0");
  const refs = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        if (key === "$ref" && typeof child === "string") refs.add(child);
        else walk(child);
      }
    }
  };
  walk(OPENAPI_DOCUMENT);
  assert.ok(refs.size > 5);
  for (const ref of refs) {
    const target = ref.replace(/^#\//, "").split("/").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], OPENAPI_DOCUMENT);
    assert.ok(target !== undefined, `${ref} resolves`);
  }
  const ids = operations().map(({ operation }) => (operation as { operationId?: string }).operationId);
  assert.equal(new Set(ids).size, ids.length, "operationIds are unique");
  for (const { path: p, method, operation } of operations()) {
    assert.ok(Object.keys(operation.responses).some((status) => /^(2\d\d|101)$/.test(status)), `${method} ${p} documents its success`);
    for (const name of p.match(/\{[^}]+\}/g) ?? []) {
      const declared = JSON.stringify(paths[p]).includes(`#/components/parameters/${name.slice(1, -1)}`);
      assert.ok(declared, `${p} declares the parameter ${name}`);
    }
  }
});

/** Route templates in the request handlers the server mounts: regex literals and compared path strings. */
async function routesInSource(): Promise<Set<string>> {
  // The handlers are the modules the composition root reaches through its imports (within
  // server/, the emulated cluster aside: its paths are Kubernetes', not ours).
  const files = new Set<string>();
  const queue = [path.join(SERVER_DIR, "main.ts")];
  while (queue.length > 0) {
    const file = queue.pop() ?? "";
    if (files.has(file) || !file.startsWith(SERVER_DIR) || file.startsWith(path.join(SERVER_DIR, "sandbox"))) continue;
    files.add(file);
    const text = await readFile(file, "utf8");
    for (const match of text.matchAll(/(?:from|import\()\s*"(\.{1,2}\/[^"]+\.ts)"/g)) queue.push(path.resolve(path.dirname(file), match[1] ?? ""));
  }
  const routes = new Set<string>();
  for (const file of files) {
    if (file.endsWith(".test.ts")) continue;
    const text = await readFile(file, "utf8");
    if (!text.includes("pathname")) continue;
    for (const match of text.matchAll(/\/\^(\\\/api\\\/.*?)\$\//g)) {
      for (const route of expandRegex(match[1] ?? "")) routes.add(route);
    }
    for (const match of text.matchAll(/(?:pathname\s*[!=]==\s*|const\s+[A-Z_]+\s*=\s*)"(\/api\/[^"]*)"/g)) routes.add(match[1] ?? "");
  }
  return routes;
}

/** `\/api\/x\/([^/]+)(\/events)?` → ["/api/x/{}", "/api/x/{}/events"]. */
function expandRegex(source: string): string[] {
  let variants = [""];
  const pattern = /\((\\\/[A-Za-z0-9.\\-]+)\)\?|\(((?:[A-Za-z0-9.\\-]+\|)*[A-Za-z0-9.\\-]+)\)|\([^)]*\)|\\(.)|([^\\(]+)/g;
  for (const part of source.matchAll(pattern)) {
    const [, optional, alternatives, escaped, literal] = part;
    const unescape = (text: string) => text.replace(/\\(.)/g, "$1");
    if (optional !== undefined) variants = variants.flatMap((v) => [v, v + unescape(optional)]);
    else if (alternatives !== undefined && !/[[\]^+*{}]/.test(alternatives)) variants = variants.flatMap((v) => alternatives.split("|").map((alt) => v + unescape(alt)));
    else if (escaped !== undefined) variants = variants.map((v) => v + escaped);
    else if (literal !== undefined) variants = variants.map((v) => v + literal);
    else variants = variants.map((v) => `${v}{}`);
  }
  return variants;
}

test("every route the server's handlers match is in the document", async () => {
  const documented = new Set(Object.keys(paths).map((p) => p.replace(/\{[^}]+\}/g, "{}")));
  const routes = await routesInSource();
  assert.ok(routes.has("/api/sessions/{}/lessons/{}/steps/{}/checks"), `the scan finds the checks route (found: ${[...routes].join(", ")})`);
  assert.ok(routes.has("/api/sessions/{}/mesh-graph/events"));
  assert.ok(routes.has("/api/sessions/{}/terminal"), "WebSocket routes too");
  const missing = [...routes].filter((route) => !documented.has(route));
  assert.deepEqual(missing, [], "routes the server handles but the document does not describe");
});

async function setup(t: TestContext) {
  const dataDir = await mkdtemp(path.join(tmpdir(), "mesh-academy-openapi-"));
  const siteRoot = await mkdtemp(path.join(tmpdir(), "mesh-academy-openapi-site-"));
  const running = await startServer({
    config: loadConfig({ PORT: "0", DATA_DIR: dataDir, ADMIN_TOKEN, SANDBOX_PROFILE: "instant" }),
    logger,
    siteRoot,
    provider: new FakeSandboxProvider(),
  });
  t.after(() => running.shutdown());
  return running;
}

/** Sends a request and resolves at the status line (streams are cut off there). */
function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, ...(body !== undefined ? { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const type = String(res.headers["content-type"] ?? "");
      if (type.includes("ndjson") || type.includes("event-stream")) {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: "" });
        req.destroy();
        return;
      }
      let text = "";
      res.on("data", (chunk: Buffer) => (text += String(chunk)));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A WebSocket handshake's answer: 101 or the refusal's status. */
function upgrade(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", ...headers },
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

/** The answer has every property the documented schema requires, at the top level. */
function assertBodyShape(what: string, operation: Operation, answer: { status: number; headers: Record<string, unknown>; body: string }): void {
  if (!String(answer.headers["content-type"] ?? "").startsWith("application/json") || answer.body === "") return;
  const response = operation.responses[String(answer.status)] as { content?: Record<string, { schema?: unknown }> } | undefined;
  let schema = response?.content?.["application/json"]?.schema as { $ref?: string; required?: string[] } | undefined;
  if (schema?.$ref !== undefined) schema = resolve(schema.$ref) as typeof schema;
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  for (const key of schema?.required ?? []) assert.ok(key in body, `${what}: the answer lacks "${key}" (${answer.body.slice(0, 200)})`);
}

function resolve(ref: string): unknown {
  return ref.replace(/^#\//, "").split("/").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], OPENAPI_DOCUMENT);
}

const isGenericNotFound = (answer: { status: number; body: string }) => answer.status === 404 && /"NOT_FOUND"/.test(answer.body) && /No API at/.test(answer.body);

test("the server answers every documented operation with a documented status, and other methods with 405", async (t) => {
  const running = await setup(t);
  const origin = running.url;
  const session = (await (await fetch(`${running.url}/api/sessions`, { method: "POST" })).json()) as { id: string; token: string };
  const created = await fetch(`${running.url}/api/workshops`, {
    method: "POST",
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ title: "OpenAPI", lessons: ["welcome"], capacity: 3, startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() }),
  });
  const workshop = ((await created.json()) as { workshop: { id: string } }).workshop;
  const values: Record<string, string> = { sessionId: session.id, lesson: "welcome", step: "create-namespace", workshopId: workshop.id, learnerKey: "someone" };
  const concrete = (p: string) => p.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? "x"));
  const tokenFor = (operation: Operation) =>
    JSON.stringify(operation.security ?? []).includes("adminToken") ? ADMIN_TOKEN : session.token;
  // Give the fake sandbox a moment to be running, so the checks answer with their stream.
  await new Promise((resolve) => setTimeout(resolve, 50));

  // Ending the session comes last: the other operations need it alive.
  const ordered = operations().sort((a, b) => Number(a.method === "delete") - Number(b.method === "delete"));
  for (const { path: p, method, operation } of ordered) {
    const url = `${running.url}${concrete(p)}`;
    if (operation["x-websocket"]) {
      const status = await upgrade(url, { Origin: origin, "Sec-WebSocket-Protocol": `mesh-academy.terminal.v1, token.${session.token}` });
      assert.ok(String(status) in operation.responses, `${method.toUpperCase()} ${p} (WebSocket) answered ${status}`);
      assert.notEqual(status, 404, `${p} is served`);
      continue;
    }
    const headers = { Origin: origin, "X-Mesh-Academy": "1", Authorization: `Bearer ${tokenFor(operation)}` };
    const body = method === "post" || method === "put" ? "{}" : undefined;
    const answer = await send(url, method.toUpperCase(), headers, body);
    assert.ok(!isGenericNotFound(answer), `${method.toUpperCase()} ${p} is routed (got ${answer.status} ${answer.body})`);
    assert.notEqual(answer.status, 405, `${method.toUpperCase()} ${p} is allowed`);
    assert.ok(String(answer.status) in operation.responses, `${method.toUpperCase()} ${p} answered ${answer.status} ${answer.body}, which the document does not list`);
    if (answer.status >= 400) assert.match(String(answer.headers["content-type"]), /application\/json/);
    assertBodyShape(`${method.toUpperCase()} ${p} ${answer.status}`, operation, answer);

    // The methods the document leaves out are refused, and Allow names the documented ones.
    const item = paths[p] ?? {};
    const documentedMethods = METHODS.filter((m) => item[m] !== undefined);
    for (const other of METHODS.filter((m) => item[m] === undefined)) {
      const refused = await send(url, other.toUpperCase(), headers, other === "get" || other === "delete" ? undefined : "{}");
      assert.equal(refused.status, 405, `${other.toUpperCase()} ${p} is not documented and must answer 405 (got ${refused.status} ${refused.body})`);
      const allow = String(refused.headers.allow ?? "").split(",").map((m) => m.trim().toLowerCase()).filter((m) => m !== "head");
      assert.deepEqual(allow.sort(), [...documentedMethods].sort(), `Allow of ${p}`);
    }
  }
});

test("GET /api/openapi.json serves the document", async (t) => {
  const running = await setup(t);
  const response = await fetch(`${running.url}/api/openapi.json`);
  assert.equal(response.status, 200);
  assert.match(String(response.headers.get("content-type")), /^application\/json/);
  assert.deepEqual(await response.json(), JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
  assert.match(String(response.headers.get("content-security-policy")), /frame-ancestors 'none'/);
});
