// The steps of the troubleshooting challenge; the format is described in lessons/README.md.
// The sandbox starts broken (content/sandbox-starts/broken-mesh.sh). Each step is one fault.
// The checks look at the symptom the way the learner would, so their first message says what is
// still wrong and which tool shows it, not which command fixes it; hints and the solution do that.
import type { V1Pod } from "@kubernetes/client-node";
import type { CheckContext, CheckOutcome } from "../../server/checks/check-types.ts";
import { check } from "../../server/checks/check.ts";
import { defineSteps } from "../../server/checks/define-steps.ts";
import { ingressGatewayUrl } from "../../server/checks/mesh-reads.ts";

const putRatingsBackInTheMesh = `kubectl patch deployment ratings-v1 -p '{"spec":{"template":{"metadata":{"labels":{"sidecar.istio.io/inject":null}}}}}'
kubectl rollout status deployment/ratings-v1 --timeout=120s`;

const defineRatingsSubset = `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ratings
spec:
  host: ratings
  subsets:
  - name: v1
    labels:
      version: v1
EOF`;

// The principal read from productpage's pod, as the lesson advises: its ServiceAccount, and its
// namespace (default in a sandbox of one's own, the learner's on a shared cluster).
const fixDetailsPolicy = `SA=$(kubectl get pod -l app=productpage -o jsonpath='{.items[0].spec.serviceAccountName}')
NS=$(kubectl get pod -l app=productpage -o jsonpath='{.items[0].metadata.namespace}')
kubectl apply -f - <<EOF
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: details-viewer
spec:
  selector:
    matchLabels:
      app: details
  action: ALLOW
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/$NS/sa/$SA"]
    to:
    - operation:
        methods: ["GET"]
EOF`;

const renameReviewsPort = `kubectl patch service reviews --type=json -p '[{"op":"replace","path":"/spec/ports/0/name","value":"http"}]'`;

const NO_ADDRESS =
  "The istio-ingressgateway Service in istio-system has no external address, so the check cannot load the page through the gateway. " +
  "Look at its EXTERNAL-IP with: `kubectl -n istio-system get service istio-ingressgateway`";

const hasSidecar = (pod: V1Pod): boolean =>
  (pod.spec?.containers ?? []).some((c) => c.name === "istio-proxy") || (pod.spec?.initContainers ?? []).some((c) => c.name === "istio-proxy");

