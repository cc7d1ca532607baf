// The setup every Bookinfo task starts from (Getting Started with the Istio APIs): the demo
// profile, injection in `default`, the Bookinfo platform manifest, its gateway, and a wait
// until every Deployment is available (the learner waits for `kubectl get pods` to show 2/2
// Running; waiting on the Deployments, which exist at once, cannot miss a pod not yet created).
import type { LearnerTerminal } from './learner-terminal.ts';

export async function installBookinfo(terminal: LearnerTerminal, options: { destinationRules?: boolean } = {}): Promise<void> {
  await terminal.ok('istioctl install --set profile=demo -y');
  await terminal.ok('kubectl label namespace default istio-injection=enabled');
  await terminal.ok('kubectl apply -f samples/bookinfo/platform/kube/bookinfo.yaml');
  await terminal.ok('kubectl apply -f samples/bookinfo/networking/bookinfo-gateway.yaml');
  if (options.destinationRules === true) await terminal.ok('kubectl apply -f samples/bookinfo/networking/destination-rule-all.yaml');
  await terminal.ok('kubectl wait --for=condition=available deployment --all --timeout=60s');
  await terminal.ok(`export INGRESS_HOST=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}')`);
  await terminal.ok(`export INGRESS_PORT=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.spec.ports[?(@.name=="http2")].port}')`);
  await terminal.ok('export GATEWAY_URL=$INGRESS_HOST:$INGRESS_PORT');
}
