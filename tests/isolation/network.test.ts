// The learner shell reaches its own cluster's API server and nothing else on the network:
// not a server listening on the host's loopback, not the site's own port, not any name.
// The sandbox runs as in production: the EmbeddedProvider behind the real server.
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../server/config/config.ts";
import { createLogger } from "../../server/log/logger.ts";
import { startServer, type RunningServer } from "../../server/main.ts";
import { EmbeddedProvider } from "../../server/providers/embedded-provider.ts";
import type { Sandbox } from "../../server/providers/sandbox-provider.ts";

let provider: EmbeddedProvider;
let site: RunningServer;
let siteRoot: string;
let sandbox: Sandbox;
/** A server on the host's loopback that must never hear from the shell. */
let bystander: Server;
let bystanderPort: number;
const heard: string[] = [];

before(async () => {
  siteRoot = await mkdtemp(join(tmpdir(), "mesh-academy-isolation-site-"));
  provider = new EmbeddedProvider({ profile: "instant" });
  site = await startServer({
    config: loadConfig({ HOST: "127.0.0.1", PORT: "0", SANDBOX_PROFILE: "instant" }),
    logger: createLogger({ level: "silent" }),
    siteRoot,
    provider,
  });
  sandbox = await provider.create({});
  bystander = createServer((req, res) => {
    heard.push(`${req.method} ${req.url}`);
    res.end("you reached the host\n");
  });
  await new Promise<void>((resolve) => bystander.listen(0, "127.0.0.1", resolve));
  bystanderPort = (bystander.address() as AddressInfo).port;
});

after(async () => {
  await sandbox.dispose();
  await site.shutdown();
  await provider.close();
  await new Promise<void>((resolve) => bystander.close(() => resolve()));
  await rm(siteRoot, { recursive: true, force: true });
});

beforeEach(() => {
  heard.length = 0;
});

const sitePort = (): number => Number(new URL(site.url).port);

/** The kubeconfig's server swapped for `server`, then kubectl asked for pods through it. */
const kubectlVia = (server: string) =>
  `sed "s#server: .*#server: ${server}#" ~/.kube/config > /tmp/elsewhere && KUBECONFIG=/tmp/elsewhere kubectl get pods --request-timeout=5s`;

test("the bystander is reachable from the host itself (the probe is real)", async () => {
  const response = await fetch(`http://127.0.0.1:${bystanderPort}/probe`);
  assert.equal(await response.text(), "you reached the host\n");
  assert.deepEqual(heard, ["GET /probe"]);
});

test("curl cannot reach a server on the host's loopback, by any spelling of its address", async () => {
  for (const address of ["127.0.0.1", "localhost", "[::1]", "127.1", "2130706433", "0x7f000001", "0.0.0.0", "[::ffff:127.0.0.1]"]) {
    const result = await sandbox.run(`curl -sS --max-time 2 http://${address}:${bystanderPort}/`);
    assert.notEqual(result.exitCode, 0, address);
    assert.equal(result.stdout, "", address);
    assert.match(result.stderr, /^curl: \((3|6|7|28)\) /, address);
  }
  assert.deepEqual(heard, []);
});

test("curl cannot reach the site's own port, nor the site's API", async () => {
  const result = await sandbox.run(`curl -sS --max-time 2 -X POST http://127.0.0.1:${sitePort()}/api/sessions`);
  assert.equal(result.exitCode, 7);
  assert.equal(result.stdout, "");
  const named = await sandbox.run(`curl -sS --max-time 2 http://localhost:${sitePort()}/`);
  assert.notEqual(named.exitCode, 0);
  assert.equal(site.sessions.size, 0, "the shell created a session through the site's API");
});

test("kubectl pointed at another address by editing the kubeconfig is refused before it connects", async () => {
  for (const server of [`http://127.0.0.1:${bystanderPort}`, `https://127.0.0.1:${bystanderPort}`, `http://localhost:${bystanderPort}`, `http://127.0.0.1:${sitePort()}`]) {
    const result = await sandbox.run(kubectlVia(server));
    assert.equal(result.exitCode, 1, server);
    assert.equal(result.stdout, "", server);
    assert.match(result.stderr, /The connection to the server .* was refused - did you specify the right host or port\?/, server);
  }
  const flag = await sandbox.run(`kubectl --server=http://127.0.0.1:${bystanderPort} get --raw / --request-timeout=5s`);
  assert.equal(flag.exitCode, 1);
  assert.deepEqual(heard, []);
});

test("names do not resolve to anything outside the sandbox network", async () => {
  for (const name of ["example.com", "kubernetes.default.svc", "metadata.google.internal", "host.docker.internal"]) {
    const result = await sandbox.run(`curl -sS --max-time 2 http://${name}/`);
    assert.notEqual(result.exitCode, 0, name);
    assert.equal(result.stdout, "", name);
  }
  const external = await sandbox.run(kubectlVia("https://example.com"));
  assert.equal(external.exitCode, 1);
  assert.doesNotMatch(external.stdout, /\S/);
  const metadata = await sandbox.run(kubectlVia("http://169.254.169.254"));
  assert.equal(metadata.exitCode, 1);
});

test("the shell still reaches its own cluster (the guard is not a blanket refusal)", async () => {
  const result = await sandbox.run("kubectl get pods -n mesh-academy -o name");
  assert.equal(result.exitCode, 0, result.stderr);
  assert.equal(result.stdout, "pod/workstation\n");
});
