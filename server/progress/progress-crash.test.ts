// Crash test: the real server process, several learners completing steps in a burst, and a
// SIGKILL in the middle of it, again and again. Every completion the server acknowledged
// (answered 200) must be there after the restart; unacknowledged ones may or may not be.
import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { spawnSiteServer, type SiteProcess } from "../../tests/support/spawn-site-server.ts";

const LEARNERS = 4;
const ROUNDS = 3;

interface Learner {
  cookie: string | undefined;
  acknowledged: Set<string>;
}

async function post(url: string, learner: Learner, lesson: string, step: string): Promise<boolean> {
  const headers: Record<string, string> = { origin: url, "x-mesh-academy": "1", "content-type": "application/json" };
  if (learner.cookie !== undefined) headers.cookie = learner.cookie;
  try {
    const res = await fetch(`${url}/api/progress/steps`, { method: "POST", headers, body: JSON.stringify({ lesson, step, event: "passed" }) });
    if (res.status !== 200) return false;
    await res.json();
    learner.cookie ??= (res.headers.get("set-cookie") ?? "").split(";")[0];
    return true;
  } catch {
    // The server died before answering: not acknowledged.
    return false;
  }
}

async function completedSteps(url: string, learner: Learner): Promise<Set<string>> {
  const res = await fetch(`${url}/api/progress`, { headers: learner.cookie ? { cookie: learner.cookie } : {} });
  const body = (await res.json()) as { steps: { lesson: string; step: string; completedAt: number | null }[] };
  return new Set(body.steps.filter((s) => s.completedAt !== null).map((s) => `${s.lesson}/${s.step}`));
}

async function kill(site: SiteProcess): Promise<void> {
  if (site.child.exitCode !== null || site.child.signalCode !== null) return;
  const exited = once(site.child, "exit");
  site.child.kill("SIGKILL");
  await exited;
}

test("every acknowledged completion survives SIGKILL of the server, round after round", { timeout: 120_000 }, async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "mesh-academy-crash-"));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { DATA_DIR: dataDir, SANDBOX_PROFILE: "instant", LOG_LEVEL: "error" };
  const learners: Learner[] = Array.from({ length: LEARNERS }, () => ({ cookie: undefined, acknowledged: new Set<string>() }));

  let site = await spawnSiteServer(env);
  t.after(() => kill(site));
  // Each learner's first completion gives them their cookie, before any crash.
  for (const [index, learner] of learners.entries()) {
    assert.ok(await post(site.url, learner, "first", `hello-${index}`));
    learner.acknowledged.add(`first/hello-${index}`);
  }

  for (let round = 0; round < ROUNDS; round++) {
    const url = site.url;
    let stop = false;
    const bursts = learners.map(async (learner, index) => {
      for (let n = 0; !stop; n++) {
        const step = `r${round}-l${index}-s${n}`;
        if (await post(url, learner, "burst", step)) learner.acknowledged.add(`burst/${step}`);
        else return;
      }
    });
    // Let the burst get going, then kill the server under it once it has acknowledged some.
    const before = learners.reduce((sum, l) => sum + l.acknowledged.size, 0);
    while (learners.reduce((sum, l) => sum + l.acknowledged.size, 0) < before + 20) await delay(5);
    await kill(site);
    stop = true;
    await Promise.all(bursts);

    site = await spawnSiteServer(env);
    for (const learner of learners) {
      const stored = await completedSteps(site.url, learner);
      const lost = [...learner.acknowledged].filter((key) => !stored.has(key));
      assert.deepEqual(lost, [], `round ${round}: acknowledged completions lost after SIGKILL`);
    }
  }
  // The learners are still themselves after the restarts: the cookie key was kept too.
  assert.ok(learners.every((l) => l.acknowledged.size > ROUNDS));
  await kill(site);
});
