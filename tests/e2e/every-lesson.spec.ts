// Every lesson, opened as a learner opens it: the page renders with at least one picture, and
// the lessons not walked through step by step elsewhere (lesson-walkthroughs.spec.ts, which
// also fails on console errors) start their sandbox and steps with a clean console.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, playwrightsOwn, test } from "./fixtures.ts";

const lessonsDir = path.resolve(import.meta.dirname, "../../lessons");
const lessons = readdirSync(lessonsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(path.join(lessonsDir, entry.name, "index.mdx")))
  .map((entry) => entry.name)
  .sort();
const WALKED_THROUGH = new Set(["control-and-data-plane", "sidecar-injection", "bookinfo", "gateways", "traffic-management", "resilience"]);

/** Console errors and uncaught exceptions of the page from now on. */
function consoleProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !playwrightsOwn(message.text())) problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

test("every lesson renders with at least one diagram, each SVG loaded and described", async ({ page }) => {
  expect(lessons.length).toBeGreaterThanOrEqual(10);
  for (const lesson of lessons) {
    await page.goto(`/lessons/${lesson}/`);
    await expect(page.locator("article.lesson h1").first()).toBeVisible();
    const pictures = await page.locator("article.lesson").evaluate(async (article) => {
      const images = [...article.querySelectorAll<HTMLImageElement>("img[src$='.svg']")];
      await Promise.all(images.map((image) => (image.complete ? undefined : new Promise((done) => {
              image.addEventListener("load", done, { once: true });
              image.addEventListener("error", done, { once: true });
            }))));
      return {
        loaded: images.filter((image) => image.naturalWidth > 0 && image.alt.trim().length > 0).length,
        broken: images.filter((image) => image.naturalWidth === 0).map((image) => image.src),
        components: article.querySelectorAll("figure.mesh-diagram svg").length,
      };
    });
    expect(pictures.broken, lesson).toEqual([]);
    expect(pictures.loaded + pictures.components, `${lesson} has a diagram`).toBeGreaterThan(0);
  }
});

for (const lesson of lessons.filter((name) => !WALKED_THROUGH.has(name))) {
  test(`lesson "${lesson}" starts its sandbox and steps without console errors`, async ({ page, terminal }) => {
    const problems = consoleProblems(page);
    await page.goto(`/lessons/${lesson}/`);
    // The sandbox reaches a prompt in the state the lesson starts from.
    await expect(terminal.root).toHaveAttribute("data-state", "connected", { timeout: 60_000 });
    await expect(terminal.screen).toContainText("$", { timeout: 60_000 });
    const steps = page.getByRole("region", { name: "Steps" });
    await expect(steps.getByRole("button", { name: "Check" }).first()).toBeVisible();
    // A live graph placed in the prose has drawn something (its status leaves "Loading").
    const graphs = page.locator("article.lesson [data-mesh-graph] [data-mesh-status]");
    for (let index = 0; index < (await graphs.count()); index += 1) {
      await expect(graphs.nth(index)).not.toHaveText(/Loading the graph/);
    }
    expect(problems).toEqual([]);
  });
}
