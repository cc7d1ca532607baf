import { test } from "node:test";
import assert from "node:assert/strict";
import { waterfallRows } from "./request-waterfall.ts";

test("hops become bars placed by their share of the request, with what acted on each", () => {
  const rows = waterfallRows({
    at: 1000, from: "workstation", method: "GET", url: "http://reviews:9080/reviews/0", status: 200, elapsedMs: 40,
    trace: {
      hops: [
        { depth: 0, kind: "sidecar-outbound", at: "productpage-v1-abc-xyz.default", startMs: 1000, endMs: 1040, route: "reviews", routeSource: "VirtualService reviews.default", subset: "v1", status: 200, flags: "-", mtls: true },
        { depth: 0, kind: "sidecar-inbound", at: "reviews-v1-abc-xyz.default", startMs: 1010, endMs: 1030, authorization: "allowed (no-policy)", status: 200 },
      ],
    },
  });
  assert.deepEqual(rows.map((r) => [r.offset, r.width, r.durationMs]), [[0, 100, 40], [25, 50, 20]]);
  assert.equal(rows[0]?.label, "sidecar-outbound · productpage-v1-abc-xyz");
  assert.equal(rows[0]?.detail, "route reviews (VirtualService reviews.default) · subset v1 · mTLS · 200");
  assert.equal(rows[1]?.detail, "allowed (no-policy) · 200");
});
