// The steps of the traffic-management lesson; the format is described in lessons/README.md.
import type { CheckContext, CheckOutcome } from "../../server/checks/check-types.ts";
import { check } from "../../server/checks/check.ts";
import { defineSteps } from "../../server/checks/define-steps.ts";
import { ingressGatewayUrl, readIstioObject } from "../../server/checks/mesh-reads.ts";

const applyRules = "kubectl apply -f ~/samples/bookinfo/destination-rule-all.yaml";

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

const allToV1 = ["kubectl apply -f - <<EOF", ["productpage", "reviews", "ratings", "details"].map(toV1).join("\n---\n"), "EOF"].join("\n");

const jasonToV2 = `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
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
        subset: v1
EOF`;

const fiftyFifty = `kubectl apply -f - <<EOF
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
      weight: 50
    - destination:
        host: reviews
        subset: v3
      weight: 50
EOF`;

const allToV3 = `kubectl apply -f - <<EOF
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
        subset: v3
EOF`;

interface Destination {
  host?: string;
  subset?: string;
}
interface RouteEntry {
  destination?: Destination;
  weight?: number;
}
interface HttpRoute {
  match?: { headers?: Record<string, { exact?: string }> }[];
  route?: RouteEntry[];
}

async function httpRoutes(context: CheckContext, name: string): Promise<HttpRoute[] | undefined> {
  const object = await readIstioObject(context, "VirtualService", name);
  if (object === undefined) return undefined;
  const spec = (object as { spec?: { http?: HttpRoute[] } }).spec;
  return spec?.http ?? [];
}

/** The route a request without special headers takes: the last rule without a match. */
function defaultRoute(routes: HttpRoute[]): RouteEntry[] | undefined {
  return routes.find((route) => route.match === undefined || route.match.length === 0)?.route;
}

function describeRoute(entries: RouteEntry[] | undefined): string {
  if (entries === undefined || entries.length === 0) return "nowhere";
  return entries.map((entry) => `${entry.destination?.subset ?? "no subset"}${entry.weight === undefined ? "" : ` (weight ${entry.weight})`}`).join(", ");
}

/** Star colours on the product page, one word per request: none, black or red. */
async function starColours(context: CheckContext, base: string, requests: number, user?: string): Promise<string[]> {
  const jar = "/tmp/.traffic-management-check-cookies";
  const login = user === undefined ? "" : `curl -s -o /dev/null -c ${jar} '${base}/login' --data 'username=${user}&passwd=password'; `;
  const cookie = user === undefined ? "" : ` -b ${jar}`;
  const script =
    `${login}for i in $(seq 1 ${requests}); do page=$(curl -s --max-time 10${cookie} '${base}/productpage'); ` +
    `if echo "$page" | grep -q text-red-500; then echo red; elif echo "$page" | grep -q text-black-500; then echo black; ` +
    `elif echo "$page" | grep -q 'Book Reviews'; then echo none; else echo error; fi; done`;
  const result = await context.run(script);
  return result.stdout.split("\n").map((line) => line.trim()).filter((line) => line !== "");
}

const NO_ADDRESS =
  "The istio-ingressgateway Service in istio-system has no external address, so the check cannot load the page. " +
  "Look at its EXTERNAL-IP with: `kubectl -n istio-system get service istio-ingressgateway`";

async function subsetsDefined(context: CheckContext): Promise<CheckOutcome> {
  const missing: string[] = [];
  for (const [service, subsets] of [["productpage", ["v1"]], ["reviews", ["v1", "v2", "v3"]], ["ratings", ["v1"]], ["details", ["v1"]]] as const) {
    const rule = await readIstioObject(context, "DestinationRule", service);
    const names = ((rule as { spec?: { subsets?: { name?: string }[] } } | undefined)?.spec?.subsets ?? []).map((subset) => subset.name);
    for (const subset of subsets) if (!names.includes(subset)) missing.push(`${service} ${subset}`);
  }
  if (missing.length > 0) {
    return context.fail(`No DestinationRule defines the subsets ${missing.join(", ")}, so a VirtualService that names them would send requests nowhere. Run: \`${applyRules}\``);
  }
  return context.pass();
}

async function everythingToV1(context: CheckContext): Promise<CheckOutcome> {
  for (const service of ["productpage", "reviews", "ratings", "details"]) {
    const routes = await httpRoutes(context, service);
    if (routes === undefined) {
      return context.fail(`There is no VirtualService ${service}, so its requests still go to every version. Apply the four VirtualServices of step 2 (the heredoc block in the lesson).`);
    }
    const route = defaultRoute(routes);
    if (route === undefined || route.length !== 1 || route[0]?.destination?.subset !== "v1") {
      return context.fail(`The VirtualService ${service} sends requests to ${describeRoute(route)}, not to subset v1 only. Apply the four VirtualServices of step 2 again (the heredoc block in the lesson).`);
    }
  }
  const base = await ingressGatewayUrl(context);
  if (base === undefined) return context.fail(NO_ADDRESS);
  const seen = await starColours(context, base, 4);
  if (seen.some((colour) => colour !== "none")) {
    return context.fail(`Four loads of the product page showed ${seen.join(", ")}: some still have stars or failed, so not every request reaches reviews v1. Check \`kubectl get virtualservice reviews -o yaml\` routes to subset v1.`);
  }
  return context.pass();
}

