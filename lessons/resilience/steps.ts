// The steps of the resilience lesson; the format is described in lessons/README.md.
import type { CheckContext, CheckOutcome } from "../../server/checks/check-types.ts";
import { check } from "../../server/checks/check.ts";
import { defineSteps } from "../../server/checks/define-steps.ts";
import { ingressGatewayUrl, readIstioObject } from "../../server/checks/mesh-reads.ts";

/** A VirtualService that sends all of one service's traffic to its subset v1. */
function toV1(service: string): string {
  return [
    "apiVersion: networking.istio.io/v1",
    "kind: VirtualService",
    "metadata:",
    `  name: ${service}`,
    "spec:",
    "  hosts:",
    `  - ${service}`,
    "  http:",
    "  - route:",
    "    - destination:",
    `        host: ${service}`,
    "        subset: v1",
  ].join("\n");
}

const jasonReviews = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
  - reviews
  http:
  - match:
    - headers:
        end-user:
          exact: jason
    route:
    - destination:
        host: reviews
        subset: v2
  - route:
    - destination:
        host: reviews
        subset: v1`;

const setup = [
  "kubectl apply -f ~/samples/bookinfo/destination-rule-all.yaml",
  "kubectl apply -f - <<EOF",
  [toV1("productpage"), toV1("ratings"), toV1("details"), jasonReviews].join("\n---\n"),
  "EOF",
  "kubectl apply -f ~/samples/httpbin/httpbin.yaml",
].join("\n");

/** The ratings VirtualService with a fault for jason only; everyone else reaches ratings v1 untouched. */
function ratingsFaultForJason(fault: string[]): string {
  return [
    "kubectl apply -f - <<EOF",
    "apiVersion: networking.istio.io/v1",
    "kind: VirtualService",
    "metadata:",
    "  name: ratings",
    "spec:",
    "  hosts:",
    "  - ratings",
    "  http:",
    "  - match:",
    "    - headers:",
    "        end-user:",
    "          exact: jason",
    "    fault:",
    ...fault,
    "    route:",
    "    - destination:",
    "        host: ratings",
    "        subset: v1",
    "  - route:",
    "    - destination:",
    "        host: ratings",
    "        subset: v1",
    "EOF",
  ].join("\n");
}

const delayForJason = ratingsFaultForJason(["      delay:", "        percentage:", "          value: 100.0", "        fixedDelay: 7s"]);
const abortForJason = ratingsFaultForJason(["      abort:", "        percentage:", "          value: 100.0", "        httpStatus: 500"]);

const timeoutOnReviews = `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
spec:
  hosts:
  - ratings
  http:
  - fault:
      delay:
        percentage:
          value: 100.0
        fixedDelay: 2s
    route:
    - destination:
        host: ratings
        subset: v1
EOF
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
        subset: v2
    timeout: 0.5s
EOF`;

const retriesOnHttpbin = `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: httpbin
spec:
  hosts:
  - httpbin
  http:
  - route:
    - destination:
        host: httpbin
    retries:
      attempts: 3
      perTryTimeout: 2s
      retryOn: 5xx
EOF`;

const circuitBreaker = `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: httpbin
spec:
  host: httpbin
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 1
      http:
        http1MaxPendingRequests: 1
        maxRequestsPerConnection: 1
    outlierDetection:
      consecutive5xxErrors: 1
      interval: 1s
      baseEjectionTime: 3m
      maxEjectionPercent: 100
