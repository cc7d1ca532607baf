// The steps of the bookinfo lesson; the format is described in lessons/README.md.
import { check } from "../../server/checks/check.ts";
import { defineSteps } from "../../server/checks/define-steps.ts";

const apply = "kubectl apply -f ~/samples/bookinfo/bookinfo.yaml";
const ratingsPod = `RATINGS_POD=$(kubectl get pod -l app=ratings -o jsonpath='{.items[0].metadata.name}')`;
const savePage = `kubectl exec "$RATINGS_POD" -c ratings -- curl -sS productpage:9080/productpage > ~/productpage.html`;
const loop = [
  "for i in $(seq 1 10); do",
  `  kubectl exec "$RATINGS_POD" -c ratings -- curl -sS productpage:9080/productpage | grep -o 'reviews-v[123]' | head -n 1`,
  "done | tee ~/reviews-seen.txt",
].join("\n");

// One check per Deployment, so the panel names the pod that is missing or not Ready.
const workloads = [
  { app: "details", version: "v1" },
  { app: "ratings", version: "v1" },
  { app: "reviews", version: "v1" },
  { app: "reviews", version: "v2" },
  { app: "reviews", version: "v3" },
  { app: "productpage", version: "v1" },
];

export const steps = defineSteps([
  {
    id: "deploy-bookinfo",
    title: "Deploy Bookinfo with a sidecar in every pod",
    checks: [
      ...workloads.map(({ app, version }) =>
        check.podsReady(
          { namespace: "default", selector: `app=${app},version=${version}` },
          { name: `${app} ${version} is running and Ready`, fix: apply },
        ),
      ),
      check.sidecarInjected(
        { namespace: "default", selector: "app in (details,ratings,reviews,productpage)" },
        {
          name: "Every Bookinfo pod has its Istio sidecar (2/2)",
          why:
            "because they were created before the namespace was labelled; check `kubectl get namespace default --show-labels` " +
            "shows istio-injection=enabled, then replace the pods",
          fix: "kubectl rollout restart deployment -l app",
        },
      ),
    ],
    hints: [
      "Everything Bookinfo needs is in one file under `~/samples/bookinfo/`; `kubectl apply -f` creates what a file describes.",
      "Run `kubectl apply -f ~/samples/bookinfo/bookinfo.yaml`, then `kubectl wait --for=condition=available deployment --all --timeout=120s`.",
      "If `kubectl get pods` shows `1/1`, the pods started without a sidecar: check `kubectl get namespace default --show-labels` for `istio-injection=enabled`, then `kubectl rollout restart deployment -l app`.",
    ],
    solution: [apply, "kubectl wait --for=condition=available deployment --all --timeout=120s"].join("\n"),
  },
  {
    id: "save-productpage",
    title: "Save a product page fetched from inside the mesh",
    checks: [
      check.custom("~/productpage.html holds a Bookinfo product page", async (context) => {
        const result = await context.run("cat ~/productpage.html");
        const fix = `${ratingsPod}; ${savePage}`;
        if (result.exitCode !== 0) {
          return context.fail(`There is no ~/productpage.html in your home directory yet, so there is no page to read. Run: \`${fix}\``);
        }
        if (!result.stdout.includes("<title>Simple Bookstore App</title>")) {
          return context.fail(
            "~/productpage.html is there but holds no Bookinfo page (its title `Simple Bookstore App` is missing), " +
              `perhaps because curl printed an error instead. Fetch it again with: \`${fix}\``,
          );
        }
        if (!result.stdout.includes("Reviews served by")) {
          return context.fail(`~/productpage.html has the page but no reviews section, so the reviews call failed. Fetch it again with: \`${fix}\``);
        }
        return context.pass();
      }),
    ],
    hints: [
      "Fetch the page with `kubectl exec` into the ratings pod and `curl -sS productpage:9080/productpage`, and send curl's output to a file with `> ~/productpage.html`.",
      "First put the pod's name in a variable: `RATINGS_POD=$(kubectl get pod -l app=ratings -o jsonpath='{.items[0].metadata.name}')`.",
      `Then run \`${savePage}\` and check it with \`grep -c 'Simple Bookstore App' ~/productpage.html\`.`,
    ],
    solution: [ratingsPod, savePage].join("\n"),
  },
  {
    id: "watch-reviews-versions",
    title: "Record which reviews versions answer ten page loads",
    checks: [
      check.custom("~/reviews-seen.txt lists at least two versions of reviews", async (context) => {
        const result = await context.run("cat ~/reviews-seen.txt");
        const fix = "run the loop of step 3 again; it rewrites ~/reviews-seen.txt";
        if (result.exitCode !== 0) {
          return context.fail(`There is no ~/reviews-seen.txt yet, so there is no record of which versions answered: ${fix}`);
        }
        const lines = result.stdout.split("\n").map((line) => line.trim()).filter((line) => line !== "");
        const versions = new Set(lines.filter((line) => /^reviews-v[123]$/.test(line)));
        if (lines.length < 5) {
          return context.fail(`~/reviews-seen.txt has ${lines.length} line${lines.length === 1 ? "" : "s"}; ten page loads should write ten: ${fix}`);
        }
        if (versions.size < 2) {
          const seen = versions.size === 0 ? "no reviews version at all (did curl print errors?)" : `only ${[...versions].join("")}`;
          return context.fail(`~/reviews-seen.txt names ${seen}, but all three versions should be taking turns: check \`kubectl get pods -l app=reviews\` shows three pods Running 2/2, then ${fix}`);
        }
        return context.pass();
      }),
    ],
    hints: [
      "Use a `for` loop that runs the page request ten times and keeps `grep -o 'reviews-v[123]' | head -n 1` of each page.",
      "Send the loop's output through `tee ~/reviews-seen.txt` so it is both shown and saved.",
      "Run the whole block of step 3 with its Run button; `sort ~/reviews-seen.txt | uniq -c` then counts the versions.",
    ],
    solution: [ratingsPod, loop].join("\n"),
  },
]);
