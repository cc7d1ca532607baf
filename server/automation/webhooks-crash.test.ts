// Crash test for webhooks: the real server process posts step.completed events to a local
// receiver while learners complete steps in a burst; the server is SIGKILLed mid-burst and
// started again. Every completion the server acknowledged must reach the receiver at least
// once (from the outbox, after the restart, for those still queued at the kill), signed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { spawnSiteServer, type SiteProcess } from "../../tests/support/spawn-site-server.ts";
import type { WebhookEventBody } from "./webhook-events.ts";
import { verifyWebhookSignature } from "./webhook-signature.ts";

const SECRET = "crash-test-webhook-secret-0123456789";
const LEARNERS = 3;

async function kill(site: SiteProcess): Promise<void> {
  if (site.child.exitCode !== null || site.child.signalCode !== null) return;
  const exited = once(site.child, "exit");
  site.child.kill("SIGKILL");
  await exited;
}

test("every acknowledged completion is delivered at least once across a SIGKILL", { timeout: 120_000 }, async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "mesh-academy-webhook-crash-"));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));

  // The receiver is slow, so a good part of the burst is still queued when the server dies.
  const received = new Map<string, WebhookEventBody>();
  let badSignatures = 0;
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += String(chunk)));
    req.on("end", () => {
      if (!verifyWebhookSignature(SECRET, req.headers["x-mesh-academy-signature"] as string | undefined, body)) badSignatures++;
      const event = JSON.parse(body) as WebhookEventBody;
      setTimeout(() => {
        received.set(event.id, event);
        res.writeHead(204).end();
      }, 100);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  t.after(() => {
    receiver.closeAllConnections();
    receiver.close();
  });
  const env = {
    DATA_DIR: dataDir,
    SANDBOX_PROFILE: "instant",
    LOG_LEVEL: "error",
    WEBHOOK_URLS: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`,
    WEBHOOK_SECRET: SECRET,
  };

  let site = await spawnSiteServer(env);
  t.after(() => kill(site));
  const acknowledged = new Set<string>();
  const cookies: (string | undefined)[] = Array.from({ length: LEARNERS }, () => undefined);
  const post = async (url: string, index: number, step: string): Promise<boolean> => {
    const headers: Record<string, string> = { origin: url, "x-mesh-academy": "1", "content-type": "application/json" };
    const cookie = cookies[index];
    if (cookie !== undefined) headers.cookie = cookie;
    try {
      const res = await fetch(`${url}/api/progress/steps`, { method: "POST", headers, body: JSON.stringify({ lesson: "burst", step, event: "passed" }) });
      if (res.status !== 200) return false;
      await res.json();
      cookies[index] ??= (res.headers.get("set-cookie") ?? "").split(";")[0];
      return true;
    } catch {
      return false;
    }
  };

  let stop = false;
  const url = site.url;
  const bursts = Array.from({ length: LEARNERS }, async (_, index) => {
    for (let n = 0; !stop; n++) {
      const step = `l${index}-s${n}`;
      if (await post(url, index, step)) acknowledged.add(step);
      else return;
    }
  });
  while (acknowledged.size < 40) await delay(5);
  await kill(site);
  stop = true;
  await Promise.all(bursts);
  const deliveredBeforeRestart = received.size;

  site = await spawnSiteServer(env);
  const deadline = Date.now() + 60_000;
  const deliveredSteps = () => new Set([...received.values()].filter((e) => e.type === "step.completed").map((e) => e.step));
  while ([...acknowledged].some((step) => !deliveredSteps().has(step)) && Date.now() < deadline) await delay(50);

  const missing = [...acknowledged].filter((step) => !deliveredSteps().has(step));
  assert.deepEqual(missing, [], "acknowledged completions whose event never arrived");
  assert.equal(badSignatures, 0);
  assert.ok(deliveredBeforeRestart < acknowledged.size, `some events were still queued at the kill (${deliveredBeforeRestart} of ${acknowledged.size} delivered before)`);
  await kill(site);
});
