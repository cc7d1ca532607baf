import assert from "node:assert/strict";
import { test } from "node:test";
import { isClusterScopedCommand } from "./cluster-scoped-command.ts";

test("installing Istio, namespaces, istio-system and CRDs are the instructor's", () => {
  for (const command of [
    "istioctl install --set profile=demo -y",
    "kubectl label namespace default istio-injection=enabled",
    "kubectl label ns default istio-injection- && kubectl delete deployment web",
    "kubectl create namespace hello-mesh",
    "kubectl apply -n istio-system -f peer-authentication.yaml",
    "kubectl apply --namespace=istio-system -f mesh.yaml",
    "kubectl delete pods -A -l app=x",
    'kubectl get crd gateways.gateway.networking.k8s.io &> /dev/null || \\\n  { kubectl kustomize "github.com/kubernetes-sigs/gateway-api/config/crd?ref=v1.6.0" | kubectl apply -f -; }',
    "echo first\nistioctl install -y # the demo profile",
    "kubectl apply -f - <<EOF\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\nspec:\n  mtls:\n    mode: STRICT\nEOF",
  ]) {
    assert.equal(isClusterScopedCommand(command), true, command);
  }
});

test("reading anywhere and writing in the learner's own namespace are the learner's", () => {
  for (const command of [
    "kubectl get pods -n istio-system",
    "kubectl get namespace default --show-labels",
    "kubectl apply -f ~/samples/bookinfo/bookinfo.yaml",
    "kubectl rollout restart deployment/web",
    "istioctl proxy-status",
    "istioctl analyze -n default",
    "kubectl get crd gateways.gateway.networking.k8s.io",
    'kubectl exec "$RATINGS_POD" -c ratings -- curl -sS productpage:9080/productpage # not istioctl install',
  ]) {
    assert.equal(isClusterScopedCommand(command), false, command);
  }
});
