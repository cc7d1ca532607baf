// A learner works through a lesson's steps: Check says what is missing, Hint helps, Solve
// types the solution into the terminal, and Check then passes.
import { expect, test } from "./fixtures.ts";

test("a step's checks fail with a teaching message, then pass once the learner has done it", async ({ page, terminal }) => {
  await page.goto("/lessons/welcome/");
  await terminal.waitConnected();
  const steps = page.getByRole("region", { name: "Steps" });
  const first = steps.getByRole("region", { name: /Step 1: Create the hello-mesh namespace/ });
  await expect(first).toBeVisible();

  await first.getByRole("button", { name: "Check" }).click();
  await expect(first.getByRole("status")).toHaveText(/Not done yet/);
  await expect(first.getByRole("list", { name: "Checks" })).toContainText("hello-mesh");

  await first.getByRole("button", { name: /Hint/ }).click();
  await expect(first.getByRole("list", { name: "Hints" })).toContainText("kubectl create");

  // A near miss: the wrong name. The check says what is still missing.
  await terminal.type("kubectl create namespace hello\n");
  await expect(terminal.screen).toContainText("namespace/hello created");
  await first.getByRole("button", { name: "Check" }).click();
  await expect(first.getByRole("status")).toHaveText(/Not done yet/);
  await expect(first.getByRole("list", { name: "Checks" })).toContainText(/hello-mesh/);

  await terminal.type("kubectl create namespace hello-mesh\n");
  await expect(terminal.screen).toContainText("namespace/hello-mesh created");
  await first.getByRole("button", { name: "Check" }).click();
  await expect(first.getByRole("status")).toHaveText("Step complete.");

  const second = steps.getByRole("region", { name: /Step 2:/ });
  await second.getByRole("button", { name: "Solve" }).click();
  await expect(terminal.screen).toContainText("namespace/hello-mesh labeled");
  await second.getByRole("button", { name: "Check" }).click();
  await expect(second.getByRole("status")).toHaveText("Step complete.");
});

test("auto-check ticks the step the learner is on as soon as the cluster shows it done", async ({ page, terminal }) => {
  await page.goto("/lessons/welcome/");
  await terminal.waitConnected();
  const first = page.getByRole("region", { name: /Step 1: Create the hello-mesh namespace/ });
  await expect(first).toBeVisible();
  await terminal.type("kubectl create namespace hello-mesh\n");
  // No click: the server re-ran the checks when the namespace appeared.
  await expect(first.getByRole("status")).toHaveText("Step complete.", { timeout: 20_000 });
  await expect(first.getByRole("list", { name: "Checks" }).getByText("Passed")).toBeVisible();
});
