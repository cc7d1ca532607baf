import { test } from "node:test";
import assert from "node:assert/strict";
import type { EdgeStats } from "../sandbox/index.ts";
import { createTrafficWindow } from "./traffic-window.ts";

function edge(requests: number, lastSeenMs: number, latenciesMs: number[] = []): EdgeStats {
  return {
    sourceWorkload: "productpage-v1",
    sourceNamespace: "default",
    sourceVersion: "v1",
    destinationService: "details.default.svc.cluster.local",
    destinationWorkload: "details-v1",
    destinationNamespace: "default",
    destinationVersion: "v1",
    responseCode: 200,
    mtls: true,
    flags: "-",
    requests,
    latenciesMs,
    lastSeenMs,
  };
}

test("the first look counts recent counters whole and leaves out ones quiet since before the window", () => {
  const window = createTrafficWindow(60_000);
  const old = { ...edge(7, 1_000), destinationWorkload: "old-v1" };
  const [quiet, recent] = window.observe([old, edge(3, 100_000, [5, 6, 7])], 100_000);
  assert.equal(quiet?.requests, 0);
  assert.deepEqual(quiet?.latenciesMs, []);
  assert.equal(recent?.requests, 3);
  assert.deepEqual(recent?.latenciesMs, [5, 6, 7]);
});

test("later looks count what the counter gained since the window's start, and its newest latency samples", () => {
  const window = createTrafficWindow(60_000);
  window.observe([], 0);
  assert.equal(window.observe([edge(4, 10_000, [1, 2, 3, 4])], 10_000)[0]?.requests, 4);
  const at70 = window.observe([edge(6, 65_000, [1, 2, 3, 4, 9, 8])], 70_000)[0];
  // The snapshot at 10 s is the newest at or before 70 s − 60 s: only the two later requests count.
  assert.equal(at70?.requests, 2);
  assert.deepEqual(at70?.latenciesMs, [9, 8]);
  // Nothing new for a minute: the edge goes quiet.
  assert.equal(window.observe([edge(6, 65_000)], 131_000)[0]?.requests, 0);
});

test("a TCP edge's connections and bytes are windowed like requests, apart from the HTTP edge of the same peers", () => {
  const window = createTrafficWindow(60_000);
  window.observe([], 0);
  const tcp = (connections: number, bytesReceived: number, bytesSent: number, lastSeenMs: number): EdgeStats => ({ ...edge(0, lastSeenMs), responseCode: 0, protocol: "tcp", connections, bytesReceived, bytesSent });
  const first = window.observe([edge(2, 10_000), tcp(3, 300, 3000, 10_000)], 10_000);
  assert.deepEqual(first.map((w) => [w.requests, w.connections, w.bytesReceived, w.bytesSent]), [
    [2, 0, 0, 0],
    [0, 3, 300, 3000],
  ]);
  const later = window.observe([edge(2, 10_000), tcp(5, 420, 4000, 65_000)], 70_000);
  // Only what came after the snapshot at 10 s.
  assert.deepEqual(later.map((w) => [w.requests, w.connections, w.bytesReceived, w.bytesSent]), [
    [0, 0, 0, 0],
    [0, 2, 120, 1000],
  ]);
});
