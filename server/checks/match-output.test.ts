import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { linePattern, matchOutput, normalizeOutput } from "./match-output.ts";

const shownPods = `
NAME                       READY   STATUS    RESTARTS   AGE   IP            NODE
httpbin-866ff746c8-wdbwc   2/2     Running   0          12s   10.244.1.76   sandbox-worker
`;

describe("matchOutput", () => {
  it("matches identical output, ignoring colours, CRLF, trailing spaces and blank edges", () => {
    assert.deepEqual(matchOutput("a\nb\n", "\n\x1b[32ma\x1b[0m  \r\nb\r\n\n"), { matched: true });
  });

  it("tolerates ages, IPs, generated pod names and column padding", () => {
    const printed = [
      "NAME                        READY   STATUS    RESTARTS   AGE     IP             NODE",
      "httpbin-5c9bd7f4d5-x2x9k    2/2     Running   0          3m20s   10.244.12.131  sandbox-worker",
    ].join("\n");
    assert.deepEqual(matchOutput(shownPods, printed), { matched: true });
  });

  it("still notices a changed READY count, status or name prefix", () => {
    for (const changed of [
      "httpbin-5c9bd7f4d5-x2x9k   1/1     Running   0          3s   10.244.1.9   sandbox-worker",
      "httpbin-5c9bd7f4d5-x2x9k   2/2     Pending   0          3s   10.244.1.9   sandbox-worker",
      "httpbun-5c9bd7f4d5-x2x9k   2/2     Running   0          3s   10.244.1.9   sandbox-worker",
    ]) {
      const result = matchOutput(shownPods, `NAME   READY   STATUS   RESTARTS   AGE   IP   NODE\n${changed}`);
      assert.equal(result.matched, false, changed);
      if (!result.matched) {
        assert.equal(result.mismatch.line, 2);
        assert.equal(result.mismatch.actual, changed);
        assert.match(result.mismatch.expected, /^httpbin-866ff746c8-wdbwc/);
      }
    }
  });

  it("treats a ... line as any number of lines, and ... in a line as any text", () => {
    const shown = "Starting\n...\nDone in ... seconds";
    assert.equal(matchOutput(shown, "Starting\nDone in 3 seconds").matched, true);
    assert.equal(matchOutput(shown, "Starting\none\ntwo\nDone in many seconds").matched, true);
    assert.equal(matchOutput(shown, "Starting\none\nFailed").matched, false);
  });

  it("reports the output ending early and extra lines", () => {
    const short = matchOutput("a\nb", "a");
    assert.deepEqual(short, { matched: false, mismatch: { line: 2, expected: "b", actual: undefined } });
    const long = matchOutput("a", "a\nextra");
    assert.deepEqual(long, { matched: false, mismatch: { line: 2, expected: "(end of output)", actual: "extra" } });
  });

  it("accepts table rows in any order, but keeps the order of other lines unless told", () => {
    const shown = "NAME     STATUS   AGE\nalpha    Active   1d\nbeta     Active   2d";
    assert.equal(matchOutput(shown, "NAME   STATUS   AGE\nbeta   Active   5s\nalpha  Active   5s").matched, true);
    assert.equal(matchOutput("one\ntwo", "two\none").matched, false);
    assert.equal(matchOutput("one\ntwo", "two\none", { unordered: true }).matched, true);
    assert.equal(matchOutput("one\ntwo", "two\ntwo", { unordered: true }).matched, false);
  });

  it("tolerates timestamps, HTTP dates and UIDs but not other numbers", () => {
    assert.equal(matchOutput("creationTimestamp: 2024-01-02T03:04:05Z", "creationTimestamp: 2026-11-24T04:12:00Z").matched, true);
    assert.equal(matchOutput("date: Mon, 01 Jan 2024 00:00:00 GMT", "date: Tue, 24 Nov 2026 04:12:00 GMT").matched, true);
    assert.equal(matchOutput("uid: 0b7e6f1c-1111-4a2b-9c3d-0123456789ab", "uid: 9f00e1c2-2222-4bbb-8ccc-abcdefabcdef").matched, true);
    assert.equal(matchOutput("replicas: 3", "replicas: 2").matched, false);
    assert.equal(matchOutput("port 8000", "port 8080").matched, false);
    assert.equal(matchOutput("10.0.0.1:8000", "10.96.3.4:8080").matched, false);
  });

  it("does not mistake ordinary words for generated suffixes", () => {
    assert.equal(linePattern("istio-proxy").test("istio-pxxxx"), false);
    assert.equal(linePattern("mesh-academy").test("mesh-academz"), false);
    assert.equal(linePattern("httpbin-866ff746c8").test("httpbin-5c9bd7f4d5"), true);
    assert.equal(linePattern("sleep-7b2k9").test("sleep-x4q8z"), true);
  });
});

describe("normalizeOutput", () => {
  it("splits into lines without edges", () => {
    assert.deepEqual(normalizeOutput("\n\n x \ny\t\n\n"), [" x", "y"]);
  });
});
