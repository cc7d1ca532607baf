import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { ConfigError, DEFAULT_DATA_DIR, loadConfig } from "./config.ts";

test("defaults apply when the environment is empty", () => {
  const config = loadConfig({});
  assert.equal(config.http.port, 4321);
  assert.equal(config.http.host, "127.0.0.1");
  assert.deepEqual(config.http.allowedOrigins, []);
  assert.equal(config.ws.maxPayloadBytes, 64 * 1024);
  assert.equal(config.sandbox.provider, "embedded");
  assert.equal(config.log.level, "info");
});

test("empty strings mean the default", () => {
  assert.equal(loadConfig({ PORT: "", LOG_LEVEL: " " }).http.port, 4321);
});

test("values are converted to the units the server uses", () => {
  const config = loadConfig({
    PORT: "0",
    WS_MAX_PAYLOAD_KIB: "8",
    WS_HEARTBEAT_SECONDS: "5",
    SESSION_IDLE_MINUTES: "2",
    OUTPUT_BUFFER_KIB: "4",
    SHELL_MAX_EXECUTION_SECONDS: "3",
    LOG_LEVEL: "DEBUG",
    ALLOWED_ORIGINS: "https://learn.example.com, http://localhost:3000/",
  });
  assert.equal(config.http.port, 0);
  assert.equal(config.ws.maxPayloadBytes, 8192);
  assert.equal(config.ws.heartbeatMs, 5000);
  assert.equal(config.sessions.idleMs, 120_000);
  assert.equal(config.sessions.outputBufferUnits, 4096);
  assert.equal(config.sandbox.shell.maxExecutionMs, 3000);
  assert.equal(config.log.level, "debug");
  assert.deepEqual(config.http.allowedOrigins, ["https://learn.example.com", "http://localhost:3000"]);
});

test("the result is deeply frozen", () => {
  const config = loadConfig({});
  assert.ok(Object.isFrozen(config));
  assert.ok(Object.isFrozen(config.http.allowedOrigins));
  assert.throws(() => {
    (config.sessions as { max: number }).max = 1;
  }, TypeError);
});

test("errors name every bad variable and how to fix it", () => {
  let error: unknown;
  try {
    loadConfig({ PORT: "http", WS_MAX_PAYLOAD_KIB: "0", SANDBOX_PROVIDER: "docker" });
  } catch (caught) {
    error = caught;
  }
  assert.ok(error instanceof ConfigError);
  assert.equal(error.code, "CONFIG_INVALID");
  assert.deepEqual([...error.variables].sort(), ["PORT", "SANDBOX_PROVIDER", "WS_MAX_PAYLOAD_KIB"]);
  assert.match(error.message, /PORT: expected a whole number; set PORT to .* \(got "http"\)/);
  assert.match(error.message, /WS_MAX_PAYLOAD_KIB: too small; set WS_MAX_PAYLOAD_KIB/);
  assert.match(error.message, /SANDBOX_PROVIDER: expected one of embedded/);
});

test("ports out of range and malformed origins are refused", () => {
  assert.throws(() => loadConfig({ PORT: "70000" }), /PORT: too large/);
  assert.throws(() => loadConfig({ PORT: "-1" }), /PORT: expected a whole number/);
  assert.throws(() => loadConfig({ ALLOWED_ORIGINS: "example.com" }), /ALLOWED_ORIGINS: "example.com" is not an origin/);
  assert.throws(() => loadConfig({ ALLOWED_ORIGINS: "https://example.com/path" }), /is not an origin/);
});

test("the cluster provider needs a kubeconfig, and says so", () => {
  assert.throws(() => loadConfig({ SANDBOX_PROVIDER: "cluster" }), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.deepEqual(error.variables, ["KUBECONFIG"]);
    assert.match(error.message, /SANDBOX_PROVIDER=cluster needs a cluster; set KUBECONFIG/);
    return true;
  });
  const config = loadConfig({ SANDBOX_PROVIDER: "cluster", KUBECONFIG: "/etc/academy/kubeconfig", WORKSTATION_IMAGE: "registry.example/toolbox:2" });
  assert.equal(config.sandbox.kubeconfig, "/etc/academy/kubeconfig");
  assert.equal(config.sandbox.workstationImage, "registry.example/toolbox:2");
  assert.equal(loadConfig({}).sandbox.provider, "embedded");
});

