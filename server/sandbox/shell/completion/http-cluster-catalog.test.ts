import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createCluster } from "../../cluster/create-cluster.ts";
import type { Cluster } from "../../cluster/create-cluster.ts";
import { renderKubeconfig } from "../../cluster/kubeconfig.ts";
import { HttpClusterCatalog } from "./http-cluster-catalog.ts";
import type { DiscoveryCache } from "./http-cluster-catalog.ts";

describe("HttpClusterCatalog", () => {
  let cluster: Cluster;
  let server: Server;
  let kubeconfig = "";
  const paths: string[] = [];

  before(async () => {
    cluster = createCluster({ profile: "none", seed: "catalog", anonymousUser: "admin" });
    cluster.api.create(cluster.api.resource("", "v1", "namespaces"), "", { metadata: { name: "team" } });
    cluster.api.create(cluster.api.resource("", "v1", "configmaps"), "team", { metadata: { name: "settings" } });
    server = createServer((req, res) => {
      paths.push(req.url ?? "");
      cluster.handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    kubeconfig = renderKubeconfig({ server: `http://127.0.0.1:${port}`, token: "t", namespace: "team" });
  });
  after(async () => {
    cluster.dispose();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("names the context's namespace, lists kinds from discovery and names of a kind as typed", async () => {
    const catalog = new HttpClusterCatalog(kubeconfig);
    assert.equal(catalog.namespace, "team");
    const kinds = await catalog.listKinds();
    const configMaps = kinds.find((kind) => kind.resource === "configmaps");
    assert.deepEqual(configMaps, { resource: "configmaps", singular: "configmap", shortNames: ["cm"], namespaced: true });
    assert.equal(kinds.some((kind) => kind.resource === "bindings"), false, "kinds that cannot be listed are left out");
    assert.deepEqual(await catalog.listNames("cm", "team"), ["settings"]);
    assert.ok((await catalog.listNames("configmaps", undefined)).includes("settings"), "every namespace without one");
    assert.deepEqual(await catalog.listNames("no-such-kind", "team"), []);
  });

  it("keeps loading discovery when a deadline gives up on it, so the next lookup has it", async () => {
    const cache: DiscoveryCache = new Map();
    const catalog = new HttpClusterCatalog(kubeconfig, { cache });
    const loads = () => paths.filter((path) => path === "/api").length;
    const before = loads();
    const aborted = new AbortController();
    const first = catalog.listKinds(aborted.signal);
    aborted.abort(new Error("deadline"));
    await assert.rejects(first, /deadline/);
    const kinds = await new HttpClusterCatalog(kubeconfig, { cache }).listKinds();
    assert.ok(kinds.length > 0);
    assert.equal(loads(), before + 1, "discovery was fetched once");
  });
});
