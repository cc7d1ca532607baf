// A learner's progress is kept by the server: a passed step is still there after a reload,
// on the lesson list, and after the server is killed and started again; another browser
// sees none of it, and a display name full of HTML is shown as text. A returning learner's
// steps panel marks what they passed and says where they stopped; the lesson list shows the
// path in order with durations.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { parse } from "yaml";
import { TerminalHelper } from "./fixtures.ts";
import { SiteServer } from "./site-server.ts";

let dataDir = "";
let site: SiteServer;

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "mesh-academy-e2e-progress-"));
  site = new SiteServer({ DATA_DIR: dataDir });
  await site.start();
});

test.afterAll(async () => {
  await site.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function passFirstStep(page: Page): Promise<void> {
  const terminal = new TerminalHelper(page);
  await page.goto(`${site.url}/lessons/welcome/`);
  await terminal.waitConnected();
  const first = page.getByRole("region", { name: /Step 1: Create the hello-mesh namespace/ });
  await expect(first).toBeVisible();
  await terminal.type("kubectl create namespace hello-mesh\n");
  await expect(terminal.screen).toContainText("namespace/hello-mesh created");
  await first.getByRole("button", { name: "Check" }).click();
  await expect(first.getByRole("status")).toHaveText("Step complete.");
}

test("a passed step is kept by the server, shown on return and on the lesson list, and survives a SIGKILL", async ({ page, browser }) => {
  await passFirstStep(page);
  // The page reports the completion in the background; the server's answer is the proof.
  await expect
    .poll(async () => ((await (await page.request.get(`${site.url}/api/progress`)).json()) as { steps: { step: string; completedAt: number | null }[] }).steps.filter((s) => s.completedAt !== null).map((s) => s.step))
    .toContain("create-namespace");

  await page.reload();
  const steps = page.getByRole("region", { name: "Steps" });
  await expect(steps.getByRole("status").first()).toHaveText(/Welcome back\. You finished 1 of \d+ steps; the last was “Step 1: Create the hello-mesh namespace”\.$/);

  await page.goto(`${site.url}/`);
  const card = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: /Welcome to your sandbox/ }) });
  await expect(card).toContainText("1 step done");

  await site.kill();
  await site.start();
  await page.goto(`${site.url}/`);
  await expect(card).toContainText("1 step done");

  // Another browser (no cookie) sees none of it.
  const stranger = await browser.newContext();
  const other = await stranger.newPage();
  await other.goto(`${site.url}/`);
  const otherCard = other.getByRole("listitem").filter({ has: other.getByRole("link", { name: /Welcome to your sandbox/ }) });
  await expect(otherCard).toContainText("Not started");
  await stranger.close();
});

