// The preview panel shows what the learner's ingress gateway serves, and follows their changes.
import { expect, test } from "./fixtures.ts";

test("the preview panel explains a missing gateway, then shows the page the gateway serves", async ({ page, terminal }) => {
  test.setTimeout(120_000);
  await page.goto("/lessons/welcome/");
  await terminal.waitConnected();
  const toggle = page.getByRole("button", { name: "Preview" });
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  const preview = page.frameLocator('iframe[title="Page served by your ingress gateway"]');
  await expect(preview.getByRole("heading", { name: "No ingress gateway yet" })).toBeVisible();

  await terminal.type("istioctl install --set profile=demo -y && kubectl apply -f samples/web/web-gateway.yaml && kubectl wait --for=condition=available deploy/web --timeout=90s && echo published\n");
  await expect.poll(async () => (await terminal.text()).split("\n").some((line) => line.trim() === "published"), { timeout: 100_000 }).toBe(true);

  const region = page.getByRole("region", { name: "Preview of your ingress gateway" });
  await region.getByLabel("Path").fill("/");
  await region.getByRole("button", { name: "Open" }).click();
  await expect(preview.getByRole("heading", { name: "Welcome to nginx!" })).toBeVisible();

  await toggle.click();
  await expect(region).toBeHidden();
});