EOF`;

interface HttpRoute {
  match?: { headers?: Record<string, { exact?: string }> }[];
  route?: { destination?: { host?: string; subset?: string }; weight?: number }[];
  fault?: { delay?: { fixedDelay?: string; percentage?: { value?: number } }; abort?: { httpStatus?: number; percentage?: { value?: number } } };
  timeout?: string;
  retries?: { attempts?: number; perTryTimeout?: string; retryOn?: string };
}

async function httpRoutes(context: CheckContext, name: string): Promise<HttpRoute[] | undefined> {
  const object = await readIstioObject(context, "VirtualService", name);
  if (object === undefined) return undefined;
  return (object as { spec?: { http?: HttpRoute[] } }).spec?.http ?? [];
}

const isJasonRule = (route: HttpRoute | undefined): boolean => route?.match?.[0]?.headers?.["end-user"]?.exact === "jason";
const isCatchAll = (route: HttpRoute | undefined): boolean => route !== undefined && (route.match === undefined || route.match.length === 0);

const NO_ADDRESS =
  "The istio-ingressgateway Service in istio-system has no external address, so the check cannot load the page. " +
  "Look at its EXTERNAL-IP with: `kubectl -n istio-system get service istio-ingressgateway`";

async function productPage(context: CheckContext, base: string, user?: string): Promise<string> {
  const jar = "/tmp/.resilience-check-cookies";
  const login = user === undefined ? "" : `curl -s -o /dev/null -c ${jar} '${base}/login' --data 'username=${user}&passwd=password'; `;
  const cookie = user === undefined ? "" : ` -b ${jar}`;
  const result = await context.run(`${login}curl -s --max-time 15${cookie} '${base}/productpage'`);
  return result.stdout;
}

async function stageSet(context: CheckContext): Promise<CheckOutcome> {
  const rule = await readIstioObject(context, "DestinationRule", "reviews");
  const subsets = ((rule as { spec?: { subsets?: { name?: string }[] } } | undefined)?.spec?.subsets ?? []).map((subset) => subset.name);
  if (!["v1", "v2", "v3"].every((name) => subsets.includes(name))) {
    return context.fail("The DestinationRule reviews does not define the subsets v1, v2 and v3, so routes to them lead nowhere. Run: `kubectl apply -f ~/samples/bookinfo/destination-rule-all.yaml`");
  }
  for (const service of ["productpage", "ratings", "details"]) {
    const routes = await httpRoutes(context, service);
    if (routes === undefined || routes.length === 0) {
      return context.fail(`There is no VirtualService ${service}. Run the setup block of step 1 (the heredoc with four VirtualServices).`);
    }
  }
  const reviews = await httpRoutes(context, "reviews");
  if (!isJasonRule(reviews?.[0]) || reviews?.[0]?.route?.[0]?.destination?.subset !== "v2" || reviews[1]?.route?.[0]?.destination?.subset !== "v1") {
    return context.fail("The VirtualService reviews does not send jason to v2 and everyone else to v1, so the faults of this lesson would not show. Run the setup block of step 1.");
  }
  return context.pass();
}

async function delayForJasonSet(context: CheckContext): Promise<CheckOutcome> {
  const routes = await httpRoutes(context, "ratings");
  const first = routes?.[0];
  const delay = first?.fault?.delay;
  if (!isJasonRule(first) || delay?.fixedDelay !== "7s" || (delay.percentage?.value ?? 100) !== 100) {
    return context.fail("The VirtualService ratings has no first rule that delays every request from jason by 7s. Apply the VirtualService of step 2 (the heredoc block with `fixedDelay: 7s`).");
  }
  if (!isCatchAll(routes?.[1]) || routes?.[1]?.fault !== undefined) {
    return context.fail("The VirtualService ratings lacks a last rule, without match or fault, for everyone who is not jason: without it they would get no route to ratings. Apply the VirtualService of step 2 again.");
  }
  return context.pass();
}

async function abortForJasonSet(context: CheckContext): Promise<CheckOutcome> {
  const routes = await httpRoutes(context, "ratings");
  const first = routes?.[0];
  if (!isJasonRule(first) || first?.fault?.abort?.httpStatus !== 500 || first.fault.delay !== undefined) {
    return context.fail("The first rule of the VirtualService ratings does not abort jason's requests with HTTP 500 (and no delay). Apply the VirtualService of step 3 (the heredoc block with `httpStatus: 500`).");
  }
  const base = await ingressGatewayUrl(context);
  if (base === undefined) return context.fail(NO_ADDRESS);
  if (!(await productPage(context, base, "jason")).includes("Ratings service is currently unavailable")) {
    return context.fail("Signed in as jason, the product page does not say \"Ratings service is currently unavailable\". Check that `kubectl get virtualservice reviews -o yaml` still sends jason to subset v2 (run the setup block of step 1 if not).");
  }
  if ((await productPage(context, base)).includes("Ratings service is currently unavailable")) {
    return context.fail("The product page shows the ratings error to everyone, not only to jason. The fault must sit in the rule that matches `end-user: jason`; apply the VirtualService of step 3 again.");
  }
  return context.pass();
}

async function timeoutSet(context: CheckContext): Promise<CheckOutcome> {
  const reviews = await httpRoutes(context, "reviews");
  const rule = reviews?.[0];
  if (reviews?.length !== 1 || rule?.timeout !== "0.5s" || rule.route?.[0]?.destination?.subset !== "v2") {
    return context.fail("The VirtualService reviews does not send everyone to subset v2 with `timeout: 0.5s`. Run the block of step 4 (two heredocs: ratings, then reviews).");
  }
  const ratings = await httpRoutes(context, "ratings");
  if (ratings?.[0]?.fault?.delay?.fixedDelay !== "2s" || !isCatchAll(ratings[0])) {
    return context.fail("The VirtualService ratings does not delay every request by 2s, so reviews answers in time and the timeout never fires. Run the block of step 4 (two heredocs: ratings, then reviews).");
  }
  const base = await ingressGatewayUrl(context);
  if (base === undefined) return context.fail(NO_ADDRESS);
  if (!(await productPage(context, base)).includes("Sorry, product reviews are currently unavailable for this book.")) {
    return context.fail("The product page still shows reviews, so the 0.5 s timeout on reviews did not fire. Look at `kubectl get virtualservice reviews -o yaml` and `kubectl get virtualservice ratings -o yaml`.");
  }
  return context.pass();
}

async function retriesSet(context: CheckContext): Promise<CheckOutcome> {
  const routes = await httpRoutes(context, "httpbin");
  if (routes === undefined) return context.fail("There is no VirtualService httpbin. Apply the VirtualService of step 5 (the heredoc block with `retries`).");
  const retries = routes[0]?.retries;
  if (retries?.attempts !== 3 || retries.perTryTimeout !== "2s" || !(retries.retryOn ?? "").split(",").includes("5xx")) {
    return context.fail("The VirtualService httpbin does not retry 5xx answers 3 times with a per-try timeout of 2s. Apply the VirtualService of step 5 (the heredoc block with `retries`).");
  }
  // The probe asks for 502, not the 500 the lesson counts, so pressing Check leaves the
  // learner's count of /status/500 attempts in httpbin's access log as the lesson shows it.
  const probe = await context.run("kubectl exec deploy/ratings-v1 -c ratings -- curl -s -o /dev/null -w '%{http_code}' http://httpbin:8000/status/502");
  if (probe.stdout.trim() !== "502") {
    return context.fail(`A call to httpbin's /status/502 from the ratings pod answered ${probe.stdout.trim() || "nothing"}, not 502. Check \`kubectl get pods -l app=httpbin\` shows it Running 2/2.`);
  }
  return context.pass();
}

