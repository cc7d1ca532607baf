import assert from "node:assert/strict";
import { test } from "node:test";
import { renameDefaultNamespace } from "./namespace-relay.ts";

test("only the namespace called default becomes the learner's", () => {
  assert.equal(renameDefaultNamespace("/api/v1/namespaces/default/pods?labelSelector=app", "learner-1"), "/api/v1/namespaces/learner-1/pods?labelSelector=app");
  assert.equal(renameDefaultNamespace("/api/v1/namespaces/default", "learner-1"), "/api/v1/namespaces/learner-1");
  assert.equal(renameDefaultNamespace("/apis/networking.istio.io/v1/namespaces/default/virtualservices/x", "l"), "/apis/networking.istio.io/v1/namespaces/l/virtualservices/x");
  assert.equal(renameDefaultNamespace("/api/v1/namespaces/default-shop/pods", "l"), "/api/v1/namespaces/default-shop/pods");
  assert.equal(renameDefaultNamespace("/api/v1/namespaces/istio-system/pods", "l"), "/api/v1/namespaces/istio-system/pods");
  assert.equal(renameDefaultNamespace("/api/v1/namespaces", "l"), "/api/v1/namespaces");
  assert.equal(renameDefaultNamespace("/api/v1/namespaces?watch=true", "l"), "/api/v1/namespaces?watch=true");
});

test("cluster-wide collections of namespaced kinds become the learner's namespace's; discovery and cluster kinds stay", () => {
  assert.equal(renameDefaultNamespace("/api/v1/pods?watch=true&allowWatchBookmarks=true", "l"), "/api/v1/namespaces/l/pods?watch=true&allowWatchBookmarks=true");
  assert.equal(renameDefaultNamespace("/apis/networking.istio.io/v1/virtualservices", "l"), "/apis/networking.istio.io/v1/namespaces/l/virtualservices");
  assert.equal(renameDefaultNamespace("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", "l"), "/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
  assert.equal(renameDefaultNamespace("/api/v1/nodes", "l"), "/api/v1/nodes");
  assert.equal(renameDefaultNamespace("/apis/apps/v1", "l"), "/apis/apps/v1");
  assert.equal(renameDefaultNamespace("/api/v1", "l"), "/api/v1");
  assert.equal(renameDefaultNamespace("/apis", "l"), "/apis");
});
