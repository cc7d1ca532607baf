// The steps of the gateways lesson; the format is described in lessons/README.md.
import type { CheckContext, CheckOutcome } from "../../server/checks/check-types.ts";
import { check } from "../../server/checks/check.ts";
import { defineSteps } from "../../server/checks/define-steps.ts";

const applySample = "kubectl apply -f ~/samples/bookinfo/bookinfo-gateway.yaml";
const hostName = "bookinfo.example.com";

// The checks ask the ingress gateway exactly as the learner does: through the external
// address of its LoadBalancer Service, not through a name only the cluster knows. They read
// the address themselves rather than trust $GATEWAY_URL, which may be unset or stale.
async function ingressUrl(context: CheckContext): Promise<string | undefined> {
  try {
    const service = await context.core.readNamespacedService({ name: "istio-ingressgateway", namespace: "istio-system" });
    const ingress = service.status?.loadBalancer?.ingress?.[0];
    const address = ingress?.ip ?? ingress?.hostname;
    const port = service.spec?.ports?.find((entry) => entry.name === "http2")?.port;
    return address === undefined || port === undefined ? undefined : `http://${address}:${port}`;
  } catch {
    return undefined;
  }
}

const NO_ADDRESS =
  "The istio-ingressgateway Service in istio-system has no external address, so nothing outside the cluster can reach it. " +
  "Look at its EXTERNAL-IP with: `kubectl -n istio-system get service istio-ingressgateway`";

/** Status code and body of a GET through the ingress gateway, with an optional Host header. */
async function fetchThroughGateway(context: CheckContext, base: string, host?: string): Promise<{ status: string; body: string }> {
  const header = host === undefined ? "" : ` -H 'Host: ${host}'`;
  const result = await context.run(`curl -s --max-time 10${header} -w '\\n%{http_code}' '${base}/productpage'`);
  const lines = result.stdout.split("\n");
  const status = lines.pop()?.trim() ?? "000";
  return { status, body: lines.join("\n") };
}

async function bookinfoThroughGateway(context: CheckContext): Promise<CheckOutcome> {
  const base = await ingressUrl(context);
  if (base === undefined) return context.fail(NO_ADDRESS);
  const { status, body } = await fetchThroughGateway(context, base, hostName);
  if (status === "000") {
    return context.fail(
      `The ingress gateway at ${base} refuses connections, because no Gateway has opened a port on it yet. Run: \`${applySample}\``,
    );
  }
  if (status === "404") {
    return context.fail(
      `The ingress gateway answers ${base}/productpage with 404, so no VirtualService bound to bookinfo-gateway routes /productpage. ` +
        `Compare \`kubectl get virtualservice bookinfo -o yaml\` with the sample, or run: \`${applySample}\``,
    );
  }
  if (status !== "200" || !body.includes("<title>Simple Bookstore App</title>")) {
    return context.fail(`The ingress gateway answers ${base}/productpage with status ${status}, not Bookinfo's page. Check \`kubectl get pods\` shows productpage Running 2/2, then run: \`${applySample}\``);
  }
  return context.pass();
}

async function routedByHost(context: CheckContext): Promise<CheckOutcome> {
  const base = await ingressUrl(context);
  if (base === undefined) return context.fail(NO_ADDRESS);
  const named = await fetchThroughGateway(context, base, hostName);
  if (named.status !== "200" || !named.body.includes("<title>Simple Bookstore App</title>")) {
    return context.fail(
      `A request for ${base}/productpage with \`Host: ${hostName}\` answers ${named.status}, not Bookinfo's page, ` +
        `so the VirtualService bookinfo does not serve ${hostName}. Apply the VirtualService of step 2 with \`hosts: ["${hostName}"]\` ` +
        "(the heredoc block in the lesson), then look at `kubectl get virtualservice bookinfo`",
    );
  }
  const bare = await fetchThroughGateway(context, base);
  if (bare.status !== "404") {
    return context.fail(
      `A request for ${base}/productpage without a host name still answers ${bare.status}, so the VirtualService bookinfo still serves every host ("*"). ` +
        `Replace \`"*"\` with \`"${hostName}"\` in its hosts: apply the VirtualService of step 2 (the heredoc block in the lesson)`,
    );
  }
  return context.pass();
}

const virtualService = [
  "kubectl apply -f - <<EOF",
  "apiVersion: networking.istio.io/v1",
  "kind: VirtualService",
  "metadata:",
  "  name: bookinfo",
  "spec:",
  "  hosts:",
  `  - "${hostName}"`,
  "  gateways:",
  "  - bookinfo-gateway",
  "  http:",
  "  - match:",
  "    - uri:",
  "        exact: /productpage",
  "    - uri:",
  "        prefix: /static",
  "    - uri:",
  "        exact: /login",
  "    - uri:",
  "        exact: /logout",
  "    - uri:",
  "        prefix: /api/v1/products",
  "    route:",
  "    - destination:",
  "        host: productpage",
  "        port:",
  "          number: 9080",
  "EOF",
].join("\n");

export const steps = defineSteps([
  {
    id: "apply-gateway",
    title: "Publish Bookinfo with a Gateway and a VirtualService",
    checks: [
      check.exists(
        { kind: "Gateway", namespace: "default", name: "bookinfo-gateway" },
        { why: "so the ingress gateway opens no port for Bookinfo", fix: applySample },
      ),
      check.exists(
        { kind: "VirtualService", namespace: "default", name: "bookinfo" },
        { why: "so the ingress gateway has no route to productpage", fix: applySample },
      ),
      // With the sample's "*" any host works; after step 2 only bookinfo.example.com does, so
      // the check asks with that name and stays true for the rest of the lesson.
      check.custom("The product page answers through the ingress gateway's external address", bookinfoThroughGateway),
    ],
    hints: [
      "Bookinfo's Gateway and VirtualService are in one sample file next to bookinfo.yaml; read it with `cat ~/samples/bookinfo/bookinfo-gateway.yaml`.",
      `Apply it: \`${applySample}\`.`,
      'Then test from the outside: `curl -s "http://$GATEWAY_URL/productpage" | grep -o "<title>.*</title>"` (set GATEWAY_URL first with the export block of the lesson).',
    ],
    solution: applySample,
  },
  {
    id: "route-by-host",
    title: "Serve Bookinfo only for bookinfo.example.com",
    checks: [check.custom(`Bookinfo answers for Host ${hostName} and for no other host`, routedByHost)],
    hints: [
      "The host names a VirtualService serves are in its `hosts` list; the sample sets it to `\"*\"`.",
      `Apply the VirtualService bookinfo again with \`hosts: ["${hostName}"]\` and everything else unchanged: the heredoc block of step 2 does exactly that.`,
      `Test both sides: \`curl -s -o /dev/null -w '%{http_code}\\n' "http://$GATEWAY_URL/productpage"\` should print 404, and the same with \`-H "Host: ${hostName}"\` should print 200.`,
    ],
    solution: virtualService,
  },
]);
