// An instructor runs a workshop: creates it on /admin, three learners join at /join and work
// through the welcome lesson in their own browsers, and the dashboard follows them live,
// without a reload. The instructor watches one learner's terminal while that learner is told
// so. Learners cannot read the dashboard, and a name full of HTML stays text.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { TerminalHelper } from "./fixtures.ts";
import { SiteServer } from "./site-server.ts";

const ADMIN_TOKEN = "e2e-instructor-token-0123456789";
// At most 60 characters, the longest name the join form takes.
const EVIL_NAME = "<img src=x onerror=__pwned=1><script>__pwned=2</script>";

let dataDir = "";
let site: SiteServer;

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "mesh-academy-e2e-dashboard-"));
  site = new SiteServer({ DATA_DIR: dataDir, ADMIN_TOKEN, STUCK_AFTER_MINUTES: "45" });
  await site.start();
});

test.afterAll(async () => {
  await site.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function joinAs(browser: Browser, code: string, name: string): Promise<{ context: BrowserContext; page: Page; terminal: TerminalHelper }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${site.url}/join/`);
  await page.getByLabel("Workshop code").fill(code);
  await page.getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: "Join" }).click();
  await expect(page).toHaveURL(/\/lessons\/welcome\/$/);
  const terminal = new TerminalHelper(page);
  await terminal.waitConnected();
  return { context, page, terminal };
}

async function passFirstStep(page: Page, terminal: TerminalHelper): Promise<void> {
  const first = page.getByRole("region", { name: /Step 1: Create the hello-mesh namespace/ });
  await terminal.type("kubectl create namespace hello-mesh\n");
  await expect(terminal.screen).toContainText("namespace/hello-mesh created");
  await first.getByRole("button", { name: "Check" }).click();
  await expect(first.getByRole("status")).toHaveText("Step complete.");
}

test("an instructor follows three learners live, watches one terminal, and learners cannot read the dashboard", async ({ browser }) => {
  test.setTimeout(240_000);
  const instructor = await browser.newContext();
  const admin = await instructor.newPage();

  // A wrong token is refused in words, the right one is kept for the tab.
  await admin.goto(`${site.url}/admin/`);
  await admin.getByLabel("Token", { exact: true }).fill("not-the-token-000000000");
  await admin.getByRole("button", { name: "Use token" }).click();
  await expect(admin.locator("[data-token-status]")).toHaveText(/refused this token/);
  await admin.getByLabel("Token", { exact: true }).fill(ADMIN_TOKEN);
  await admin.getByRole("button", { name: "Use token" }).click();
  await expect(admin.locator("[data-token-status]")).toHaveText("A token is set for this tab.");

  await admin.getByLabel("Title").fill("Istio morning");
  await admin.getByRole("checkbox", { name: /Welcome to your sandbox/ }).check();
  await admin.getByLabel("Seats").fill("10");
  await admin.getByRole("button", { name: "Create workshop" }).click();
  const created = admin.locator("[data-create-status]");
  await expect(created).toHaveText(/^Created “Istio morning”\. Join code: [A-Z0-9]{6}\.$/);
  const code = /Join code: ([A-Z0-9]+)\./.exec((await created.textContent()) ?? "")?.[1] ?? "";
  await expect(admin.getByRole("row", { name: /Istio morning/ })).toContainText(code);
  await expect(admin.getByRole("row", { name: /Istio morning/ })).toContainText("Welcome to your sandbox");

  await admin.getByRole("link", { name: "Dashboard of Istio morning" }).click();
  await expect(admin).toHaveURL(/\/admin\/workshop\/\?id=/);
  const workshopId = new URL(admin.url()).searchParams.get("id") ?? "";
  await expect(admin.locator("[data-live-status]")).toHaveText("Live");
  await expect(admin.getByRole("heading", { name: "Istio morning" })).toBeVisible();
  const grid = admin.locator("table[data-grid]");
  const rows = grid.locator("tbody tr");
  await expect(rows).toHaveCount(0);

  // Three learners join; each appears on the open dashboard without a reload.
  const ada = await joinAs(browser, code, "Ada");
  await expect(rows).toHaveCount(1);
  const grace = await joinAs(browser, code, "Grace");
  const eve = await joinAs(browser, code, EVIL_NAME);
  await expect(rows).toHaveCount(3);
  const rowOf = (name: string | RegExp) => grid.locator("tbody tr").filter({ has: admin.getByRole("rowheader", { name }) });

  // Steps passed by Check show up live.
  await passFirstStep(ada.page, ada.terminal);
  await expect(rowOf(/Ada/).locator("td").first()).toHaveText(/^1 \/ \d+$/);
  await passFirstStep(eve.page, eve.terminal);
  await expect(rowOf(/<img src=x/).locator("td").first()).toHaveText(/^1 \/ \d+$/);
  await expect(rowOf(/Grace/).locator("td").first()).toHaveText(/^0 \/ \d+$/);

  // A failed Check counts against Grace's step.
  const graceFirst = grace.page.getByRole("region", { name: /Step 1: Create the hello-mesh namespace/ });
  await graceFirst.getByRole("button", { name: "Check" }).click();
  await expect(graceFirst.getByRole("status")).toHaveText(/Not done yet/);
  await expect(rowOf(/Grace/).locator("td").nth(3)).toHaveText("1");
  await expect(rowOf(/Grace/)).toHaveAttribute("data-stuck", "false");
  // The rules start as the server's (STUCK_AFTER_MINUTES=45, the default three failures)…
  await expect(admin.getByLabel(/min on a step/)).toHaveValue("45");
  const failuresRule = admin.getByLabel(/failed checks/);
  await expect(failuresRule).toHaveValue("3");
  // …and a stricter rule on the dashboard: one failed check on a step is enough to stand out.
  await failuresRule.fill("1");
  await failuresRule.press("Tab");
  await expect(rowOf(/Grace/)).toHaveAttribute("data-stuck", "true");
  await expect(rowOf(/Grace/).getByRole("rowheader")).toContainText("Stuck: 1 failed check on this step");
  await expect(rowOf(/Ada/)).toHaveAttribute("data-stuck", "false");
  await passFirstStep(grace.page, grace.terminal);
  await expect(rowOf(/Grace/).locator("td").first()).toHaveText(/^1 \/ \d+$/);
  await expect(rowOf(/Grace/)).toHaveAttribute("data-stuck", "false");

  // The name full of HTML is text on the dashboard, and nothing in it ran.
  await expect(rowOf(/<img src=x/).getByRole("rowheader")).toContainText(EVIL_NAME);
  await expect(grid.locator("img, script")).toHaveCount(0);
  expect(await admin.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  // Watching Ada: the instructor sees what she types, and she sees that someone watches.
  const notice = ada.page.getByText("Your instructor is watching your terminal");
  await expect(notice).toBeHidden();
  await admin.getByRole("button", { name: "Watch the terminal of Ada" }).click();
  const watch = admin.getByRole("region", { name: "Learner's terminal (read-only)" });
  await expect(watch.locator(".xterm-rows")).toContainText("namespace/hello-mesh created");
  await expect(notice).toBeVisible();
  await expect(grace.page.getByText("Your instructor is watching your terminal")).toBeHidden();
  await ada.terminal.type("echo typed-while-watched\n");
  await expect(watch.locator(".xterm-rows")).toContainText("typed-while-watched");
  // Keys pressed in the watched terminal go nowhere.
  await watch.click();
  await admin.keyboard.type("echo from-the-instructor\n");
  await ada.terminal.type("echo still-mine\n");
  await expect(ada.terminal.screen).toContainText("still-mine");
  await expect(ada.terminal.screen).not.toContainText("from-the-instructor");
  await admin.getByRole("button", { name: "Stop watching" }).click();
  await expect(notice).toBeHidden();

  // A learner cannot read the dashboard, its exports, the workshop, or open its sockets.
  for (const pathname of [`/api/workshops/${workshopId}`, `/api/workshops/${workshopId}/grid`, `/api/workshops/${workshopId}/export.csv`, "/api/workshops"]) {
    expect((await grace.page.request.get(`${site.url}${pathname}`)).status(), pathname).toBe(401);
  }
  expect((await grace.page.request.post(`${site.url}/api/workshops/${workshopId}/tickets`)).status()).toBe(401);
  const socketRefused = await grace.page.evaluate(
    (id) =>
      new Promise<boolean>((resolve) => {
        const ws = new WebSocket(`${location.origin.replace("http", "ws")}/api/workshops/${id}/live`, ["mesh-academy.dashboard.v1", "ticket.guess"]);
        ws.onopen = () => resolve(false);
        ws.onerror = () => resolve(true);
      }),
    workshopId,
  );
  expect(socketRefused).toBe(true);
  // Their own progress is all they see: Grace's answer holds no trace of Ada or Eve.
  const own = (await (await grace.page.request.get(`${site.url}/api/progress`)).json()) as { learner: { displayName: string } };
  expect(own.learner.displayName).toBe("Grace");

  // The instructor's exports hold the same grid.
  const download = admin.waitForEvent("download");
  await admin.getByRole("button", { name: "Export CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^istio-morning-\d{4}-\d\d-\d\d\.csv$/);

  for (const learner of [ada, grace, eve]) await learner.context.close();
  await instructor.close();
});
