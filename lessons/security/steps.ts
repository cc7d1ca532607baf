// The steps of the security lesson; the format is described in lessons/README.md.
import type { KubernetesObject } from "@kubernetes/client-node";
import type { CheckContext, CheckOutcome } from "../../server/checks/check-types.ts";
import { check } from "../../server/checks/check.ts";
import { defineSteps } from "../../server/checks/define-steps.ts";
import { ingressGatewayUrl } from "../../server/checks/mesh-reads.ts";

const legacyClient = `kubectl create namespace legacy
kubectl create deployment curl -n legacy --image=curlimages/curl -- sleep infinity
kubectl wait --for=condition=available deployment/curl -n legacy --timeout=60s`;

const httpbin = `kubectl apply -f ~/samples/httpbin/httpbin.yaml
kubectl wait --for=condition=available deployment/httpbin --timeout=60s`;

const strictIn = (namespace: string): string => `kubectl apply -f - <<EOF
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: ${namespace}
spec:
  mtls:
    mode: STRICT
EOF`;

const allowNothing = `kubectl apply -f - <<EOF
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: allow-nothing
  namespace: default
spec: {}
EOF`;

const productpageViewer = `kubectl apply -f - <<EOF
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: productpage-viewer
  namespace: default
spec:
  selector:
    matchLabels:
      app: productpage
  action: ALLOW
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account"]
    to:
    - operation:
        methods: ["GET"]
        paths: ["/productpage", "/static/*"]
EOF`;

/** An ALLOW policy for GET requests to one Bookinfo service from one caller's identity. */
function viewer(app: string, callerServiceAccount: string): string {
  return `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ${app}-viewer
  namespace: default
spec:
  selector:
    matchLabels:
      app: ${app}
  action: ALLOW
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/default/sa/${callerServiceAccount}"]
    to:
    - operation:
        methods: ["GET"]`;
}

const detailsAndReviewsViewers = `kubectl apply -f - <<EOF
${viewer("details", "bookinfo-productpage")}
---
${viewer("reviews", "bookinfo-productpage")}
EOF`;

const ratingsViewer = `kubectl apply -f - <<EOF
${viewer("ratings", "bookinfo-reviews")}
EOF`;

interface Policy extends KubernetesObject {
  spec?: {
    selector?: { matchLabels?: Record<string, string> };
    action?: string;
    mtls?: { mode?: string };
    rules?: {
      from?: { source?: { principals?: string[] } }[];
      to?: { operation?: { methods?: string[]; paths?: string[] } }[];
    }[];
  };
}

async function readSecurityObject(context: CheckContext, kind: string, name: string, namespace: string): Promise<Policy | undefined> {
  try {
    return (await context.objects.read({ apiVersion: "security.istio.io/v1", kind, metadata: { name, namespace } })) as Policy;
  } catch {
    return undefined;
  }
}

const NO_ADDRESS =
  "The istio-ingressgateway Service in istio-system has no external address, so the check cannot load the page. " +
  "Look at its EXTERNAL-IP with: `kubectl -n istio-system get service istio-ingressgateway`";

/** The product page as a browser would get it through the ingress gateway: status code and body. */
async function productPage(context: CheckContext): Promise<{ status: string; body: string } | undefined> {
  const base = await ingressGatewayUrl(context);
  if (base === undefined) return undefined;
  const result = await context.run(`curl -s --max-time 10 -w '\\n%{http_code}' '${base}/productpage'`);
  const cut = result.stdout.lastIndexOf("\n");
  return { status: result.stdout.slice(cut + 1).trim(), body: result.stdout.slice(0, Math.max(cut, 0)) };
}

/** The status code a call from inside the mesh (the ratings pod, with its sidecar) gets. */
async function fromRatings(context: CheckContext, url: string): Promise<string> {
  const result = await context.run(`kubectl exec deploy/ratings-v1 -c ratings -- curl -s -o /dev/null --max-time 10 -w '%{http_code}' ${url}`);
  return result.stdout.trim();
}

