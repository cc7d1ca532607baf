import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ProgressStorage } from "./lesson-progress.ts";
import { PROGRESS_OUTBOX_KEY, ProgressOutbox, type SendOutcome, type StepEvent } from "./progress-outbox.ts";

function memoryStorage(): ProgressStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

const passed = (step: string): StepEvent => ({ lesson: "l", step, event: "passed" });

describe("ProgressOutbox", () => {
  it("sends at once and keeps nothing when the server acknowledges", async () => {
    const storage = memoryStorage();
    const sent: StepEvent[] = [];
    const outbox = new ProgressOutbox(storage, async (e) => (sent.push(e), "acknowledged"));
    await outbox.record(passed("a"));
    assert.deepEqual(sent, [passed("a")]);
    assert.equal(storage.data.has(PROGRESS_OUTBOX_KEY), false);
  });

  it("keeps events while the server is unreachable and sends them in order later, without duplicates", async () => {
    const storage = memoryStorage();
    let outcome: SendOutcome = "unreachable";
    const sent: string[] = [];
    const outbox = new ProgressOutbox(storage, async (e) => {
      if (outcome === "acknowledged") sent.push(e.step);
      return outcome;
    });
    await outbox.record(passed("a"));
    await outbox.record(passed("b"));
    await outbox.record(passed("a"));
    assert.deepEqual(outbox.pending().map((e) => e.step), ["b", "a"]);
    // A new page (a new outbox over the same storage) finds them.
    outcome = "acknowledged";
    await new ProgressOutbox(storage, async (e) => (sent.push(e.step), "acknowledged")).flush();
    assert.deepEqual(sent, ["b", "a"]);
    assert.deepEqual(outbox.pending(), []);
  });

  it("drops an event the server refuses instead of retrying it forever", async () => {
    const storage = memoryStorage();
    const outbox = new ProgressOutbox(storage, async (e) => (e.step === "bad" ? "refused" : "acknowledged"));
    await outbox.record(passed("bad"));
    await outbox.record(passed("good"));
    assert.deepEqual(outbox.pending(), []);
  });

  it("treats a throwing sender as unreachable and unreadable storage as empty", async () => {
    const storage = memoryStorage();
    const outbox = new ProgressOutbox(storage, async () => {
      throw new Error("offline");
    });
    await outbox.record(passed("a"));
    assert.deepEqual(outbox.pending(), [passed("a")]);
    storage.data.set(PROGRESS_OUTBOX_KEY, "{not json");
    assert.deepEqual(outbox.pending(), []);
  });
});

describe("ProgressOutbox after an empty flush", () => {
  it("still sends what is recorded later (a page flushes an empty outbox on load)", async () => {
    const sent: string[] = [];
    const outbox = new ProgressOutbox(memoryStorage(), async (e) => (sent.push(e.step), "acknowledged"));
    await outbox.flush();
    await outbox.record(passed("a"));
    await outbox.record(passed("b"));
    assert.deepEqual(sent, ["a", "b"]);
  });

  it("sends an event recorded while a send is in flight, in order", async () => {
    const sent: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const outbox = new ProgressOutbox(memoryStorage(), async (e) => {
      if (e.step === "a") await gate;
      sent.push(e.step);
      return "acknowledged";
    });
    const first = outbox.record(passed("a"));
    const second = outbox.record(passed("b"));
    release();
    await Promise.all([first, second]);
    assert.deepEqual(sent, ["a", "b"]);
    assert.deepEqual(outbox.pending(), []);
  });
});
