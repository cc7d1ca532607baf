// Every lesson, opened as a learner opens it: the page renders, its sandbox starts in the
// lesson's state, its steps load, it has at least one picture, and the console stays clean.
import { readdirSync, existsSync } from "node:fs";
import path from "node:path";
import { expect, playwrightsOwn, test } from "./fixtures.ts";

const lessonsDir = path.resolve(import.meta.dirname, "../../lessons");
const lessons = readdirSync(lessonsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(path.join(lessonsDir, entry.name, "index.mdx")))
  .map((entry) => entry.name)
  .sort();

test("the lessons folder is where this test looks", () => {
  expect(lessons.length).toBeGreaterThanOrEqual(10);
});

for (const lesson of lessons) {
  test(`lesson "${lesson}" renders with its sandbox, steps and a diagram, without console errors`, async ({ page, terminal }) => {
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" && !playwrightsOwn(message.text())) problems.push(`console: ${message.text()} (${message.location().url})`);
    });
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));

    await page.goto(`/lessons/${lesson}/`);
    await expect(page.locator("article.lesson h1").first()).toBeVisible();
    // The sandbox reaches a prompt in the state the lesson starts from.
    await expect(terminal.root).toHaveAttribute("data-state", "connected", { timeout: 60_000 });
    await expect(terminal.screen).toContainText("$", { timeout: 60_000 });
    const steps = page.getByRole("region", { name: "Steps" });
    await expect(steps.getByRole("button", { name: "Check" }).first()).toBeVisible();

    // A picture: an SVG drawn for the lesson (loaded, not a broken image) or a diagram component.
    const pictures = await page.locator("article.lesson").evaluate(async (article) => {
      const images = [...article.querySelectorAll<HTMLImageElement>("img[src$='.svg']")];
      await Promise.all(images.map((image) => (image.complete ? undefined : new Promise((done) => image.addEventListener("load", done, { once: true })))));
      const loaded = images.filter((image) => image.naturalWidth > 0 && (image.alt ?? "").trim().length > 0).length;
      const broken = images.filter((image) => image.naturalWidth === 0).map((image) => image.src);
      return { loaded, broken, components: article.querySelectorAll("figure.mesh-diagram svg").length };
    });
    expect(pictures.broken).toEqual([]);
    expect(pictures.loaded + pictures.components).toBeGreaterThan(0);

    // A live graph placed in the prose has drawn something (its status leaves "Loading").
    const graphs = page.locator("article.lesson [data-mesh-graph] [data-mesh-status]");
    for (let index = 0; index < (await graphs.count()); index += 1) {
      await expect(graphs.nth(index)).not.toHaveText(/Loading the graph/);
    }
    expect(problems).toEqual([]);
  });
}