async function strictMode(context: CheckContext, namespace: string, step: string): Promise<CheckOutcome | undefined> {
  const policy = await readSecurityObject(context, "PeerAuthentication", "default", namespace);
  if (policy === undefined) {
    return context.fail(`There is no PeerAuthentication named default in the namespace ${namespace}. Apply the one of ${step} (the heredoc block with \`mode: STRICT\`).`);
  }
  if (policy.spec?.selector !== undefined) {
    return context.fail(`The PeerAuthentication default in ${namespace} has a selector, so it covers only some workloads. Remove the selector: apply the block of ${step} again.`);
  }
  const mode = policy.spec?.mtls?.mode;
  if (mode !== "STRICT") {
    return context.fail(`The PeerAuthentication default in ${namespace} sets the mode ${mode ?? "UNSET"}, not STRICT. Apply the block of ${step} again.`);
  }
  return undefined;
}

async function namespaceStrict(context: CheckContext): Promise<CheckOutcome> {
  const wrong = await strictMode(context, "default", "step 3");
  if (wrong !== undefined) return wrong;
  const legacy = await context.run("kubectl exec -n legacy deploy/curl -- curl -s -o /dev/null --max-time 10 -w '%{http_code}' http://productpage.default:9080/productpage");
  if (legacy.stdout.trim() === "200") {
    return context.fail("The curl pod in legacy, which has no sidecar, still gets 200 from productpage, so plain text is still accepted. Wait a few seconds and press Check again; if it stays, look at `kubectl get peerauthentication -n default`.");
  }
  // Any HTTP answer proves the mutual TLS connection worked; a 403 from a later step's
  // authorization policy is an answer too. Only 000 (no answer) means the in-mesh call broke.
  const inside = await fromRatings(context, "http://productpage:9080/productpage");
  if (!/^[1-5]\d\d$/.test(inside)) {
    return context.fail("A call from the ratings pod (inside the mesh) to productpage got no answer, so STRICT shut out a client with a sidecar too. Check that `kubectl get pods` shows every Bookinfo pod Running 2/2.");
  }
  return context.pass();
}

async function meshStrict(context: CheckContext): Promise<CheckOutcome> {
  return (await strictMode(context, "istio-system", "step 4")) ?? context.pass();
}

async function allowNothingSet(context: CheckContext): Promise<CheckOutcome> {
  const policy = await readSecurityObject(context, "AuthorizationPolicy", "allow-nothing", "default");
  if (policy === undefined) {
    return context.fail("There is no AuthorizationPolicy allow-nothing in the namespace default. Apply the block of step 5 (the one with `spec: {}`).");
  }
  const spec = policy.spec ?? {};
  if (spec.selector !== undefined || spec.rules !== undefined || (spec.action !== undefined && spec.action !== "ALLOW")) {
    return context.fail("The AuthorizationPolicy allow-nothing is not empty: to deny everything it needs no selector, no rules and the default action ALLOW. Apply the block of step 5 again (`spec: {}`).");
  }
  // ratings → details stays refused in every later step too (details only ever opens to
  // productpage), so pressing Check here again after opening Bookinfo still passes.
  const inside = await fromRatings(context, "http://details:9080/details/0");
  if (inside !== "403") {
    return context.fail(`A call from the ratings pod to details answered ${inside || "nothing"}, not 403, so requests in default are not refused yet. Wait a few seconds and press Check again; if it stays, look at \`kubectl get authorizationpolicy -o yaml\`.`);
  }
  return context.pass();
}

function ruleAllows(policy: Policy | undefined, principal: string): boolean {
  const spec = policy?.spec;
  if (spec?.action !== undefined && spec.action !== "ALLOW") return false;
  return (spec?.rules ?? []).some(
    (rule) =>
      (rule.from ?? []).some((from) => (from.source?.principals ?? []).includes(principal)) &&
      (rule.to ?? []).some((to) => (to.operation?.methods ?? []).includes("GET")),
  );
}

