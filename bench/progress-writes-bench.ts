// Figures for learners' progress: how many step completions per second reach the disk
// durably, through SqliteProgressStore (WAL, synchronous=FULL: one fsync per commit) with one
// writer, and through the HTTP API (POST /api/progress/steps) with concurrent clients. The
// references, measured in the same run on the same disk: a bare node:sqlite INSERT loop with
// the same durability and with synchronous=OFF (no fsync at all), and fs appends with an
// fsync each — what the disk allows for one durable write at a time. The HTTP clients run in
// the bench process, so that figure includes their own cost.
import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { loadConfig } from "../server/config/config.ts";
import { createLogger } from "../server/log/logger.ts";
import { startServer } from "../server/main.ts";
import { SqliteProgressStore } from "../server/progress/sqlite-progress-store.ts";
import { FakeSandboxProvider } from "../server/sessions/fake-sandbox-provider.ts";

export interface ProgressWritesFigure {
  figure: string;
  ours: string;
  reference: string;
}

// Each measurement runs this long; enough for hundreds of fsyncs on a laptop SSD.
const DURATION_MS = 1500;

/** Calls `write(i)` until the time is up; writes per second. */
function rate(write: (i: number) => void): number {
  const started = performance.now();
  let count = 0;
  while (performance.now() - started < DURATION_MS) write(count++);
  return (count * 1000) / (performance.now() - started);
}

function bareSqlite(file: string, synchronous: "FULL" | "OFF"): number {
  const db = new DatabaseSync(file);
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${synchronous};
    CREATE TABLE writes (learner TEXT NOT NULL, lesson TEXT NOT NULL, step TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (learner, lesson, step)) WITHOUT ROWID;`);
  const insert = db.prepare("INSERT INTO writes VALUES (?, ?, ?, ?)");
  const perSecond = rate((i) => insert.run("learner", "lesson", `step-${i}`, Date.now()));
  db.close();
  return perSecond;
}

function fsyncedAppends(file: string): number {
  const fd = openSync(file, "a");
  const perSecond = rate((i) => {
    writeSync(fd, `{"learner":"l","lesson":"lesson","step":"step-${i}","at":${Date.now()}}\n`);
    fsyncSync(fd);
  });
  closeSync(fd);
  return perSecond;
}

async function throughApi(dataDir: string, clients: number): Promise<number> {
  const siteRoot = await mkdtemp(path.join(tmpdir(), "mesh-academy-bench-site-"));
  const running = await startServer({
    config: loadConfig({ PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: "silent" }),
    logger: createLogger({ level: "silent" }),
    siteRoot,
    provider: new FakeSandboxProvider(),
  });
  const headers = { Origin: running.url, "X-Mesh-Academy": "1", "Content-Type": "application/json" };
  const post = (cookie: string | undefined, step: string) =>
    fetch(`${running.url}/api/progress/steps`, {
      method: "POST",
      headers: cookie ? { ...headers, Cookie: cookie } : headers,
      body: JSON.stringify({ lesson: "bench", step, event: "passed" }),
    });
  try {
    // Each client is one learner with its cookie, as in a workshop room.
    const cookies = await Promise.all(
      Array.from({ length: clients }, async () => {
        const first = await post(undefined, "warm-up");
        await first.arrayBuffer();
        return (first.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      }),
    );
    let done = 0;
    const started = performance.now();
    await Promise.all(
      cookies.map(async (cookie) => {
        for (let i = 0; performance.now() - started < DURATION_MS; i++) {
          const answer = await post(cookie, `step-${i}`);
          await answer.arrayBuffer();
          if (answer.status !== 200) throw new Error(`the progress API answered ${answer.status}`);
          done++;
        }
      }),
    );
    return (done * 1000) / (performance.now() - started);
  } finally {
    await running.shutdown();
    await rm(siteRoot, { recursive: true, force: true });
  }
}

export async function measureProgressWrites(clients = 50): Promise<ProgressWritesFigure[]> {
  const dir = await mkdtemp(path.join(tmpdir(), "mesh-academy-bench-progress-"));
  try {
    const store = new SqliteProgressStore(path.join(dir, "store", "progress.sqlite"));
    store.ensureLearner("learner", Date.now());
    const storeRate = rate((i) => store.recordStepPassed("learner", "bench", `step-${i}`, Date.now(), "checks"));
    store.close();
    const bareFull = bareSqlite(path.join(dir, "bare-full.sqlite"), "FULL");
    const bareOff = bareSqlite(path.join(dir, "bare-off.sqlite"), "OFF");
    const appends = fsyncedAppends(path.join(dir, "appends.jsonl"));
    const apiRate = await throughApi(path.join(dir, "api"), clients);
    const f = (n: number) => n.toFixed(0);
    return [
      { figure: "Progress writes/s, store, one writer (WAL, synchronous=FULL)", ours: f(storeRate), reference: `${f(bareFull)} (bare INSERT, FULL) / ${f(bareOff)} (bare INSERT, OFF)` },
      { figure: `Progress writes/s, HTTP API, ${clients} concurrent learners`, ours: f(apiRate), reference: `${f(appends)} (fs append + fsync)` },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
