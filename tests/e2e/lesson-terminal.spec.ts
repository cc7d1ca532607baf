// A learner opens the welcome lesson and uses the terminal beside it.
import { expect, test } from "./fixtures.ts";

test("the home page lists the welcome lesson with its duration", async ({ page }) => {
  await page.goto("/");
  const lessons = page.getByRole("main");
  const link = lessons.getByRole("link", { name: /Welcome to your sandbox/ });
  await expect(link).toBeVisible();
  await expect(lessons).toContainText(/10 min/);
  await link.click();
  await expect(page.getByRole("heading", { level: 1, name: /Welcome to your sandbox/ })).toBeVisible();
});

test("the terminal connects and a Run button sends its command", async ({ page, terminal }) => {
  await page.goto("/lessons/welcome/");
  await terminal.waitConnected();
  const block = page.locator("figure, .expressive-code").filter({ hasText: 'echo "Hello, mesh"' }).first();
  await block.getByRole("button", { name: "Run in terminal" }).click();
  // The command line and its output: the greeting appears as a line of its own.
  await expect.poll(async () => (await terminal.text()).split("\n").filter((line) => line.trim() === "Hello, mesh").length).toBe(1);
});

test("typing a command runs it, and the shell keeps state between commands", async ({ page, terminal }) => {
  await page.goto("/lessons/welcome/");
  await terminal.waitConnected();
  await terminal.type("export GREETING=typed-$((6*7))\n");
  await terminal.type("echo $GREETING\n");
  await expect(terminal.screen).toContainText("typed-42");
});

test("resizing the window changes the size the shell sees", async ({ page, terminal }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto("/lessons/welcome/");
  await terminal.waitConnected();
  await terminal.type("echo cols=$(tput cols)\n");
  await expect(terminal.screen).toContainText(/cols=\d+/);
  const before = Number(/cols=(\d+)/.exec(await terminal.text())?.[1]);

  await page.setViewportSize({ width: 1000, height: 900 });
  await terminal.type("clear; stty size | sed 's/ / rows, /;s/$/ cols/'\n");
  await expect(terminal.screen).toContainText(/\d+ rows, \d+ cols/);
  const after = Number(/(\d+) rows, (\d+) cols/.exec(await terminal.text())?.[2]);
  expect(after).toBeGreaterThan(10);
  expect(after).toBeLessThan(before);
});