async function productpageOpen(context: CheckContext): Promise<CheckOutcome> {
  const policy = await readSecurityObject(context, "AuthorizationPolicy", "productpage-viewer", "default");
  if (policy === undefined) {
    return context.fail("There is no AuthorizationPolicy productpage-viewer in the namespace default. Apply the block of step 6.");
  }
  if (policy.spec?.selector?.matchLabels?.["app"] !== "productpage") {
    return context.fail("The AuthorizationPolicy productpage-viewer does not select `app: productpage`, so it opens the wrong workload. Apply the block of step 6 again.");
  }
  if (!ruleAllows(policy, "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account")) {
    return context.fail("The AuthorizationPolicy productpage-viewer does not allow GET from the principal `cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account`. Apply the block of step 6 again.");
  }
  const page = await productPage(context);
  if (page === undefined) return context.fail(NO_ADDRESS);
  if (page.status !== "200") {
    return context.fail(`The product page answered ${page.status || "nothing"} through the ingress gateway, not 200. Look at the principal and the paths in \`kubectl get authorizationpolicy productpage-viewer -o yaml\`.`);
  }
  const inside = await fromRatings(context, "http://productpage:9080/productpage");
  if (inside !== "403") {
    return context.fail(`The ratings pod may call productpage (it got ${inside || "nothing"}, not 403): the policy lets in more than the ingress gateway. Keep only the gateway's principal in \`from\`: apply the block of step 6 again.`);
  }
  return context.pass();
}

async function detailsAndReviewsOpen(context: CheckContext): Promise<CheckOutcome> {
  for (const app of ["details", "reviews"]) {
    const policy = await readSecurityObject(context, "AuthorizationPolicy", `${app}-viewer`, "default");
    if (policy === undefined || policy.spec?.selector?.matchLabels?.["app"] !== app || !ruleAllows(policy, "cluster.local/ns/default/sa/bookinfo-productpage")) {
      return context.fail(`There is no AuthorizationPolicy ${app}-viewer that selects \`app: ${app}\` and allows GET from \`cluster.local/ns/default/sa/bookinfo-productpage\`. Apply the block of step 7.`);
    }
  }
  const page = await productPage(context);
  if (page === undefined) return context.fail(NO_ADDRESS);
  const missing = ["details", "reviews"].find((part) => page.body.includes(`Error fetching product ${part}`));
  if (page.status !== "200" || missing !== undefined) {
    return context.fail(`The product page still says "Error fetching product ${missing ?? "details"}". Look at the principal in \`kubectl get authorizationpolicy ${missing ?? "details"}-viewer -o yaml\`: it must be productpage's.`);
  }
  const other = await fromRatings(context, "http://details:9080/details/0");
  if (other !== "403") {
    return context.fail(`The ratings pod may call details (it got ${other || "nothing"}, not 403), so details-viewer lets in more than productpage. Apply the block of step 7 again.`);
  }
  return context.pass();
}

async function ratingsOpen(context: CheckContext): Promise<CheckOutcome> {
  const policy = await readSecurityObject(context, "AuthorizationPolicy", "ratings-viewer", "default");
  if (policy === undefined || policy.spec?.selector?.matchLabels?.["app"] !== "ratings" || !ruleAllows(policy, "cluster.local/ns/default/sa/bookinfo-reviews")) {
    return context.fail("There is no AuthorizationPolicy ratings-viewer that selects `app: ratings` and allows GET from `cluster.local/ns/default/sa/bookinfo-reviews`. Apply the block of step 8.");
  }
  // reviews v1 never calls ratings, so one page can look right by luck: load a few.
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const page = await productPage(context);
    if (page === undefined) return context.fail(NO_ADDRESS);
    if (page.status !== "200" || page.body.includes("Ratings service is currently unavailable") || page.body.includes("Error fetching")) {
      return context.fail("The product page still shows an error where the stars or the reviews should be. Look at the principal in `kubectl get authorizationpolicy ratings-viewer -o yaml`: it must be reviews' (`bookinfo-reviews`).");
    }
  }
  return context.pass();
}

