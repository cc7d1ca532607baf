// The mesh graph beside the terminal, on the embedded sandbox: Bookinfo's traffic draws its
// edges at the count sent, an edge lists its requests and a request its hops, and a deny-all
// policy turns the denied edge red; in the traffic-management lesson, "all to v1" leaves the
// reviews v2/v3 edges quiet while v1 counts every request. Screenshots of each state are kept
// with the test's results.
import type { Locator, TestInfo } from "@playwright/test";
import { expect, test } from "./fixtures.ts";

async function rows(region: Locator): Promise<string[][]> {
  return region.locator("[data-mesh-table] tbody tr").evaluateAll((trs) => trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((cell) => cell.textContent ?? "")));
}

function row(table: string[][], from: string, to: string): string[] | undefined {
  return table.find((cells) => cells[0] === from && cells[1] === to);
}

async function keep(part: Locator, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await part.screenshot({ path });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

test("Bookinfo traffic draws the graph, an edge shows its requests and their hops, deny-all turns edges red", async ({ page, terminal }, testInfo) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto("/lessons/gateways/");
  // The bookinfo start installs Istio and Bookinfo at the realistic pace before the prompt.
  await expect(terminal.root).toHaveAttribute("data-state", "connected", { timeout: 120_000 });
  await expect(terminal.screen).toContainText("$", { timeout: 120_000 });
  const toggle = page.getByRole("button", { name: "Graph", exact: true });
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  const region = page.getByRole("region", { name: "Mesh graph of your sandbox" });
  await expect(region).toBeVisible();
  // Before any traffic the API alone gives the nodes.
  await expect(region.getByRole("button", { name: /^reviews v2 \(workload in default\), sidecar injected/ })).toBeVisible();

  await terminal.type("for i in $(seq 9); do kubectl exec deploy/ratings-v1 -c ratings -- curl -s -o /dev/null productpage:9080/productpage; done; echo sent-$((4+5))\n");
  await expect.poll(async () => (await terminal.text()).includes("sent-9"), { timeout: 60_000 }).toBe(true);

  // The pushed graph catches up within a few seconds; its counts are the requests sent.
  await expect.poll(async () => row(await rows(region), "productpage v1", "reviews")?.[2], { timeout: 20_000 }).toBe("9");
  const table = await rows(region);
  expect(row(table, "productpage v1", "details")?.[2]).toBe("9");
  const versions = ["reviews v1", "reviews v2", "reviews v3"].map((v) => Number(row(table, "reviews", v)?.[2]));
  expect(versions.reduce((a, b) => a + b, 0)).toBe(9);
  for (const count of versions) expect(count).toBeGreaterThan(0);
  expect(Number(row(table, "reviews v2", "ratings")?.[2])).toBe(versions[1]);
  expect(Number(row(table, "reviews v3", "ratings")?.[2])).toBe(versions[2]);
  expect(row(table, "productpage v1", "reviews")?.[7]).toBe("yes");
  // The edge in the drawing says the same: a padlock for mutual TLS and the rate.
  const edge = region.getByRole("button", { name: /^productpage v1 to reviews: 9 requests, 0\.15 per second, 0% errors.*mutual TLS$/ });
  await expect(edge.locator(".mg-lock")).toHaveCount(1);
  await expect(edge).toContainText("0.15/s");
  await keep(region, testInfo, "mesh-graph-bookinfo");

  // Keyboard: focus the edge, Enter lists its requests; a request opens its hops.
  await edge.focus();
  await page.keyboard.press("Enter");
  const details = region.locator("[data-mesh-details]");
  await expect(details.getByRole("heading", { name: "Recent requests" })).toBeVisible();
  await details.getByRole("button", { name: /GET .*productpage.* → 200/ }).first().click();
  const waterfall = details.locator("figure.mg-waterfall");
  await expect(waterfall).toBeVisible();
  await expect(waterfall.getByText(/sidecar-outbound · productpage-v1/).first()).toBeVisible();
  await expect(waterfall.getByText(/sidecar-inbound · reviews-v\d/).first()).toBeVisible();
  await waterfall.scrollIntoViewIfNeeded();
  await keep(waterfall, testInfo, "mesh-graph-request-hops");

  // STRICT mTLS for the namespace: every workload there wears the badge, the edges keep their padlocks.
  await terminal.type(`echo '{"apiVersion":"security.istio.io/v1","kind":"PeerAuthentication","metadata":{"name":"default"},"spec":{"mtls":{"mode":"STRICT"}}}' | kubectl apply -f -\n`);
  await expect(region.getByRole("button", { name: /^reviews v1 \(workload in default\).*STRICT/ })).toBeVisible({ timeout: 20_000 });
  await expect(edge.locator(".mg-lock")).toHaveCount(1);

  await terminal.type(`echo '{"apiVersion":"security.istio.io/v1","kind":"AuthorizationPolicy","metadata":{"name":"deny-all"},"spec":{}}' | kubectl apply -f - && for i in 1 2 3; do kubectl exec deploy/ratings-v1 -c ratings -- curl -s -o /dev/null -w '%{http_code} ' productpage:9080/productpage; done; echo denied-$((1+2))\n`);
  await expect.poll(async () => (await terminal.text()).includes("denied-3"), { timeout: 60_000 }).toBe(true);
  await expect(terminal.screen).toContainText("403 403 403");
  await expect.poll(async () => row(await rows(region), "productpage", "productpage v1")?.[4], { timeout: 20_000 }).toBe("25%");
  const denied = region.getByRole("button", { name: /^productpage to productpage v1: 12 requests/ });
  await expect(denied).toHaveClass(/mg-failing/);
  await expect(region.getByRole("button", { name: /^productpage v1 \(workload in default\).*allow-nothing/ })).toBeVisible();
  await keep(region.locator("[data-mesh-canvas]"), testInfo, "mesh-graph-deny-all");

  // The other theme: the same graph, drawn in the dark palette.
  await page.emulateMedia({ colorScheme: "dark" });
  await page.evaluate(() => document.documentElement.setAttribute("data-theme", "dark"));
  await keep(region.locator("[data-mesh-canvas]"), testInfo, "mesh-graph-deny-all-dark");

  await toggle.click();
  await expect(region).toBeHidden();
});