async function everyPodInTheMesh(context: CheckContext): Promise<CheckOutcome> {
  const pods = (await context.core.listNamespacedPod({ namespace: "default" })).items.filter((pod) => pod.metadata?.deletionTimestamp === undefined);
  if (pods.length === 0) return context.fail("There are no pods in the default namespace: Bookinfo is not running. Look with `kubectl get pods`.");
  const outside = pods.filter((pod) => !hasSidecar(pod)).map((pod) => pod.metadata?.name ?? "?");
  if (outside.length > 0) {
    return context.fail(
      `${outside.join(", ")} ${outside.length === 1 ? "runs" : "run"} without an istio-proxy sidecar, although the namespace is labelled for injection. ` +
        "Such a pod gets no mTLS, no policy and no telemetry, and istiod does not know it: compare `kubectl get pods` with `istioctl proxy-status`. " +
        "Then find out why the injector left it alone: what does this pod carry that the others do not?",
    );
  }
  const notReady = pods.filter((pod) => !(pod.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True")).map((pod) => pod.metadata?.name ?? "?");
  if (notReady.length > 0) return context.fail(`${notReady.join(", ")} is not Ready yet. Give it a few seconds and check again; \`kubectl get pods\` shows it 2/2 Running when it is.`);
  return context.pass();
}

async function routesLeadSomewhere(context: CheckContext): Promise<CheckOutcome> {
  // The learner's own namespace, as their kubeconfig names it (default in the embedded sandbox).
  const analysis = await context.run("istioctl analyze");
  const text = `${analysis.stdout}\n${analysis.stderr}`;
  const broken = text.split("\n").filter((line) => line.includes("[IST0101]") || line.includes("[IST0173]"));
  if (broken.length > 0) {
    return context.fail(
      `\`istioctl analyze\` still reports: ${broken[0]?.trim().replace(/\.$/, "")}. A route that names a subset nothing defines (or one that selects no pods) ` +
        "sends its requests nowhere: the caller's sidecar answers 503 itself. Read the message: which host, which subset, and which object should define it?",
    );
  }
  // Through the route, as reviews calls it: the ratings pod's own sidecar applies the VirtualService ratings.
  const probe = await context.run("kubectl exec deploy/ratings-v1 -c ratings -- curl -s -o /dev/null -w '%{http_code}' http://ratings:9080/ratings/0");
  const status = probe.stdout.trim();
  if (status !== "200") {
    return context.fail(
      `A call to http://ratings:9080/ratings/0 from inside the mesh answered ${status || "nothing"}, not 200. ` +
        "Look at the caller's access log for the response flag: `kubectl logs deploy/ratings-v1 -c istio-proxy --tail=2`",
    );
  }
  return context.pass();
}

async function detailsForProductpageOnly(context: CheckContext): Promise<CheckOutcome> {
  const base = await ingressGatewayUrl(context);
  if (base === undefined) return context.fail(NO_ADDRESS);
  const page = await context.run(`curl -s --max-time 15 '${base}/productpage'`);
  // productpage renders the book's title itself, whatever its calls to details and reviews return.
  if (!page.stdout.includes("The Comedy of Errors")) {
    return context.fail(`The product page did not load through the gateway (${base}/productpage). Try it yourself: \`curl -s -o /dev/null -w '%{http_code}\\n' ${base}/productpage\``);
  }
  if (page.stdout.includes("Error fetching product details") || !page.stdout.includes("Book Details")) {
    return context.fail(
      "The product page still says \"Error fetching product details\": productpage's call to details is refused. " +
        "Who refuses it? Read the last lines of details' sidecar log (`kubectl logs deploy/details-v1 -c istio-proxy --tail=2`): the status and the reason are there.",
    );
  }
  // The policy is there to keep everyone but productpage out: removing it is not the fix.
  const other = await context.run("kubectl exec deploy/ratings-v1 -c ratings -- curl -s -o /dev/null -w '%{http_code}' http://details:9080/details/0");
  if (other.stdout.trim() !== "403") {
    return context.fail(
      `details answered ${other.stdout.trim() || "nothing"} to a call from ratings, not 403: it now lets in callers other than productpage. ` +
        "The policy was right to exist, it named the wrong caller. Keep an ALLOW policy on details that admits productpage's identity only: `kubectl get authorizationpolicy`",
    );
  }
  return context.pass();
}

/** The reviews version that served each of `loads` page loads through the gateway ("none" when the page had no reviews). */
async function reviewsVersions(context: CheckContext, base: string, loads: number, user?: string): Promise<string[]> {
  const jar = "/tmp/.troubleshooting-check-cookies";
  const login = user === undefined ? "" : `curl -s -o /dev/null -c ${jar} '${base}/login' --data 'username=${user}&passwd=password'; `;
  const cookie = user === undefined ? "" : ` -b ${jar}`;
  const loop = `for i in $(seq 1 ${loads}); do v=$(curl -s --max-time 15${cookie} '${base}/productpage' | grep -o 'reviews-v[0-9]' | head -n 1); echo "\${v:-none}"; done`;
  const result = await context.run(`${login}${loop}`);
  return result.stdout.split("\n").map((line) => line.trim()).filter((line) => line !== "");
}

const tally = (versions: string[]): string => {
  const counts = new Map<string, number>();
  for (const v of versions) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, n]) => `${v} ${n}×`).join(", ");
};

async function reviewsRoutingApplies(context: CheckContext): Promise<CheckOutcome> {
  const base = await ingressGatewayUrl(context);
  if (base === undefined) return context.fail(NO_ADDRESS);
  const jason = await reviewsVersions(context, base, 5, "jason");
  if (jason.length === 0 || jason.some((v) => v !== "reviews-v2")) {
    return context.fail(
      `Signed in as jason, 5 page loads were served by: ${tally(jason) || "nothing"}. The VirtualService reviews says jason goes to v2 every time, ` +
        "so the sidecars are not applying its HTTP rules to reviews at all. Ask Istio how it sees the reviews Service and its port: `istioctl x describe pod` on a reviews pod.",
    );
  }
  const everyone = await reviewsVersions(context, base, 8);
  if (everyone.some((v) => v !== "reviews-v1" && v !== "reviews-v3")) {
    return context.fail(`Without signing in, 8 page loads were served by: ${tally(everyone)}. Everyone but jason should get v1 or v3, never v2 (look at \`kubectl get virtualservice reviews -o yaml\`).`);
  }
  const service = await context.core.readNamespacedService({ name: "reviews", namespace: "default" });
  const port = service.spec?.ports?.find((p) => p.port === 9080);
  const named = (port?.appProtocol ?? port?.name ?? "").toLowerCase();
  if (!/^(http|http2|grpc|h2c)(-|$)/.test(named)) {
    return context.fail(
      `The reviews Service port 9080 is named "${port?.name ?? ""}", which does not tell Istio the protocol: it has to guess, and \`istioctl analyze\` reports IST0118. ` +
        "Name it after its protocol, `http` or `http-<anything>`.",
    );
  }
  return context.pass();
}

