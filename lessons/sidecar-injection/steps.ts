// The steps of the sidecar-injection lesson; the format is described in lessons/README.md.
import { check } from "../../server/checks/check.ts";
import { defineSteps } from "../../server/checks/define-steps.ts";

const defaultNamespace = { kind: "Namespace", name: "default" };

const legacyManifest = [
  "cat <<EOF > ~/legacy.yaml",
  "apiVersion: apps/v1",
  "kind: Deployment",
  "metadata:",
  "  name: legacy",
  "spec:",
  "  selector:",
  "    matchLabels:",
  "      app: legacy",
  "  template:",
  "    metadata:",
  "      labels:",
  "        app: legacy",
  '        sidecar.istio.io/inject: "false"',
  "    spec:",
  "      containers:",
  "      - name: nginx",
  "        image: nginx",
  "EOF",
].join("\n");

const ANALYZE_MESSAGE = /^(Error|Warning) \[IST\d+\].*$/gm;

// `istioctl analyze` of the namespace the learner works in, without `-n`: `default` in a
// sandbox of one's own, the learner's namespace on a shared cluster, where `-n default` would
// analyze somebody else's.
const analyzeClean = check.custom("istioctl analyze finds nothing in namespace default", async (context) => {
  const result = await context.run("istioctl analyze");
  const output = `${result.stdout}${result.stderr}`;
  const messages = output.match(ANALYZE_MESSAGE) ?? [];
  if (messages.length > 0) {
    const listed = messages.slice(0, 3).join("; ") + (messages.length > 3 ? `; and ${messages.length - 3} more` : "");
    return context.fail(`\`istioctl analyze\` reports ${listed}. Run: \`kubectl rollout restart deployment/web\``);
  }
  if (result.exitCode !== 0) {
    return context.fail(`\`istioctl analyze\` did not succeed (exit ${result.exitCode}: ${output.trim().split("\n").at(-1) ?? ""})`);
  }
  return context.pass();
});

export const steps = defineSteps([
  {
    id: "deploy-web",
    title: "Run a web server before injection is on",
    checks: [
      check.rolledOut({ namespace: "default", name: "web" }, { fix: "kubectl create deployment web --image=nginx" }),
      check.podsReady(
        { namespace: "default", selector: "app=web", containers: 1 },
        {
          name: "The web pod runs with one container",
          why: "because default was labelled before web was created, and this lesson needs one pod from before the label: remove the label, delete the Deployment and create it again",
          fix: "kubectl label namespace default istio-injection- && kubectl delete deployment web && kubectl create deployment web --image=nginx",
        },
      ),
    ],
    hints: [
      "`kubectl create deployment NAME --image=IMAGE` starts a Deployment in one command.",
      "Type `kubectl create deployment web --image=nginx`, then `kubectl get pods` until web is Running.",
    ],
    solution: "kubectl create deployment web --image=nginx\nkubectl rollout status deployment/web",
  },
  {
    id: "label-namespace",
    title: "Turn injection on for the default namespace",
    checks: [check.labelEquals(defaultNamespace, "istio-injection", "enabled", { why: "so istiod adds no sidecar to new pods there" })],
    hints: [
      "Injection is switched on with a label on the namespace, not on the pods.",
      "Type `kubectl label namespace default istio-injection=enabled`.",
    ],
    solution: "kubectl label namespace default istio-injection=enabled",
  },
  {
    id: "deploy-httpbin",
    title: "Deploy httpbin and see it start with a sidecar",
    checks: [
      check.rolledOut({ namespace: "default", name: "httpbin" }, { fix: "kubectl apply -f ~/samples/httpbin/httpbin.yaml" }),
      check.sidecarInjected(
        { namespace: "default", selector: "app=httpbin", deployment: "httpbin" },
        { why: "so it was created before default carried istio-injection=enabled: check the label, then restart the Deployment" },
      ),
      check.podsReady({ namespace: "default", selector: "app=httpbin", containers: 2 }, { name: "The httpbin pod is Ready with 2 containers" }),
    ],
    hints: [
      "The manifest is in your sandbox already: `ls ~/samples/httpbin`.",
      "Type `kubectl apply -f ~/samples/httpbin/httpbin.yaml`, then `kubectl get pods` until httpbin shows `2/2`.",
    ],
    solution: "kubectl apply -f ~/samples/httpbin/httpbin.yaml\nkubectl rollout status deployment/httpbin",
  },
  {
    id: "restart-web",
    title: "Restart web so it gets its sidecar",
    checks: [
      check.sidecarInjected(
        { namespace: "default", selector: "app=web", deployment: "web" },
        { why: "because it was created before injection was turned on, and injection only happens when a pod is created" },
      ),
      check.podsReady(
        { namespace: "default", selector: "app=web", containers: 2 },
        { name: "The web pod is Ready with 2 containers", fix: "kubectl rollout restart deployment/web" },
      ),
      analyzeClean,
    ],
    hints: [
      "Running pods are never changed: web needs a new pod, and its Deployment can make one for you.",
      "`kubectl rollout restart deployment/NAME` replaces a Deployment's pods one by one.",
      "Type `kubectl rollout restart deployment/web`, then `kubectl rollout status deployment/web`.",
    ],
    solution: "kubectl rollout restart deployment/web\nkubectl rollout status deployment/web",
  },
  {
    id: "opt-out",
    title: "Run a workload that opts out of injection",
    checks: [
      check.rolledOut({ namespace: "default", name: "legacy" }, { fix: "kubectl apply -f ~/legacy.yaml" }),
      check.podsReady(
        { namespace: "default", selector: "app=legacy", containers: 1 },
        {
          name: "The legacy pod runs without a sidecar",
          why: 'so the opt-out did not reach the pod: in ~/legacy.yaml, put `sidecar.istio.io/inject: "false"` under spec.template.metadata.labels (with the quotes), then apply the file again',
          fix: "kubectl apply -f ~/legacy.yaml",
        },
      ),
    ],
    hints: [
      "Write the manifest with the heredoc block in the lesson, then apply it.",
      'The opt-out label goes on the pod template, under `spec.template.metadata.labels`, and its value needs quotes: `"false"`.',
      "Run the block that writes `~/legacy.yaml`, then `kubectl apply -f ~/legacy.yaml`.",
    ],
    solution: `${legacyManifest}\nkubectl apply -f ~/legacy.yaml\nkubectl rollout status deployment/legacy`,
  },
]);
