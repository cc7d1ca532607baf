// The steps of the control-and-data-plane lesson; the format is described in lessons/README.md.
import { check } from "../../server/checks/check.ts";
import { defineSteps } from "../../server/checks/define-steps.ts";

const install = "istioctl install --set profile=demo -y";

export const steps = defineSteps([
  {
    id: "install-istio",
    title: "Install Istio with the demo profile",
    checks: [
      check.rolledOut(
        { namespace: "istio-system", name: "istiod" },
        { why: "so there is no control plane to configure the proxies yet", fix: install },
      ),
      check.podsReady(
        { namespace: "istio-system", selector: "app=istio-ingressgateway", containers: 1 },
        { name: "The ingress gateway's Envoy is Ready", why: "so nothing can enter the mesh from outside yet", fix: install },
      ),
      check.podsReady(
        { namespace: "istio-system", selector: "app=istio-egressgateway", containers: 1 },
        {
          name: "The egress gateway's Envoy is Ready",
          why: "and only the demo profile installs an egress gateway: install again with --set profile=demo",
          fix: install,
        },
      ),
    ],
    hints: [
      "Istio is installed with `istioctl install`; the profile is chosen with `--set profile=…`.",
      "Add `-y` so istioctl does not stop to ask for confirmation.",
      "Type `istioctl install --set profile=demo -y` and wait for `✔ Installation complete`.",
    ],
    solution: install,
  },
  {
    id: "push-configuration",
    title: "Watch istiod push a Gateway to the ingress proxy",
    checks: [
      check.exists(
        { kind: "Gateway", namespace: "default", name: "hello-gateway" },
        { why: "so istiod has no new configuration to send", fix: "kubectl apply -f ~/hello-gateway.yaml" },
      ),
      check.httpResponds(
        { url: "http://istio-ingressgateway.istio-system/", status: 404, responseHeaders: { server: "istio-envoy" } },
        {
          name: "The ingress gateway's Envoy answers on port 80",
          why: "so the gateway has no listener for port 80 yet: check that hello-gateway selects istio=ingressgateway and look at `istioctl proxy-status`",
        },
      ),
    ],
    hints: [
      "First write the Gateway into `~/hello-gateway.yaml` with the heredoc block in the lesson, then apply the file.",
      "`kubectl apply -f ~/hello-gateway.yaml` sends it to the cluster; istiod does the rest within a second.",
      "If the file is wrong, delete it with `rm ~/hello-gateway.yaml`, run the heredoc block again and apply it again.",
    ],
    solution: [
      "cat <<EOF > ~/hello-gateway.yaml",
      "apiVersion: networking.istio.io/v1",
      "kind: Gateway",
      "metadata:",
      "  name: hello-gateway",
      "spec:",
      "  selector:",
      "    istio: ingressgateway",
      "  servers:",
      "  - port:",
      "      number: 80",
      "      name: http",
      "      protocol: HTTP",
      "    hosts:",
      '    - "*"',
      "EOF",
      "kubectl apply -f ~/hello-gateway.yaml",
    ].join("\n"),
  },
]);