export const steps = defineSteps([
  {
    id: "every-pod-in-the-mesh",
    title: "Every Bookinfo pod runs with its sidecar",
    checks: [check.custom("Every pod in default has an istio-proxy sidecar and is Ready", everyPodInTheMesh)],
    hints: [
      "Count containers: `kubectl get pods` shows READY 2/2 for a pod with its sidecar. Which one shows 1/1, and is it in `istioctl proxy-status`?",
      "The namespace label is not the only thing the injector reads: a label on the pod itself wins. Compare `kubectl get pods --show-labels` for that pod and another one.",
      "The ratings-v1 pod template carries `sidecar.istio.io/inject: \"false\"`. Remove the label from the Deployment (a merge patch that sets it to null), and the rollout creates a pod that the injector does not skip.",
    ],
    solution: putRatingsBackInTheMesh,
  },
  {
    id: "every-route-has-a-destination",
    title: "Every route leads to a subset that exists",
    checks: [check.custom("istioctl analyze finds no missing host or subset, and ratings answers through its route", routesLeadSomewhere)],
    hints: [
      "Start with `istioctl analyze`: it reads all configuration in the namespace and names the objects that refer to something that is not there.",
      "A VirtualService names subsets; a DestinationRule defines them, each with the pod labels that make it up. Which DestinationRules exist? `kubectl get destinationrules`",
      "The VirtualService ratings sends everything to subset v1, and no DestinationRule for ratings defines it. Apply a DestinationRule `ratings` with host `ratings` and a subset `v1` selecting `version: v1`.",
    ],
    solution: defineRatingsSubset,
  },
  {
    id: "details-for-productpage",
    title: "productpage can read the book details again, and only productpage",
    checks: [check.custom("The page shows the book details, and details still refuses other callers", detailsForProductpageOnly)],
    hints: [
      "A 403 with `rbac_access_denied_matched_policy[none]` in the server's sidecar log means an ALLOW policy selects that workload and none of its rules matched the request.",
      "`istioctl x describe pod` on the details pod names the policy its sidecar enforces. Read it (`kubectl get authorizationpolicy details-viewer -o yaml`) and compare the principal it allows with the identity productpage really has: its pod's `serviceAccountName`.",
      "productpage runs as the ServiceAccount bookinfo-productpage in your namespace (`default` in a sandbox of your own), so its identity is `cluster.local/ns/<namespace>/sa/bookinfo-productpage`. Fix the principal in details-viewer; do not delete the policy.",
    ],
    solution: fixDetailsPolicy,
  },
  {
    id: "reviews-routing-applies",
    title: "jason always gets reviews v2, everyone else v1 or v3",
    checks: [check.custom("Page loads through the gateway follow the VirtualService reviews", reviewsRoutingApplies)],
    hints: [
      "`istioctl analyze` is clean and the VirtualService reviews looks right, yet every version answers everyone. When HTTP rules are ignored altogether, ask what protocol Istio thinks the traffic is.",
      "Look at productpage's calls to reviews in its sidecar's log (`kubectl logs deploy/productpage-v1 -c istio-proxy --tail=6`): they do not look like its calls to details. `istioctl x describe pod` on a reviews pod prints a `Port:` line with the protocol Istio chose; compare it with details'.",
      "The reviews Service port is named `tcp`, so Istio proxies it as plain TCP: no HTTP routing, no header match. Rename it `http` (a JSON patch on `/spec/ports/0/name`).",
    ],
    solution: renameReviewsPort,
  },
]);