async function jasonSeesV2(context: CheckContext): Promise<CheckOutcome> {
  const routes = await httpRoutes(context, "reviews");
  const first = routes?.[0];
  const header = first?.match?.[0]?.headers?.["end-user"]?.exact;
  if (header !== "jason" || first?.route?.[0]?.destination?.subset !== "v2") {
    return context.fail(
      "The first rule of the VirtualService reviews does not send requests with the header `end-user: jason` to subset v2. " +
        "Apply the VirtualService of step 3 (the heredoc block with `match: - headers: end-user: exact: jason`).",
    );
  }
  const base = await ingressGatewayUrl(context);
  if (base === undefined) return context.fail(NO_ADDRESS);
  const jason = await starColours(context, base, 3, "jason");
  if (jason.some((colour) => colour !== "black")) {
    return context.fail(`Signed in as jason, three loads of the product page showed ${jason.join(", ")} instead of black stars every time. Look at \`kubectl get virtualservice reviews -o yaml\`: the jason rule must come first and name subset v2.`);
  }
  const anonymous = await starColours(context, base, 3);
  if (anonymous.some((colour) => colour !== "none")) {
    return context.fail(`Without signing in, three loads showed ${anonymous.join(", ")} instead of no stars. The last rule of the VirtualService reviews, without a match, must send everyone else to subset v1.`);
  }
  return context.pass();
}

async function splitV1V3(context: CheckContext): Promise<CheckOutcome> {
  const routes = await httpRoutes(context, "reviews");
  if (routes === undefined) return context.fail(`There is no VirtualService reviews. Apply the VirtualService of step 4 (the heredoc block with two weights).`);
  const route = defaultRoute(routes) ?? [];
  const weightOf = (subset: string): number | undefined => route.find((entry) => entry.destination?.subset === subset)?.weight;
  if (routes.length !== 1 || route.length !== 2 || weightOf("v1") !== 50 || weightOf("v3") !== 50) {
    return context.fail(`The VirtualService reviews sends requests to ${describeRoute(route)}${routes.length > 1 ? " after other rules" : ""}, not 50 to v1 and 50 to v3 for everyone. Apply the VirtualService of step 4 (the heredoc block with two weights).`);
  }
  return context.pass();
}

async function everythingToV3(context: CheckContext): Promise<CheckOutcome> {
  const routes = await httpRoutes(context, "reviews");
  const route = routes === undefined ? undefined : defaultRoute(routes);
  if (routes === undefined || routes.length !== 1 || route?.length !== 1 || route[0]?.destination?.subset !== "v3") {
    return context.fail(`The VirtualService reviews sends requests to ${describeRoute(route)}, not to subset v3 alone. Apply the VirtualService of step 5 (the heredoc block with subset v3 and no weights).`);
  }
  const base = await ingressGatewayUrl(context);
  if (base === undefined) return context.fail(NO_ADDRESS);
  const seen = await starColours(context, base, 4);
  if (seen.some((colour) => colour !== "red")) {
    return context.fail(`Four loads of the product page showed ${seen.join(", ")} instead of red stars every time. Look at \`kubectl get virtualservice reviews -o yaml\`.`);
  }
  return context.pass();
}

export const steps = defineSteps([
  {
    id: "destination-rules",
    title: "Name the versions with destination rules",
    checks: [check.custom("DestinationRules define the subsets v1 of every service and v1, v2, v3 of reviews", subsetsDefined)],
    hints: [
      "Subsets are defined in DestinationRules, one per service; Bookinfo's are in a sample file.",
      "Read it with `cat ~/samples/bookinfo/destination-rule-all.yaml`.",
      `Apply it: \`${applyRules}\`.`,
    ],
    solution: applyRules,
  },
  {
    id: "all-to-v1",
    title: "Send every request to version v1",
    checks: [check.custom("Every service's VirtualService routes to subset v1, and the page shows no stars", everythingToV1)],
    hints: [
      "You need one VirtualService per service, each with a single route to `subset: v1`.",
      "The heredoc block of step 2 holds all four, separated by `---`; run it as a whole.",
      'Then load the page a few times: `curl -s "http://$GATEWAY_URL/productpage" | grep -c "glyphicon glyphicon-star"` should print 0 every time.',
    ],
    solution: allToV1,
  },
  {
    id: "jason-to-v2",
    title: "Send the user jason to reviews v2",
    checks: [check.custom("Signed in as jason the page shows black stars; anyone else sees none", jasonSeesV2)],
    hints: [
      "productpage adds an `end-user` header to its call to reviews when someone is signed in. A VirtualService rule can match on it.",
      "Replace the VirtualService reviews with two rules: first `match: - headers: end-user: exact: jason` routing to subset v2, then a rule without match routing to v1.",
      "Run the heredoc block of step 3, then sign in with the cookie jar and count stars.",
    ],
    solution: jasonToV2,
  },
  {
    id: "shift-50-50",
    title: "Shift half of the traffic to reviews v3",
    checks: [check.custom("The VirtualService reviews splits every request 50/50 between v1 and v3", splitV1V3)],
    hints: [
      "A route can list several destinations, each with a `weight`; the weights add up to 100.",
      "The VirtualService reviews needs one rule with two destinations: subset v1 with weight 50 and subset v3 with weight 50.",
      "Run the heredoc block of step 4.",
    ],
    solution: fiftyFifty,
  },
  {
    id: "all-to-v3",
    title: "Finish the rollout: everything to reviews v3",
    checks: [check.custom("The VirtualService reviews sends everything to v3, and the page shows red stars", everythingToV3)],
    hints: [
      "The last step of a rollout is a route with a single destination.",
      "Apply the VirtualService reviews with one destination, `subset: v3`, and no weights: the heredoc block of step 5.",
    ],
    solution: allToV3,
  },
]);
