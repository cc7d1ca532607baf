import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { CoreV1Api, KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";
import { PatientKubeConfig, waitBefore } from "./patient-kubeconfig.ts";

/** An API server that refuses the first `busy` requests with 429 Retry-After: 0. */
async function busyServer(busy: number): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    if (requests <= busy) {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "0" });
      res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "TooManyRequests", code: 429 }));
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    // Discovery, which the generic object client asks first.
    if (req.url === "/api/v1") {
      res.end(JSON.stringify({ kind: "APIResourceList", groupVersion: "v1", resources: [{ name: "namespaces", singularName: "namespace", namespaced: false, kind: "Namespace", verbs: ["get", "list"] }] }));
      return;
    }
    res.end(JSON.stringify({ kind: "NamespaceList", apiVersion: "v1", metadata: {}, items: [{ metadata: { name: "default" } }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests: () => requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function load(config: KubeConfig, server: string): KubeConfig {
  config.loadFromOptions({
    clusters: [{ name: "c", server, skipTLSVerify: true }],
    users: [{ name: "u", token: "t" }],
    contexts: [{ name: "x", cluster: "c", user: "u", namespace: "learner-1" }],
    currentContext: "x",
  });
  return config;
}

test("a patient client waits out 429s and gets the answer; a plain one fails on the first", async (t) => {
  const server = await busyServer(2);
  t.after(() => server.close());
  const namespaces = await load(new PatientKubeConfig(), server.url).makeApiClient(CoreV1Api).listNamespace();
  assert.deepEqual(namespaces.items.map((n) => n.metadata?.name), ["default"]);
  assert.equal(server.requests(), 3);

  const again = await busyServer(1);
  t.after(() => again.close());
  await assert.rejects(load(new KubeConfig(), again.url).makeApiClient(CoreV1Api).listNamespace(), (error: unknown) => (error as { code?: unknown }).code === 429);
});

test("KubernetesObjectApi.makeApiClient goes through the patient client and keeps the context's namespace", async (t) => {
  const server = await busyServer(1);
  t.after(() => server.close());
  const config = load(new PatientKubeConfig(), server.url);
  const objects = KubernetesObjectApi.makeApiClient(config);
  const list = await objects.list("v1", "Namespace");
  assert.equal(list.items.length, 1);
  assert.equal(server.requests(), 3, "the refused request, then discovery and the list");
  assert.equal((objects as unknown as { defaultNamespace: string }).defaultNamespace, "learner-1");
});

test("a server that stays busy gets its 429 back after a bounded number of tries", async (t) => {
  const server = await busyServer(1_000);
  t.after(() => server.close());
  await assert.rejects(load(new PatientKubeConfig(), server.url).makeApiClient(CoreV1Api).listNamespace(), (error: unknown) => (error as { code?: unknown }).code === 429);
  assert.equal(server.requests(), 8);
});

test("the wait follows Retry-After, else doubles, and is capped", () => {
  assert.equal(waitBefore(1, "2"), 2000);
  assert.equal(waitBefore(1, "0"), 0);
  assert.equal(waitBefore(1, undefined), 250);
  assert.equal(waitBefore(3, "soon"), 1000);
  assert.equal(waitBefore(9, undefined), 5000);
  assert.equal(waitBefore(1, "3600"), 5000);
});
