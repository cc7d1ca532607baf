// The steps of the observability lesson; the format is described in lessons/README.md.
import type { CheckContext, CheckOutcome } from "../../server/checks/check-types.ts";
import { check } from "../../server/checks/check.ts";
import { defineSteps } from "../../server/checks/define-steps.ts";
import { readIstioObject } from "../../server/checks/mesh-reads.ts";

// Solutions run as their own script (in verify, in a shell without the learner's exports), so
// each one finds the ingress address itself, the way the lesson's setup block does.
const gatewayUrl = [
  "export INGRESS_HOST=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}')",
  "export INGRESS_PORT=$(kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.spec.ports[?(@.name==\"http2\")].port}')",
  "export GATEWAY_URL=$INGRESS_HOST:$INGRESS_PORT",
].join("\n");

const pageLoads = (count: number): string => `for i in $(seq 1 ${count}); do curl -s -o /dev/null "http://$GATEWAY_URL/productpage"; done`;

const canary = `kubectl apply -f ~/samples/bookinfo/destination-rule-all.yaml
kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
  - reviews
  http:
  - route:
    - destination:
        host: reviews
        subset: v1
      weight: 80
    - destination:
        host: reviews
        subset: v3
      weight: 20
EOF`;

const incident = `cat > ~/incident.yaml <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
spec:
  hosts:
  - ratings
  http:
  - fault:
      abort:
        percentage:
          value: 50.0
        httpStatus: 500
    route:
    - destination:
        host: ratings
        subset: v1
EOF
kubectl apply -f ~/incident.yaml`;

/** Lines of one Deployment's istio-proxy log, or a failure message when they cannot be read. */
async function proxyLog(context: CheckContext, deployment: string): Promise<string[] | string> {
  const result = await context.run(`kubectl logs deploy/${deployment} -c istio-proxy`);
  if (result.exitCode !== 0) {
    return `Could not read the access log of ${deployment}'s sidecar (\`kubectl logs deploy/${deployment} -c istio-proxy\` failed: ${(result.stderr || result.stdout).trim()}). Check that \`kubectl get pods\` shows ${deployment} Running 2/2.`;
  }
  return result.stdout.split("\n");
}

async function trafficSent(context: CheckContext): Promise<CheckOutcome> {
  const lines = await proxyLog(context, "productpage-v1");
  if (typeof lines === "string") return context.fail(lines);
  // Requests the gateway forwarded, as productpage's sidecar received them.
  const served = lines.filter((line) => line.includes('"GET /productpage HTTP/1.1" 200') && line.includes("inbound|9080||")).length;
  if (served < 20) {
    return context.fail(
      `productpage's sidecar has logged ${served} page load${served === 1 ? "" : "s"} through the gateway, fewer than 20, so the log, the graph and the metrics have little to show. ` +
        "Set GATEWAY_URL with the setup block, then run: `for i in $(seq 1 20); do curl -s -o /dev/null \"http://$GATEWAY_URL/productpage\"; done`",
    );
  }
  return context.pass();
}

interface WeightedRoute {
  route?: { destination?: { host?: string; subset?: string }; weight?: number }[];
}

async function canarySplit(context: CheckContext): Promise<CheckOutcome> {
  const rule = await readIstioObject(context, "DestinationRule", "reviews");
  const subsets = ((rule as { spec?: { subsets?: { name?: string }[] } } | undefined)?.spec?.subsets ?? []).map((subset) => subset.name);
  if (!subsets.includes("v1") || !subsets.includes("v3")) {
    return context.fail("The DestinationRule reviews does not define the subsets v1 and v3, so a route to them leads nowhere. Run: `kubectl apply -f ~/samples/bookinfo/destination-rule-all.yaml`");
  }
  const service = await readIstioObject(context, "VirtualService", "reviews");
  const routes = (service as { spec?: { http?: WeightedRoute[] } } | undefined)?.spec?.http ?? [];
  const weights = new Map((routes[0]?.route ?? []).map((r) => [r.destination?.subset, r.weight ?? (routes[0]?.route?.length === 1 ? 100 : 0)]));
  if (service === undefined || routes.length !== 1 || weights.get("v1") !== 80 || weights.get("v3") !== 20 || weights.size !== 2) {
    return context.fail("The VirtualService reviews does not send 80 % of the calls to subset v1 and 20 % to v3. Apply the VirtualService of step 2 (the heredoc block with `weight: 80` and `weight: 20`).");
  }
  const lines = await proxyLog(context, "productpage-v1");
  if (typeof lines === "string") return context.fail(lines);
  // The upstream cluster names the namespace: default here, the learner's own on a shared cluster.
  if (!lines.some((line) => /outbound\|9080\|v3\|reviews\.[a-z0-9-]+\.svc\.cluster\.local/.test(line))) {
    return context.fail(
      "productpage's sidecar has not yet called reviews v3 through its subset: the split is in place, but no traffic went through it. " +
        "Run the loop of step 2: `for i in $(seq 1 50); do curl -s -o /dev/null \"http://$GATEWAY_URL/productpage\"; done`",
    );
  }
  return context.pass();
}