test("a display name with HTML in it is shown as text", async ({ page }) => {
  await passFirstStep(page);
  const name = `<img src=x onerror="window.__pwned=1"><b>Eve</b>`;
  const res = await page.request.put(`${site.url}/api/progress/learner`, {
    headers: { origin: site.url, "x-mesh-academy": "1" },
    data: { displayName: name },
  });
  expect(res.status()).toBe(200);
  await page.reload();
  const note = page.getByRole("region", { name: "Steps" }).getByRole("status").first();
  await expect(note).toContainText(`Welcome back, ${name}.`);
  await expect(note.locator("img, b")).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test("a write without the CSRF header or from another origin is refused", async ({ request }) => {
  const body = { lesson: "welcome", step: "create-namespace", event: "passed" };
  const noHeader = await request.post(`${site.url}/api/progress/steps`, { headers: { origin: site.url }, data: body });
  expect(noHeader.status()).toBe(403);
  const foreign = await request.post(`${site.url}/api/progress/steps`, { headers: { origin: "https://evil.example", "x-mesh-academy": "1" }, data: body });
  expect(foreign.status()).toBe(403);
});

test("the steps panel marks the steps passed before and opens where the learner stopped", async ({ page }) => {
  await passFirstStep(page);
  await expect
    .poll(async () => ((await (await page.request.get(`${site.url}/api/progress`)).json()) as { steps: { step: string; completedAt: number | null }[] }).steps.some((s) => s.step === "create-namespace" && s.completedAt !== null))
    .toBe(true);

  await page.reload();
  const steps = page.getByRole("region", { name: "Steps" });
  const first = steps.getByRole("region", { name: /^Step 1:/ });
  const second = steps.getByRole("region", { name: /^Step 2: Label hello-mesh for sidecar injection/ });
  await expect(first).toHaveAttribute("data-state", "passed");
  await expect(first.getByRole("status")).toHaveText(/Passed on an earlier visit/);
  await expect(second).toHaveAttribute("aria-current", "step");
  await expect(second).toHaveAttribute("data-state", "pending");
  const summary = steps.getByRole("status").filter({ hasText: /^You stopped at step/ });
  // The welcome lesson's prose has "### Step 2: …" under one of its sections: the note links to it.
  await expect(summary).toHaveText("You stopped at step 2: Label hello-mesh for sidecar injection. Read step 2 in the lesson");
  await expect(summary.getByRole("link", { name: "Read step 2 in the lesson" })).toHaveAttribute("href", /^#step-2/);
  // The panel sits below the prose; the page has scrolled it into view.
  await expect(second).toBeInViewport();

  // Doing the step where they stopped moves the learner on; the welcome lesson has two steps,
  // so this one ends it.
  await second.getByRole("button", { name: "Solve" }).click();
  await second.getByRole("button", { name: "Check" }).click();
  await expect(second.getByRole("status")).toHaveText("Step complete.");
  await expect(second).not.toHaveAttribute("aria-current", "step");
  await expect(summary).toHaveCount(0);
  await expect(steps.getByRole("status").filter({ hasText: /^Lesson complete: all 2 steps have passed\.$/ })).toBeVisible();
});

test("where the prose has a heading for the step, the panel links to it", async ({ page }) => {
  await page.goto(`${site.url}/`);
  // A completion the page reports, as it does after Check: the server keeps it for this learner.
  const res = await page.request.post(`${site.url}/api/progress/steps`, {
    headers: { origin: site.url, "x-mesh-academy": "1" },
    data: { lesson: "control-and-data-plane", step: "install-istio", event: "passed" },
  });
  expect(res.ok()).toBe(true);
  await page.goto(`${site.url}/lessons/control-and-data-plane/`);
  const summary = page.getByRole("region", { name: "Steps" }).getByRole("status").filter({ hasText: /^You stopped at step/ });
  await expect(summary).toHaveText(/^You stopped at step 2: .+\. Read step 2 in the lesson$/);
  await summary.getByRole("link", { name: "Read step 2 in the lesson" }).click();
  await expect(page.getByRole("heading", { level: 2, name: /^Step 2: Watch configuration reach a proxy/ })).toBeInViewport();
});

test("the lesson list shows the path in order, with each lesson's duration and progress", async ({ page }) => {
  const lessonsDir = path.join(import.meta.dirname, "../../lessons");
  const path_ = readdirSync(lessonsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const source = readFileSync(path.join(lessonsDir, entry.name, "index.mdx"), "utf8");
      const front = parse(/^---\n([\s\S]*?)\n---/.exec(source)?.[1] ?? "") as { title: string; duration: number; order: number };
      return { id: entry.name, ...front };
    })
    .sort((a, b) => a.order - b.order);

  await page.goto(`${site.url}/`);
  const cards = page.getByRole("list").filter({ has: page.getByRole("link", { name: path_[0]?.title ?? "" }) }).getByRole("listitem");
  await expect(cards).toHaveCount(path_.length);
  for (const [index, lesson] of path_.entries()) {
    const card = cards.nth(index);
    await expect(card.getByRole("link")).toHaveText(lesson.title);
    await expect(card.getByRole("link")).toHaveAttribute("href", `/lessons/${lesson.id}/`);
    await expect(card).toContainText(`${lesson.duration} min`);
    await expect(card.locator("[data-lesson-status]")).toHaveText(/^(Not started|Done|\d+ steps? done)$/);
  }
  // Every lesson can be done on the embedded sandbox: no card says to read along.
  await expect(page.getByText("Read along on this shared cluster").filter({ visible: true })).toHaveCount(0);
});
