// Restart test: the real server process with an embedded sandbox. A learner applies an object
// and writes a file; the server stops gracefully (SIGTERM) and starts again, and the same
// session id and token open the same cluster objects, files and variables. Then a change,
// a periodic save, a SIGKILL, and again everything is there.
import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { spawnSiteServer, type SiteProcess } from "../../tests/support/spawn-site-server.ts";
import { TerminalTestClient } from "../terminal/terminal-test-client.ts";

async function stop(site: SiteProcess, signal: "SIGTERM" | "SIGKILL"): Promise<void> {
  if (site.child.exitCode !== null || site.child.signalCode !== null) return;
  const exited = once(site.child, "exit");
  site.child.kill(signal);
  await exited;
}

/** Everything the terminal has printed since the socket opened, and a wait for a pattern in it. */
function screen(client: TerminalTestClient): { text: () => string; waitFor: (pattern: RegExp, what: string) => Promise<void> } {
  const text = () => client.messages.map((message) => (message.type === "data" ? message.data : "")).join("");
  return {
    text,
    async waitFor(pattern, what) {
      const deadline = Date.now() + 30_000;
      while (!pattern.test(text())) {
        if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; the screen:\n${text()}`);
        await delay(50);
      }
    },
  };
}

async function attach(url: string, id: string, token: string, offset: number) {
  const client = await TerminalTestClient.open(url, id, token);
  client.send({ type: "resume", offset });
  client.send({ type: "resize", cols: 120, rows: 30 });
  const view = screen(client);
  await client.next((message) => message.type === "status" && message.state === "ready");
  return { client, view };
}

function lastOffset(client: TerminalTestClient): number {
  const data = client.messages.filter((message) => message.type === "data");
  const last = data.at(-1);
  return last === undefined ? 0 : last.offset + last.data.length;
}

test("an embedded sandbox survives a graceful restart and a SIGKILL after a periodic save", { timeout: 180_000 }, async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "mesh-academy-snapshots-"));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { DATA_DIR: dataDir, SANDBOX_PROFILE: "instant", SANDBOX_WARM_POOL: "0", SANDBOX_SNAPSHOT_SECONDS: "1", LOG_LEVEL: "error" };
  let site = await spawnSiteServer(env);
  t.after(() => stop(site, "SIGKILL"));

  const created = await fetch(`${site.url}/api/sessions`, { method: "POST" });
  assert.equal(created.status, 201);
  const { id, token } = (await created.json()) as { id: string; token: string };
  let { client, view } = await attach(site.url, id, token, 0);
  client.send({ type: "data", data: "kubectl create namespace kept && kubectl label namespace kept team=blue && echo hello-file > ~/kept.txt && export KEPT_VAR=yes; echo first-$((1+1))\r" });
  await view.waitFor(/first-2/, "the first commands");
  let offset = lastOffset(client);
  client.ws.close();

  // Graceful: the shutdown saves the sandbox.
  await stop(site, "SIGTERM");
  const file = path.join(dataDir, "sandboxes", `${id}.json`);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const saved = readFileSync(file, "utf8");
  assert.ok(!saved.includes(token), "the token itself is not in the snapshot");
  site = await spawnSiteServer(env);

  assert.equal((await fetch(`${site.url}/api/sessions/${id}`, { headers: { authorization: `Bearer ${token}x` } })).status, 403);
  const probe = await fetch(`${site.url}/api/sessions/${id}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(probe.status, 200);
  ({ client, view } = await attach(site.url, id, token, offset));
  await view.waitFor(/Your sandbox was restored after a server restart\./, "the restore note");
  client.send({ type: "data", data: "kubectl get namespace kept -o jsonpath='{.metadata.labels.team}'; echo; cat ~/kept.txt; echo \"var=$KEPT_VAR\"\r" });
  await view.waitFor(/blue\r?\nhello-file\r?\nvar=yes/, "the object, the file and the variable after SIGTERM");

  // A change, a periodic save (every second here), then SIGKILL: no shutdown to save anything.
  client.send({ type: "data", data: "kubectl create configmap later -n kept --from-literal=round=two && echo second > ~/second.txt; echo second-$((2+2))\r" });
  await view.waitFor(/second-4/, "the second commands");
  offset = lastOffset(client);
  const deadline = Date.now() + 20_000;
  // The snapshot holds the new ConfigMap once a save after the command has run.
  while (!readFileSync(file, "utf8").includes('"name":"later"')) {
    if (Date.now() > deadline) assert.fail("no periodic save after the change");
    await delay(200);
  }
  await stop(site, "SIGKILL");
  site = await spawnSiteServer(env);

  ({ client, view } = await attach(site.url, id, token, offset));
  await view.waitFor(/Your sandbox was restored after a server restart\./, "the restore note after SIGKILL");
  client.send({ type: "data", data: "kubectl get configmap later -n kept -o jsonpath='{.data.round}'; echo; cat ~/second.txt ~/kept.txt\r" });
  await view.waitFor(/two\r?\nsecond\r?\nhello-file/, "the state saved before SIGKILL");
  client.ws.close();

  // Closing the session for good deletes its snapshot.
  const closed = await fetch(`${site.url}/api/sessions/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
  assert.equal(closed.status, 204);
  await delay(200);
  assert.throws(() => statSync(file), { code: "ENOENT" });
});