test("after all-to-v1 the reviews v2 and v3 edges stop counting while v1 counts every request sent", async ({ page, terminal }, testInfo) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto("/lessons/traffic-management/");
  await expect(terminal.root).toHaveAttribute("data-state", "connected", { timeout: 120_000 });
  await expect(terminal.screen).toContainText("$", { timeout: 120_000 });
  // The lesson's own graph, in its prose (the terminal's is hidden behind its toggle).
  const region = page.getByRole("region", { name: "Mesh graph of your sandbox" });
  await region.scrollIntoViewIfNeeded();
  await expect(region.getByRole("button", { name: /^reviews v3 \(workload in default\)/ })).toBeVisible({ timeout: 30_000 });

  const send = async (times: number, marker: string): Promise<void> => {
    await terminal.type(`for i in $(seq ${times}); do kubectl exec deploy/ratings-v1 -c ratings -- curl -s -o /dev/null productpage:9080/productpage; done; echo ${marker}-$((${times}+0))\n`);
    await expect.poll(async () => (await terminal.text()).includes(`${marker}-${times}`), { timeout: 60_000 }).toBe(true);
  };

  // Before any rule: the sidecars spread nine page loads over all three versions.
  await send(9, "spread");
  await expect.poll(async () => Number(row(await rows(region), "ratings v1", "productpage")?.[2] ?? 0), { timeout: 20_000 }).toBeGreaterThanOrEqual(9);
  const spread = await rows(region);
  const before = ["reviews v1", "reviews v2", "reviews v3"].map((v) => Number(row(spread, "reviews", v)?.[2] ?? 0));
  expect(before[1]! + before[2]!).toBeGreaterThan(0);

  // The lesson's own Run buttons: the destination rules of step 1, then step 2's all-to-v1.
  const runBlock = async (text: string, output: string): Promise<void> => {
    const block = page.locator(".expressive-code").filter({ hasText: text }).first();
    await block.getByRole("button", { name: "Run in terminal" }).click();
    await expect.poll(async () => (await terminal.text()).includes(output), { timeout: 60_000 }).toBe(true);
  };
  await runBlock("kubectl apply -f ~/samples/bookinfo/destination-rule-all.yaml", "destinationrule.networking.istio.io/reviews created");
  await runBlock("name: productpage", "virtualservice.networking.istio.io/details created");
  // The rule shows on the edge into reviews as its weights badge.
  await expect.poll(async () => row(await rows(region), "productpage v1", "reviews")?.[8] ?? "", { timeout: 20_000 }).toContain("v1 100%");

  // The lesson's auto-check also loads the page through the gateway, so the edge into reviews
  // counts those calls too: v1 must take all of them, at least the six sent here.
  const edges: [string, string][] = [
    ["ratings v1", "productpage"],
    ["productpage v1", "reviews"],
    ["reviews", "reviews v1"],
    ["reviews", "reviews v2"],
    ["reviews", "reviews v3"],
    ["reviews v2", "ratings"],
    ["reviews v3", "ratings"],
  ];
  const snapshot = async (): Promise<number[]> => {
    const table = await rows(region);
    return edges.map(([from, to]) => Number(row(table, from, to)?.[2] ?? 0));
  };
  const start = await snapshot();
  await send(6, "pinned");
  const grown = async (): Promise<number[]> => (await snapshot()).map((value, index) => value - start[index]!);
  // Settled when the six calls from the ratings pod are counted and reviews v1 took every call into reviews.
  await expect.poll(async () => {
    const [sent, intoReviews, toV1] = await grown();
    return sent === 6 && intoReviews! >= 6 && toV1 === intoReviews;
  }, { timeout: 20_000 }).toBe(true);
  const [, , , v2, v3, v2ratings, v3ratings] = await grown();
  // Counts cover the last minute, so a quiet edge can only shrink.
  for (const growth of [v2, v3, v2ratings, v3ratings]) expect(growth).toBeLessThanOrEqual(0);
  await keep(region, testInfo, "mesh-graph-all-to-v1");
  // The lesson pane is narrower than the graph, which then scrolls: the table shows every edge at once.
  await region.getByRole("button", { name: "Table" }).click();
  await expect(region.locator("[data-mesh-table]")).toBeVisible();
  await keep(region, testInfo, "mesh-graph-all-to-v1-table");
});