async function circuitBreakerSet(context: CheckContext): Promise<CheckOutcome> {
  const rule = await readIstioObject(context, "DestinationRule", "httpbin");
  if (rule === undefined) return context.fail("There is no DestinationRule httpbin. Apply the DestinationRule of step 6 (the heredoc block with `connectionPool`).");
  const policy = (rule as { spec?: { trafficPolicy?: { connectionPool?: { tcp?: { maxConnections?: number }; http?: { http1MaxPendingRequests?: number } }; outlierDetection?: { consecutive5xxErrors?: number } } } }).spec?.trafficPolicy;
  if (policy?.connectionPool?.tcp?.maxConnections !== 1 || policy.connectionPool.http?.http1MaxPendingRequests !== 1) {
    return context.fail("The DestinationRule httpbin does not limit the pool to 1 connection and 1 pending request. Apply the DestinationRule of step 6 (the heredoc block with `connectionPool`).");
  }
  if (policy.outlierDetection?.consecutive5xxErrors !== 1) {
    return context.fail("The DestinationRule httpbin has no outlierDetection with `consecutive5xxErrors: 1`. Apply the DestinationRule of step 6 again.");
  }
  return context.pass();
}

export const steps = defineSteps([
  {
    id: "setup",
    title: "Set the stage: routing rules and a service that fails on demand",
    checks: [
      check.custom("Subsets are defined, and reviews sends jason to v2 and everyone else to v1", stageSet),
      check.podsReady(
        { namespace: "default", selector: "app=httpbin", containers: 2 },
        { why: "so the retry and circuit-breaker steps have nothing to call", fix: "kubectl apply -f ~/samples/httpbin/httpbin.yaml" },
      ),
    ],
    hints: [
      "This lesson starts from the rules the Traffic management lesson ended with before its shift to v3: subsets, everything on v1, jason on v2.",
      "Run the setup block of step 1 as a whole: it applies the destination rules, four VirtualServices and httpbin.",
    ],
    solution: setup,
  },
  {
    id: "delay",
    title: "Inject a 7 second delay for jason",
    checks: [check.custom("The VirtualService ratings delays jason's requests by 7s and leaves everyone else alone", delayForJasonSet)],
    hints: [
      "A fault belongs to a rule of the VirtualService of the service you want to slow down: ratings.",
      "Give ratings two rules: first one matching `end-user: jason` with `fault: delay: fixedDelay: 7s` (100 percent), then one without match. Both route to subset v1.",
      "Run the heredoc block of step 2.",
    ],
    solution: delayForJason,
  },
  {
    id: "abort",
    title: "Make ratings fail for jason with HTTP 500",
    checks: [check.custom("Signed in as jason the page reports the ratings service unavailable; anyone else sees no error", abortForJasonSet)],
    hints: [
      "Replace the delay in the jason rule with `fault: abort: httpStatus: 500`.",
      "Run the heredoc block of step 3, then load the page as jason with `-b cookies.txt`.",
    ],
    solution: abortForJason,
  },
  {
    id: "timeout",
    title: "Put a 0.5 second timeout on calls to reviews",
    checks: [check.custom("reviews answers within 0.5 s or not at all, and the page shows the reviews error", timeoutSet)],
    hints: [
      "Two changes: ratings gets slow for everyone (a 2s delay without match), and reviews gets `timeout: 0.5s` on its route to v2.",
      "Run the block of step 4: it holds both heredocs.",
    ],
    solution: timeoutOnReviews,
  },
  {
    id: "retries",
    title: "Retry failed calls to httpbin",
    checks: [check.custom("The VirtualService httpbin retries 5xx answers 3 times, 2 s per try", retriesSet)],
    hints: [
      "Retries are part of a VirtualService rule, next to `route`.",
      "Apply a VirtualService httpbin with `retries: attempts: 3, perTryTimeout: 2s, retryOn: 5xx`: the heredoc block of step 5.",
    ],
    solution: retriesOnHttpbin,
  },
  {
    id: "circuit-breaker",
    title: "Add a circuit breaker to httpbin",
    checks: [check.custom("The DestinationRule httpbin limits its connection pool and ejects failing pods", circuitBreakerSet)],
    hints: [
      "Connection limits and outlier detection live in a DestinationRule's `trafficPolicy`, not in a VirtualService.",
      "Apply the heredoc block of step 6: `connectionPool` with 1 connection and 1 pending request, `outlierDetection` with `consecutive5xxErrors: 1`.",
    ],
    solution: circuitBreaker,
  },
]);
