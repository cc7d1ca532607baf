import { test } from "node:test";
import assert from "node:assert/strict";
import { ClusterHost, createEmbeddedSandbox } from "../sandbox/index.ts";
import type { EmbeddedSandbox } from "../sandbox/index.ts";
import type { ClusterApi } from "../sandbox/api-server/cluster-api.ts";
import type { JsonObject } from "../sandbox/core/json-object.ts";
import { dumpUserObjects, type SavedObject } from "./dump-user-objects.ts";
import { restoreUserObjects, RESTORE_FIELD_MANAGER } from "./restore-user-objects.ts";

const VIRTUAL_SERVICE = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
  namespace: shop
  labels:
    owner: learner
spec:
  hosts: [web]
  http:
  - route:
    - destination: {host: web}
      weight: 100
    timeout: 3s
`;

async function run(sandbox: EmbeddedSandbox, script: string, stdin?: string): Promise<string> {
  const result = await sandbox.shell.host.exec(script, stdin !== undefined ? { stdin } : {}).result;
  assert.equal(result.exitCode, 0, `${script}\n${result.stderr}`);
  return result.stdout;
}

function list(api: ClusterApi, group: string, version: string, plural: string, namespace?: string): JsonObject[] {
  return api.list(api.resource(group, version, plural), namespace).items;
}

function metadataOf(object: JsonObject | undefined): JsonObject {
  return (object?.metadata ?? {}) as JsonObject;
}

async function eventually(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function readyPods(api: ClusterApi, namespace: string, prefix: string): JsonObject[] {
  return list(api, "", "v1", "pods", namespace).filter((pod) => {
    const name = String(metadataOf(pod).name);
    const phase = (pod.status as JsonObject | undefined)?.phase;
    return name.startsWith(prefix) && phase === "Running" && metadataOf(pod).deletionTimestamp === undefined;
  });
}

test("the learner's objects survive a dump and a restore into a fresh cluster; controllers bring back the pods once", async (t) => {
  const host = new ClusterHost();
  await host.listen({ host: "127.0.0.1", port: 0 });
  const sandboxes: EmbeddedSandbox[] = [];
  t.after(async () => {
    await Promise.all(sandboxes.map((sandbox) => sandbox.dispose()));
    await host.close();
  });
  const before = await createEmbeddedSandbox({ host, id: "before", profile: "instant" });
  sandboxes.push(before);
  await run(before, "istioctl install -y");
  await run(before, "kubectl create namespace shop && kubectl label namespace shop istio-injection=enabled team=blue");
  await run(before, "kubectl label namespace default env=dev");
  await run(before, "kubectl create deployment web --image=nginx -n shop && kubectl expose deployment web --port=80 -n shop");
  await run(before, "kubectl apply -f -", VIRTUAL_SERVICE);
  await run(before, "kubectl run lonely --image=busybox -n shop --labels=kind=bare -- sleep 3600");
  await eventually("web and its sidecar before the dump", () => readyPods(before.cluster.api, "shop", "web-").length === 1);

  const saved = JSON.parse(JSON.stringify(dumpUserObjects(before.cluster.api))) as SavedObject[];
  const names = saved.map((object) => `${object.kind} ${String(object.metadata.namespace ?? "")}/${String(object.metadata.name)}`);
  // The learner's (and istioctl's) objects are there…
  for (const expected of ["Namespace /shop", "Namespace /default", "Deployment shop/web", "Service shop/web", "VirtualService shop/web", "Pod shop/lonely", "Deployment istio-system/istiod", "CustomResourceDefinition /virtualservices.networking.istio.io", "MutatingWebhookConfiguration /istio-sidecar-injector"]) {
    assert.ok(names.includes(expected), `${expected} is saved; saved: ${names.join(", ")}`);
  }
  // …and nothing a controller, the bootstrap or the workstation makes.
  for (const object of saved) {
    assert.ok(!["Event", "ReplicaSet", "EndpointSlice", "Endpoints", "Node"].includes(object.kind), `${object.kind} is not saved`);
    assert.ok(!(object.kind === "Pod" && String(object.metadata.name).startsWith("web-")), "controller-owned pods are not saved");
    assert.notEqual(object.metadata.namespace, "mesh-academy", "the workstation is the sandbox's own");
    assert.equal(object.metadata.uid, undefined);
    assert.equal(object.metadata.resourceVersion, undefined);
    assert.equal(object.status, undefined);
  }
  assert.ok(!names.includes("ConfigMap shop/kube-root-ca.crt"), "published CA bundles come back from their publisher");
  assert.ok(!names.includes("ServiceAccount shop/default"));

  const after = await createEmbeddedSandbox({ host, id: "after", profile: "instant" });
  sandboxes.push(after);
  const result = await restoreUserObjects(after.cluster.api, saved);
  assert.deepEqual(result.failures, []);
  assert.equal(result.restored, saved.length);
  const api = after.cluster.api;

  const shop = api.get(api.resource("", "v1", "namespaces"), "", "shop");
  assert.deepEqual({ ...(metadataOf(shop).labels as JsonObject), "kubernetes.io/metadata.name": undefined }, { "istio-injection": "enabled", team: "blue", "kubernetes.io/metadata.name": undefined });
  assert.equal((metadataOf(api.get(api.resource("", "v1", "namespaces"), "", "default")).labels as JsonObject).env, "dev");
  const virtualService = api.get(api.resource("networking.istio.io", "v1", "virtualservices"), "shop", "web");
  assert.equal((metadataOf(virtualService).labels as JsonObject).owner, "learner");
  assert.deepEqual((virtualService.spec as JsonObject).hosts, ["web"]);
  assert.equal(((virtualService.spec as { http: JsonObject[] }).http[0] ?? {}).timeout, "3s");

  // Istio comes back through its Deployments, then the app's pod, injected, exactly once.
  await eventually("istiod running again", () => readyPods(api, "istio-system", "istiod-").length === 1);
  await eventually("web running again with its sidecar", () => {
    const pods = readyPods(api, "shop", "web-");
    const containers = [...(((pods[0]?.spec as JsonObject | undefined)?.containers ?? []) as JsonObject[]), ...((((pods[0]?.spec as JsonObject | undefined)?.initContainers ?? []) as JsonObject[]))];
    return pods.length === 1 && containers.some((container) => container.name === "istio-proxy");
  });
  await eventually("the bare pod running again", () => readyPods(api, "shop", "lonely").length === 1);
  assert.equal(list(api, "apps", "v1", "replicasets", "shop").length, 1, "one ReplicaSet: made by the controller, not restored beside it");
  assert.equal(list(api, "apps", "v1", "deployments", "istio-system").length, list(before.cluster.api, "apps", "v1", "deployments", "istio-system").length);
  assert.equal(list(api, "", "v1", "pods", "shop").filter((pod) => String(metadataOf(pod).name).startsWith("web-")).length, 1);

  // Saved again, the restored objects are kept: a second restart loses nothing.
  const again = dumpUserObjects(api).map((object) => `${object.kind} ${String(object.metadata.namespace ?? "")}/${String(object.metadata.name)}`);
  for (const name of names) assert.ok(again.includes(name), `${name} is saved after a restore too`);
  const managers = ((metadataOf(api.get(api.resource("apps", "v1", "deployments"), "shop", "web")).managedFields ?? []) as JsonObject[]).map((entry) => entry.manager);
  assert.ok(managers.includes(RESTORE_FIELD_MANAGER));
});
