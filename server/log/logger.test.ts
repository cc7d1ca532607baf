import { test } from "node:test";
import assert from "node:assert/strict";
import { createLogger } from "./logger.ts";

function capture(level: "debug" | "info" | "warn" | "error" | "silent") {
  const lines: { line: string; level: string }[] = [];
  const logger = createLogger({
    level,
    write: (line, lineLevel) => lines.push({ line, level: lineLevel }),
    now: () => new Date("2025-01-02T03:04:05.000Z"),
  });
  return { logger, lines, records: () => lines.map((l) => JSON.parse(l.line) as Record<string, unknown>) };
}

test("writes one JSON object per line with time, level and message", () => {
  const { logger, lines, records } = capture("debug");
  logger.info("listening", { url: "http://127.0.0.1:1" });
  assert.equal(lines.length, 1);
  assert.ok(lines[0]?.line.endsWith("\n"));
  assert.deepEqual(records()[0], {
    time: "2025-01-02T03:04:05.000Z",
    level: "info",
    msg: "listening",
    url: "http://127.0.0.1:1",
  });
});

test("drops lines below the configured level; silent drops everything", () => {
  const warn = capture("warn");
  warn.logger.debug("a");
  warn.logger.info("b");
  warn.logger.warn("c");
  warn.logger.error("d");
  warn.logger.announce("listening");
  assert.deepEqual(warn.records().map((r) => r.msg), ["c", "d", "listening"]);
  assert.equal(warn.records()[2]?.level, "info");
  const silent = capture("silent");
  silent.logger.announce("f");
  silent.logger.error("e");
  assert.equal(silent.lines.length, 0);
});

test("child loggers add their fields and can be nested", () => {
  const { logger, records } = capture("info");
  logger.child({ component: "http" }).child({ session: "s1" }).info("hello", { extra: 1 });
  assert.deepEqual(records()[0], {
    time: "2025-01-02T03:04:05.000Z",
    level: "info",
    msg: "hello",
    component: "http",
    session: "s1",
    extra: 1,
  });
});

test("never writes tokens, authorization headers or secrets, at any depth", () => {
  const { logger, lines } = capture("info");
  logger.child({ token: "child-token-1" }).info("request", {
    headers: { authorization: "Bearer abc123", "x-other": "visible" },
    sessionToken: "def456",
    nested: { deeper: [{ clientSecret: "ghi789" }] },
  });
  const text = lines[0]?.line ?? "";
  for (const secret of ["child-token-1", "abc123", "def456", "ghi789"]) assert.ok(!text.includes(secret), secret);
  assert.ok(text.includes("visible"));
  assert.ok(text.includes("[redacted]"));
});

test("errors are written with name, message and code", () => {
  const { logger, records } = capture("info");
  const error = Object.assign(new Error("boom"), { code: "E_BOOM" });
  logger.error("failed", { error });
  const written = records()[0]?.error as Record<string, unknown>;
  assert.equal(written.name, "Error");
  assert.equal(written.message, "boom");
  assert.equal(written.code, "E_BOOM");
  assert.equal(typeof written.stack, "string");
});