export const steps = defineSteps([
  {
    id: "legacy-client",
    title: "Start a client outside the mesh",
    checks: [
      check.podsReady(
        { namespace: "legacy", selector: "app=curl", containers: 1 },
        {
          name: "A curl pod runs in legacy without a sidecar",
          why: "so there is no client outside the mesh to compare with",
          fix: "kubectl create namespace legacy && kubectl create deployment curl -n legacy --image=curlimages/curl -- sleep infinity",
        },
      ),
    ],
    hints: [
      "The namespace legacy must not have the `istio-injection` label, so its pods get no sidecar.",
      "`kubectl create deployment curl -n legacy --image=curlimages/curl -- sleep infinity` starts a pod that only waits; you run curl in it with `kubectl exec`.",
      "Run the block of step 1 as a whole.",
    ],
    solution: legacyClient,
  },
  {
    id: "httpbin",
    title: "Deploy httpbin to see what a sidecar receives",
    checks: [
      check.podsReady(
        { namespace: "default", selector: "app=httpbin", containers: 2 },
        { name: "httpbin runs in default with its sidecar", why: "so nothing shows the headers a sidecar adds", fix: "kubectl apply -f ~/samples/httpbin/httpbin.yaml" },
      ),
    ],
    hints: ["httpbin's manifest is in your samples: `kubectl apply -f ~/samples/httpbin/httpbin.yaml`."],
    solution: httpbin,
  },
  {
    id: "strict-namespace",
    title: "Require mutual TLS in the namespace default",
    checks: [check.custom("PeerAuthentication STRICT in default: the client outside the mesh is refused, in-mesh calls still work", namespaceStrict)],
    hints: [
      "A PeerAuthentication without a selector covers its whole namespace.",
      "Set `spec.mtls.mode: STRICT` in a PeerAuthentication named default in the namespace default.",
      "Run the heredoc block of step 3.",
    ],
    solution: strictIn("default"),
  },
  {
    id: "strict-mesh",
    title: "Require mutual TLS in the whole mesh",
    checks: [check.custom("PeerAuthentication STRICT in istio-system, the root namespace", meshStrict)],
    hints: [
      "A PeerAuthentication in the root namespace, istio-system, is the mesh-wide default.",
      "Run the heredoc block of step 4: the same PeerAuthentication as in step 3, with `namespace: istio-system`.",
    ],
    solution: strictIn("istio-system"),
  },
  {
    id: "deny-all",
    title: "Deny every request in the namespace default",
    checks: [check.custom("The AuthorizationPolicy allow-nothing refuses requests in default with 403", allowNothingSet)],
    hints: [
      "An ALLOW policy with no rules matches no request, so it allows nothing.",
      "Apply an AuthorizationPolicy named allow-nothing in default with `spec: {}`: the block of step 5.",
    ],
    solution: allowNothing,
  },
  {
    id: "allow-productpage",
    title: "Let the ingress gateway read the product page",
    checks: [check.custom("productpage answers GET from the ingress gateway and refuses other workloads", productpageOpen)],
    hints: [
      "The browser's requests reach productpage through the ingress gateway, so the caller productpage sees is the gateway.",
      "Allow GET on `/productpage` and `/static/*` from the principal `cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account`, on pods labelled `app: productpage`.",
      "Run the heredoc block of step 6.",
    ],
    solution: productpageViewer,
  },
  {
    id: "allow-details-reviews",
    title: "Let productpage read details and reviews",
    checks: [check.custom("details and reviews answer productpage, and nobody else", detailsAndReviewsOpen)],
    hints: [
      "productpage runs as the ServiceAccount bookinfo-productpage in default.",
      "Two ALLOW policies, details-viewer and reviews-viewer, each with `principals: [\"cluster.local/ns/default/sa/bookinfo-productpage\"]` and `methods: [\"GET\"]`.",
      "Run the heredoc block of step 7: it holds both.",
    ],
    solution: detailsAndReviewsViewers,
  },
  {
    id: "allow-ratings",
    title: "Let reviews read ratings",
    checks: [check.custom("The whole product page loads, stars included", ratingsOpen)],
    hints: [
      "Which workload calls ratings? Look at the graph, or at the arrows in the Bookinfo picture.",
      "Allow GET on `app: ratings` from `cluster.local/ns/default/sa/bookinfo-reviews`: the heredoc block of step 8.",
    ],
    solution: ratingsViewer,
  },
]);