test("progress lives in DATA_DIR (made absolute), home by default; a short PROGRESS_SECRET is refused", () => {
  const defaults = loadConfig({});
  assert.equal(defaults.progress.dataDir, DEFAULT_DATA_DIR);
  assert.equal(defaults.progress.secret, undefined);
  const set = loadConfig({ DATA_DIR: "relative/data", PROGRESS_SECRET: "s".repeat(32) });
  assert.ok(path.isAbsolute(set.progress.dataDir));
  assert.ok(set.progress.dataDir.endsWith(path.join("relative", "data")));
  assert.equal(set.progress.secret, "s".repeat(32));
  assert.throws(() => loadConfig({ PROGRESS_SECRET: "short" }), (e: unknown) => e instanceof ConfigError && e.variables.includes("PROGRESS_SECRET"));
});

test("the workshops API is off without ADMIN_TOKEN; join attempts default to 10 a minute", () => {
  const defaults = loadConfig({});
  assert.equal(defaults.progress.adminToken, undefined);
  assert.equal(defaults.progress.joinAttemptsPerMinute, 10);
  const set = loadConfig({ ADMIN_TOKEN: "t".repeat(16), JOIN_ATTEMPTS_PER_MINUTE: "3" });
  assert.equal(set.progress.adminToken, "t".repeat(16));
  assert.equal(set.progress.joinAttemptsPerMinute, 3);
  assert.throws(() => loadConfig({ ADMIN_TOKEN: "short" }), (e: unknown) => e instanceof ConfigError && e.variables.includes("ADMIN_TOKEN"));
});

test("the dashboard's stuck rules default to ten minutes or three failed checks on a step", () => {
  const defaults = loadConfig({});
  assert.deepEqual(defaults.dashboard, { stuck: { afterMs: 600_000, afterFailedChecks: 3 } });
  const set = loadConfig({ STUCK_AFTER_MINUTES: "25", STUCK_AFTER_FAILED_CHECKS: "5" });
  assert.deepEqual(set.dashboard, { stuck: { afterMs: 25 * 60_000, afterFailedChecks: 5 } });
  assert.throws(() => loadConfig({ STUCK_AFTER_MINUTES: "0" }), (e: unknown) => e instanceof ConfigError && e.variables.includes("STUCK_AFTER_MINUTES"));
  assert.throws(() => loadConfig({ STUCK_AFTER_FAILED_CHECKS: "many" }), (e: unknown) => e instanceof ConfigError && e.variables.includes("STUCK_AFTER_FAILED_CHECKS"));
});

test("webhook receivers and the per-address session budget", () => {
  const defaults = loadConfig({});
  assert.deepEqual(defaults.webhooks.urls, []);
  assert.equal(defaults.webhooks.secret, undefined);
  assert.equal(defaults.sessions.createsPerMinute, 1200);
  const config = loadConfig({
    WEBHOOK_URLS: "https://hooks.example.com/a, http://127.0.0.1:9000/b",
    WEBHOOK_SECRET: "0123456789abcdef0123",
    SESSION_CREATES_PER_MINUTE: "30",
  });
  assert.deepEqual(config.webhooks.urls, ["https://hooks.example.com/a", "http://127.0.0.1:9000/b"]);
  assert.equal(config.sessions.createsPerMinute, 30);
  assert.throws(() => loadConfig({ WEBHOOK_URLS: "https://hooks.example.com/a" }), (error: unknown) => error instanceof ConfigError && error.variables.includes("WEBHOOK_SECRET"));
  assert.throws(
    () => loadConfig({ WEBHOOK_URLS: "ftp://files.example.com/, https://user:pw@hooks.example.com/", WEBHOOK_SECRET: "0123456789abcdef0123" }),
    (error: unknown) => error instanceof ConfigError && error.variables.includes("WEBHOOK_URLS"),
  );
});
