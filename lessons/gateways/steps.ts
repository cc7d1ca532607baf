// The steps of the gateways lesson; the format is described in lessons/README.md.
import type { CheckContext, CheckOutcome } from "../../server/checks/check-types.ts";
import { check } from "../../server/checks/check.ts";
import { defineSteps } from "../../server/checks/define-steps.ts";
import { ingressGatewayUrl } from "../../server/checks/mesh-reads.ts";
import { readObject } from "../../server/checks/object-ref.ts";

const applySample = "kubectl apply -f ~/samples/bookinfo/bookinfo-gateway.yaml";
const hostName = "bookinfo.example.com";

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
  const base = await ingressGatewayUrl(context);
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
  const base = await ingressGatewayUrl(context);
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

// The Gateway API's own door (step 3): the CRDs, a Gateway of class istio and an HTTPRoute.
// The docs' command: it installs the standard CRDs only when the cluster lacks them.
const installCrds =
  'kubectl get crd gateways.gateway.networking.k8s.io &> /dev/null || { kubectl kustomize "github.com/kubernetes-sigs/gateway-api/config/crd?ref=v1.6.0" | kubectl apply -f -; }';
const gatewayApiRef = { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", namespace: "default", name: "bookinfo-gateway" };
const APPLY_GATEWAY_API = "apply the Gateway and HTTPRoute of step 3 (the heredoc block that starts with `kubectl apply -f - <<EOF` and `kind: Gateway`)";

interface GatewayApiStatus {
  spec?: { gatewayClassName?: string; listeners?: { name?: string; port?: number }[] };
  status?: { addresses?: { value?: string }[]; conditions?: { type?: string; status?: string; reason?: string; message?: string }[] };
}

/**
 * The Gateway API Gateway bookinfo-gateway, or a message that says which of its
 * prerequisites is missing: the CRDs first, then the object itself.
 */
async function readGatewayApiGateway(context: CheckContext): Promise<{ gateway: GatewayApiStatus } | { problem: string }> {
  const crd = await readObject(context, { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", name: "gateways.gateway.networking.k8s.io" });
  if (crd === undefined) {
    return {
      problem:
        "The cluster has no Gateway API yet: the CustomResourceDefinition gateways.gateway.networking.k8s.io is missing, so Kubernetes does not know the kinds Gateway (of the Gateway API) and HTTPRoute. " +
        `Install the CRDs with: \`${installCrds}\``,
    };
  }
  const gateway = (await readObject(context, gatewayApiRef)) as GatewayApiStatus | undefined;
  if (gateway === undefined) {
    return {
      problem:
        "There is no Gateway API Gateway bookinfo-gateway in namespace default (`kubectl get gtw` lists none; the Istio Gateway of the same name is another kind). " +
        `To create it, ${APPLY_GATEWAY_API}`,
    };
  }
  return { gateway };
}

async function gatewayApiProgrammed(context: CheckContext): Promise<CheckOutcome> {
  const read = await readGatewayApiGateway(context);
  if ("problem" in read) return context.fail(read.problem);
  const { gateway } = read;
  if (gateway.spec?.gatewayClassName !== "istio") {
    return context.fail(
      `The Gateway bookinfo-gateway asks for class \`${gateway.spec?.gatewayClassName ?? ""}\`, and only the class \`istio\` belongs to istiod, so no proxy is deployed for it. ` +
        `Set \`gatewayClassName: istio\`: ${APPLY_GATEWAY_API}`,
    );
  }
  const programmed = gateway.status?.conditions?.find((condition) => condition.type === "Programmed");
  if (programmed?.status === "True") return context.pass();
  if (programmed?.reason === "AddressNotAssigned") {
    return context.fail(
      `The Gateway bookinfo-gateway is not Programmed: its Service bookinfo-gateway-istio has no external address yet (${programmed.message ?? "address pending"}). ` +
        "Look at its EXTERNAL-IP with `kubectl get service bookinfo-gateway-istio`, then wait with: `kubectl wait --for=condition=programmed gtw bookinfo-gateway`",
    );
  }
  const detail = programmed === undefined ? "istiod has not reported a Programmed condition for it yet" : `${programmed.reason ?? "not programmed"}: ${programmed.message ?? ""}`;
  return context.fail(
    `The Gateway bookinfo-gateway is not Programmed (${detail}). Read its conditions with \`kubectl describe gtw bookinfo-gateway\`, ` +
      "then wait with: `kubectl wait --for=condition=programmed gtw bookinfo-gateway`",
  );
}

// Asks the Gateway's own proxy, at the address its status reports, as the learner does with
// INGRESS_HOST and INGRESS_PORT; the old istio-ingressgateway must not be what answers.
async function bookinfoThroughGatewayApi(context: CheckContext): Promise<CheckOutcome> {
  const read = await readGatewayApiGateway(context);
  if ("problem" in read) return context.fail(read.problem);
  const address = read.gateway.status?.addresses?.[0]?.value;
  const listeners = read.gateway.spec?.listeners ?? [];
  const port = (listeners.find((listener) => listener.name === "http") ?? listeners[0])?.port;
  if (address === undefined || port === undefined) {
    return context.fail(
      "The Gateway bookinfo-gateway reports no address in its status yet, so there is nowhere to send a request. " +
        "istiod writes the address once it has programmed the Gateway: look at the ADDRESS and PROGRAMMED columns of `kubectl get gtw bookinfo-gateway`, " +
        "and wait with: `kubectl wait --for=condition=programmed gtw bookinfo-gateway`",
    );
  }
  const base = `http://${address}:${port}`;
  const { status, body } = await fetchThroughGateway(context, base, hostName);
  if (status === "000") {
    return context.fail(
      `Nothing answers at ${base}, the Gateway's address: its proxy is probably still starting. ` +
        "Wait for it with `kubectl rollout status deployment bookinfo-gateway-istio`, and check `kubectl get pods` shows it Running 1/1",
    );
  }
  if (status === "404") {
    return context.fail(
      `The Gateway at ${base} answers /productpage with 404 for \`Host: ${hostName}\`, so no HTTPRoute attached to bookinfo-gateway routes it. ` +
        `\`kubectl get httproute bookinfo\` should show HOSTNAMES ["${hostName}"]; to fix it, ${APPLY_GATEWAY_API}`,
    );
  }
  if (status !== "200" || !body.includes("<title>Simple Bookstore App</title>")) {
    return context.fail(
      `The Gateway at ${base} answers /productpage with status ${status}, not Bookinfo's page. ` +
        "Check `kubectl get pods` shows productpage Running 2/2, and that the HTTPRoute's backendRefs name the Service productpage on port 9080",
    );
  }
  return context.pass();
}

const gatewayApiResources = [
  "kubectl apply -f - <<EOF",
  "apiVersion: gateway.networking.k8s.io/v1",
  "kind: Gateway",
  "metadata:",
  "  name: bookinfo-gateway",
  "spec:",
  "  gatewayClassName: istio",
  "  listeners:",
  "  - name: http",
  "    port: 80",
  "    protocol: HTTP",
  "    allowedRoutes:",
  "      namespaces:",
  "        from: Same",
  "---",
  "apiVersion: gateway.networking.k8s.io/v1",
  "kind: HTTPRoute",
  "metadata:",
  "  name: bookinfo",
  "spec:",
  "  parentRefs:",
  "  - name: bookinfo-gateway",
  "  hostnames:",
  `  - "${hostName}"`,
  "  rules:",
  "  - matches:",
  "    - path:",
  "        type: Exact",
  "        value: /productpage",
  "    - path:",
  "        type: PathPrefix",
  "        value: /static",
  "    - path:",
  "        type: Exact",
  "        value: /login",
  "    - path:",
  "        type: Exact",
  "        value: /logout",
  "    - path:",
  "        type: PathPrefix",
  "        value: /api/v1/products",
  "    backendRefs:",
  "    - name: productpage",
  "      port: 9080",
  "EOF",
].join("\n");

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
  {
    id: "gateway-api",
    title: "Publish Bookinfo with the Kubernetes Gateway API",
    checks: [
      check.custom("The Gateway API Gateway bookinfo-gateway is Programmed", gatewayApiProgrammed),
      check.custom(`Bookinfo answers through the Gateway's own address for Host ${hostName}`, bookinfoThroughGatewayApi),
    ],
    hints: [
      "The Gateway API's kinds are CustomResourceDefinitions: install them first with the `kubectl get crd … || { kubectl kustomize … | kubectl apply -f -; }` block of step 3.",
      "Then apply the Gateway (class `istio`, one listener `http` on port 80) and the HTTPRoute (`parentRefs` naming bookinfo-gateway, `hostnames` with bookinfo.example.com): the heredoc block of step 3.",
      "Wait for it with `kubectl wait --for=condition=programmed gtw bookinfo-gateway` and `kubectl rollout status deployment bookinfo-gateway-istio`, then export INGRESS_HOST from `kubectl get gtw bookinfo-gateway -o jsonpath='{.status.addresses[0].value}'` and curl with `-H \"Host: bookinfo.example.com\"`.",
    ],
    solution: [
      installCrds,
      gatewayApiResources,
      "kubectl wait --for=condition=programmed gtw bookinfo-gateway",
      "kubectl rollout status deployment bookinfo-gateway-istio",
    ].join("\n"),
  },
]);