async function incidentApplied(context: CheckContext): Promise<CheckOutcome> {
  const service = await readIstioObject(context, "VirtualService", "ratings");
  const abort = (service as { spec?: { http?: { fault?: { abort?: { httpStatus?: number } } }[] } } | undefined)?.spec?.http?.[0]?.fault?.abort;
  if (abort?.httpStatus !== 500) {
    return context.fail("The VirtualService ratings from ~/incident.yaml is not applied, so there is no failure to find. Run the block of step 3 (it writes ~/incident.yaml and applies it).");
  }
  const metrics = await context.run("kubectl exec deploy/reviews-v3 -c istio-proxy -- pilot-agent request GET stats/prometheus");
  const failed = metrics.stdout.split("\n").some((line) => line.startsWith("istio_requests_total{") && line.includes('response_code="500"') && line.includes('destination_service_name="ratings"'));
  if (!failed) {
    return context.fail(
      "reviews v3 has not counted a failed call to ratings yet: only one page load in five reaches v3, and half of its calls to ratings fail. " +
        "Send more traffic: `for i in $(seq 1 40); do curl -s -o /dev/null \"http://$GATEWAY_URL/productpage\"; done`",
    );
  }
  return context.pass();
}

export const steps = defineSteps([
  {
    id: "traffic",
    title: "Send traffic and read a sidecar's access log",
    checks: [check.custom("productpage's sidecar has logged at least 20 page loads through the gateway", trafficSent)],
    hints: [
      "A sidecar logs only the requests that pass through it: send some first.",
      "Run the setup block to set GATEWAY_URL, then the loop of step 1, which loads the page 20 times.",
    ],
    solution: [gatewayUrl, pageLoads(20)].join("\n"),
  },
  {
    id: "canary",
    title: "Split reviews 80/20 between v1 and v3, and compare them in the metrics",
    checks: [check.custom("reviews is split 80/20 between v1 and v3, and productpage has called v3 through its subset", canarySplit)],
    hints: [
      "A weighted split needs subsets (a DestinationRule) and a VirtualService with two weighted destinations.",
      "Run the block of step 2: the sample destination rules, then a VirtualService reviews with `weight: 80` for v1 and `weight: 20` for v3. Then load the page 50 times.",
    ],
    solution: [canary, gatewayUrl, pageLoads(50)].join("\n"),
  },
  {
    id: "incident",
    title: "Apply a broken change and send traffic through it",
    checks: [check.custom("The change in ~/incident.yaml is applied and reviews v3 has counted failed calls to ratings", incidentApplied)],
    hints: [
      "Run the block of step 3 as a whole: it writes ~/incident.yaml and applies it.",
      "Then load the page 40 times with the loop below it, so that some of the failures happen.",
    ],
    solution: [incident, gatewayUrl, pageLoads(40)].join("\n"),
  },
  {
    id: "fix",
    title: "Remove the fault and confirm the errors stop",
    checks: [
      check.gone(
        { kind: "VirtualService", name: "ratings" },
        { name: "The VirtualService ratings from ~/incident.yaml is deleted", why: "so half of the calls to ratings are still aborted", fix: "kubectl delete -f ~/incident.yaml" },
      ),
    ],
    hints: [
      "You found the object that injects the failures; undo the change that created it.",
      "`kubectl delete -f` removes what a file applied: `kubectl delete -f ~/incident.yaml`.",
    ],
    solution: "kubectl delete -f ~/incident.yaml",
  },
]);
