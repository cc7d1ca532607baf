// The connection drops or the server restarts: the learner's screen stays whole.
import { expect, test } from "./fixtures.ts";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SiteServer } from "./site-server.ts";

test.beforeEach(async ({ page }) => {
  // Keep a handle on every WebSocket the page opens, so a test can cut one.
  await page.addInitScript(() => {
    const NativeWebSocket = window.WebSocket;
    const sockets: WebSocket[] = [];
    (window as unknown as { __sockets: WebSocket[] }).__sockets = sockets;
    window.WebSocket = class extends NativeWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    };
  });
});

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

test("a cut connection resumes the same session with no gap and no duplicate", async ({ page, terminal }) => {
  await page.goto("/lessons/welcome/");
  await terminal.waitConnected();
  await terminal.type("echo before-$((1+1))-cut\n");
  await expect(terminal.screen).toContainText("before-2-cut");

  // Output produced while the connection is down must arrive after the reconnect.
  await terminal.type("sleep 1; echo after-$((2+2))-cut\n");
  await page.evaluate(() => {
    const sockets = (window as unknown as { __sockets: WebSocket[] }).__sockets;
    sockets[sockets.length - 1]?.close(3000, "test cut");
  });
  await expect(terminal.root).toHaveAttribute("data-state", /reconnecting|connecting/);
  await expect(terminal.root).toHaveAttribute("data-state", "connected");
  await expect(terminal.screen).toContainText("after-4-cut");

  const text = await terminal.text();
  expect(count(text, "before-2-cut")).toBe(1);
  expect(count(text, "after-4-cut")).toBe(1);
  expect(count(text, "echo before-$((1+1))-cut")).toBe(1);
  // Still the same shell: state from before the cut is there.
  await terminal.type("export KEPT=yes; echo kept-$KEPT\n");
  await expect(terminal.screen).toContainText("kept-yes");
});

test("after a server is killed before it saved the sandbox, the page says the session ended and offers a new one", async ({ page, terminal }) => {
  // No periodic save within the test: the SIGKILL comes before the sandbox was ever saved.
  const site = new SiteServer({ SANDBOX_SNAPSHOT_SECONDS: "3600", DATA_DIR: mkdtempSync(path.join(tmpdir(), "mesh-academy-e2e-")) });
  const url = await site.start();
  try {
    await page.goto(`${url}/lessons/welcome/`);
    await terminal.waitConnected();
    await terminal.type("echo first-session\n");
    await expect(terminal.screen).toContainText("first-session");

    await site.kill();
    await expect(terminal.root).toHaveAttribute("data-state", /reconnecting|connecting/);
    await site.start();

    await expect(terminal.root).toHaveAttribute("data-state", "ended");
    await expect(terminal.root.getByRole("status")).toContainText(/ended/i);
    await expect(page.getByText("Your previous session has ended.")).toBeVisible();
    await terminal.root.getByRole("button", { name: "Start a new session" }).click();
    await terminal.waitConnected();
    await terminal.type("echo second-$((3*3))\n");
    await expect(terminal.screen).toContainText("second-9");
  } finally {
    await site.stop();
  }
});

test("after a graceful restart the page resumes the same session, its sandbox restored", async ({ page, terminal }) => {
  const site = new SiteServer({ DATA_DIR: mkdtempSync(path.join(tmpdir(), "mesh-academy-e2e-")) });
  const url = await site.start();
  try {
    await page.goto(`${url}/lessons/welcome/`);
    await terminal.waitConnected();
    await terminal.type("export MARK=kept-$((6*7)); echo marked-$((1+1))\n");
    await expect(terminal.screen).toContainText("marked-2");

    // SIGTERM: the shutdown saves the sandbox, the next process restores it on the same id.
    await site.stop();
    await expect(terminal.root).toHaveAttribute("data-state", /reconnecting|connecting/);
    await site.start();

    await expect(terminal.root).toHaveAttribute("data-state", "connected");
    await expect(terminal.screen).toContainText("Your sandbox was restored after a server restart.");
    await terminal.type('echo "mark=$MARK"\n');
    await expect(terminal.screen).toContainText("mark=kept-42");
  } finally {
    await site.stop();
  }
});
