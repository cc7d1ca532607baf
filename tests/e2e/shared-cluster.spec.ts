// A learner on a shared cluster (SANDBOX_PROVIDER=cluster) whose instructor installed Istio:
// the lesson's cluster-scoped step says the instructor did it, offers the command that shows
// the result, passes its checks, and the prose's `istioctl install` is not runnable.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { connectKubeconfigTarget } from "../../server/checks/kubeconfig-target.ts";
import { ClusterHost, createEmbeddedSandbox, type EmbeddedSandbox } from "../../server/sandbox/index.ts";
import { TerminalHelper } from "./fixtures.ts";
import { SiteServer } from "./site-server.ts";

let host: ClusterHost;
let room: EmbeddedSandbox;
let site: SiteServer;
let dir: string;

test.beforeAll(async () => {
  // The "real" cluster: an emulated one served over HTTP, with Istio installed by its admin.
  host = new ClusterHost();
  await host.listen({ host: "127.0.0.1", port: 0 });
  room = await createEmbeddedSandbox({ host, id: "room", profile: "instant" });
  const install = await (await connectKubeconfigTarget(room.adminKubeconfig)).run("istioctl install --set profile=demo -y");
  expect(install.exitCode).toBe(0);
  dir = await mkdtemp(join(tmpdir(), "shared-cluster-"));
  await writeFile(join(dir, "kubeconfig"), room.adminKubeconfig);
  site = new SiteServer({ SANDBOX_PROVIDER: "cluster", KUBECONFIG: join(dir, "kubeconfig") });
  await site.start();
});

test.afterAll(async () => {
  await site?.stop();
  await room?.dispose();
  await host?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

test("a cluster-scoped step is the instructor's: explained, its result shown, its checks passing", async ({ page }) => {
  const terminal = new TerminalHelper(page);
  await page.goto(`${site.url}/lessons/control-and-data-plane/`);
  await terminal.waitConnected();
  const step = page.getByRole("region", { name: /Step 1:/ });
  const notice = step.getByRole("note");
  await expect(notice).toContainText("your instructor did this step for the whole room");
  await expect(step.getByRole("button", { name: "Solve" })).toBeDisabled();
  await expect(page.getByRole("button", { name: /^Instructor only/ }).first()).toBeDisabled();

  await notice.getByRole("button", { name: "Run kubectl get pods -n istio-system" }).click();
  await expect(terminal.screen).toContainText("istiod");
  await step.getByRole("button", { name: "Check" }).click();
  await expect(step.getByRole("status")).toHaveText("Step complete.");

  // The learner's own namespace is theirs; the cluster beyond it is not.
  await terminal.type("kubectl auth can-i create deployments -n istio-system; echo asked\n");
  await expect.poll(() => terminal.text()).toMatch(/^no\nasked$/m);
});

test("a lesson that needs a cluster of its own says why at the top, keeps only its safe commands, and turns Check and Solve off", async ({ page }) => {
  await page.goto(`${site.url}/lessons/gateways/`);
  // One notice at the top of the prose, one at the top of the steps.
  const notices = page.getByRole("note", { name: "This lesson needs a cluster of its own" });
  await expect(notices).toHaveCount(2);
  await expect(notices.first()).toContainText("binds the one ingress gateway");
  await expect(notices.first()).toContainText("Read along");
  await expect(notices.first()).toContainText("Running workshops on a real cluster");
  await expect(notices.first().getByRole("button", { name: "Run kubectl get service istio-ingressgateway -n istio-system" })).toBeEnabled();
  // Publishing on the shared gateway is off, with the reason; looking at the sample is not.
  await expect(page.getByRole("button", { name: /^Own cluster only/ }).first()).toBeDisabled();
  await expect(page.getByRole("button", { name: /^Own cluster only/ }).first()).toHaveAttribute("title", /needs a cluster of its own/);
  const step = page.getByRole("region", { name: /Step 1:/ });
  await expect(step.getByRole("button", { name: "Check" })).toBeDisabled();
  await expect(step.getByRole("button", { name: "Solve" })).toBeDisabled();
});

test("the lesson list marks the lessons that need a cluster of their own, with the reason", async ({ page }) => {
  await page.goto(`${site.url}/`);
  const card = (title: RegExp) => page.getByRole("listitem").filter({ has: page.getByRole("link", { name: title }) });
  const note = card(/^Gateways/).getByText("Read along on this shared cluster");
  await expect(note).toBeVisible();
  await expect(card(/^Gateways/).locator("[data-own-cluster-note]")).toContainText("binds the one ingress gateway");
  await expect(page.getByText("Read along on this shared cluster").filter({ visible: true })).toHaveCount(3);
  await expect(card(/^Bookinfo/).getByText("Read along")).toHaveCount(0);
});
