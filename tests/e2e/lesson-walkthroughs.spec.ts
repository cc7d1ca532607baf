// Lessons 2–7 walked through the way a learner does it: read each step, press Run on every
// command block of the step in page order, wait for the command to finish in the terminal,
// press Check, and reach the lesson's end; the page logs no error on the way.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { playwrightsOwn, TerminalHelper } from "./fixtures.ts";
import { SiteServer } from "./site-server.ts";

let dataDir = "";
let site: SiteServer;

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "mesh-academy-e2e-walkthrough-"));
  // The instant profile starts pods at once: the walk-through tests the lessons, not the pace.
  site = new SiteServer({ DATA_DIR: dataDir, SANDBOX_PROFILE: "instant" });
  await site.start();
});

test.afterAll(async () => {
  await site.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

// A command that runs until the learner stops it.
const WATCH = /^\s*kubectl\s+get\s(?:(?!\s--\s)[^|;&\n])*\s(?:--watch|-w)(?=\s|$)/m;

// The shell's prompt, e.g. "learner@workstation:~ (default)$ ", once colours are stripped.
const PROMPT = /^[^\s@]+@[^\s:]+:\S*( \([^)]*\))?\$ $/;

/**
 * The text a transcript shows, as a terminal would leave it: escape sequences gone, a carriage
 * return or a move to a column puts the cursor back on the line, and erasing to the end of the
 * line drops what was there (readline redraws its line that way). Wrapping is not modelled: a
 * long line stays one line.
 */
function plain(text: string): string {
  const lines: string[] = [];
  let line: string[] = [];
  let column = 0;
  const pattern = /\x1b\[([0-?]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]|[\s\S]/g;
  for (const match of text.matchAll(pattern)) {
    const [token, params, final] = match;
    if (final !== undefined) {
      const n = Number.parseInt(params ?? "", 10);
      if (final === "G") column = (Number.isNaN(n) ? 1 : n) - 1;
      else if (final === "C") column += Number.isNaN(n) ? 1 : n;
      else if (final === "D") column = Math.max(0, column - (Number.isNaN(n) ? 1 : n));
      else if ((final === "J" || final === "K") && (params === "" || params === "0")) line.length = Math.min(line.length, column);
    } else if (token === "\n") {
      lines.push(line.join(""));
      line = [];
      column = 0;
    } else if (token === "\r") {
      column = 0;
    } else if (token.length === 1 && token >= " ") {
      while (line.length < column) line.push(" ");
      line[column] = token;
      column += 1;
    }
  }
  lines.push(line.join(""));
  return lines.join("\n");
}

/**
 * Everything the terminal's WebSocket delivered, in order and once (the server numbers its
 * output, so a resume after a reconnect does not count twice). Reading the stream rather than
 * the screen keeps a command's echo in view however much it printed after it.
 */
class TerminalTranscript {
  #raw = "";

  constructor(page: Page) {
    page.on("websocket", (socket) => {
      if (!socket.url().endsWith("/terminal")) return;
      socket.on("framereceived", (frame) => {
        const payload = typeof frame.payload === "string" ? frame.payload : frame.payload.toString("utf8");
        let message: { type?: unknown; data?: unknown; offset?: unknown };
        try {
          message = JSON.parse(payload) as typeof message;
        } catch {
          return;
        }
        if (message.type !== "data" || typeof message.data !== "string" || typeof message.offset !== "number") return;
        const end = message.offset + message.data.length;
        if (end <= this.#raw.length) return;
        this.#raw += message.data.slice(Math.max(0, this.#raw.length - message.offset));
      });
    });
  }

  get length(): number {
    return this.#raw.length;
  }

  /** Whether the last thing the shell wrote is its prompt, with nothing typed after it. */
  atPrompt(from = 0): boolean {
    const text = plain(this.#raw.slice(from));
    return PROMPT.test(text.split("\n").at(-1) ?? "");
  }

  /**
   * Waits until every line of `command` was echoed, in order, after `from`, and the prompt
   * came back after the last one. The shell reads typed-ahead lines only at a prompt, so the
   * prompt after the last line's echo means the whole block has run.
   */
  async waitForCommand(command: string, from: number, what: string): Promise<void> {
    const lines = command.split("\n").map((line) => line.trim()).filter((line) => line !== "");
    const finished = (): boolean => {
      const text = plain(this.#raw.slice(from));
      let at = 0;
      for (const line of lines) {
        const found = text.indexOf(line, at);
        if (found === -1) return false;
        at = found + line.length;
      }
      const tail = text.slice(at);
      return tail.includes("\n") && PROMPT.test(tail.split("\n").at(-1) ?? "");
    };
    await expect.poll(finished, { message: `the terminal finishes ${what}`, timeout: 90_000 }).toBe(true);
  }

  /** The plain text after `from`, for failure messages. */
  since(from: number): string {
    return plain(this.#raw.slice(from));
  }
}

interface PlannedRun {
  /** The prose step ("## Step N: …") the block sits under; blocks before step 1 count as step 1. */
  step: number;
  /** Index among the lesson's Run buttons, in page order. */
  button: number;
  command: string;
}

/** Which Run button belongs to which step, read from the page as a learner sees it. */
async function planRuns(page: Page): Promise<{ headings: number; runs: PlannedRun[] }> {
  return page.locator("article.lesson").evaluate((article) => {
    const headings = [...article.querySelectorAll("h2")].filter((h) => /^Step \d+:/.test(h.textContent?.trim() ?? ""));
    const buttons = [...article.querySelectorAll<HTMLButtonElement>("button[data-run-command]")];
    const runs = buttons.map((button, index) => {
      let step = 1;
      headings.forEach((heading, at) => {
        if (heading.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING) step = at + 1;
      });
      return { step, button: index, command: button.dataset.runCommand ?? "" };
    });
    return { headings: headings.length, runs };
  });
}

async function walkThrough(page: Page, lesson: string, title: RegExp): Promise<void> {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error" || playwrightsOwn(message.text())) return;
    problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  const transcript = new TerminalTranscript(page);

  try {
    await followLesson(page, lesson, title, transcript);
  } finally {
    // What the terminal showed, to read when a step did not pass.
    const file = test.info().outputPath(`${lesson}-terminal.txt`);
    writeFileSync(file, transcript.since(0));
    await test.info().attach(`${lesson}-terminal.txt`, { path: file, contentType: "text/plain" });
  }
  expect(problems).toEqual([]);
}

async function followLesson(page: Page, lesson: string, title: RegExp, transcript: TerminalTranscript): Promise<void> {
  const terminal = new TerminalHelper(page);
  await page.goto(`${site.url}/lessons/${lesson}/`);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  // The sandbox's starting state is set up before the first prompt.
  await expect(terminal.root).toHaveAttribute("data-state", "connected", { timeout: 60_000 });
  await expect.poll(() => transcript.atPrompt(), { timeout: 60_000 }).toBe(true);

  const panel = page.getByRole("region", { name: "Steps" });
  const stepRegions = panel.locator("section[data-step]");
  await expect(stepRegions.first()).toBeVisible();
  const stepCount = await stepRegions.count();
  const plan = await planRuns(page);
  // Every step the panel checks is taught under its own heading in the prose.
  expect(plan.headings).toBe(stepCount);

  const buttons = page.locator("article.lesson button[data-run-command]");
  for (let number = 1; number <= stepCount; number += 1) {
    await page.getByRole("heading", { level: 2, name: new RegExp(`^Step ${number}:`) }).scrollIntoViewIfNeeded();
    for (const run of plan.runs.filter((r) => r.step === number)) {
      const button = buttons.nth(run.button);
      await button.scrollIntoViewIfNeeded();
      const from = transcript.length;
      await button.click();
      if (WATCH.test(run.command)) {
        // As the lesson says: watch until every container of the pod is ready, then Ctrl+C.
        await expect.poll(() => /\b(\d+)\/\1\s+Running\b/.test(transcript.since(from)), { timeout: 60_000 }).toBe(true);
        await terminal.root.locator(".xterm").click();
        await page.keyboard.press("Control+c");
      }
      await transcript.waitForCommand(run.command, from, `step ${number}, block ${run.button + 1}: ${run.command.split("\n")[0]}`);
    }
    const step = panel.getByRole("region", { name: new RegExp(`^Step ${number}:`) });
    await step.scrollIntoViewIfNeeded();
    await step.getByRole("button", { name: "Check" }).click();
    await expect(step.getByRole("status"), `step ${number} of ${lesson} passes its checks`).toHaveText("Step complete.", { timeout: 30_000 });
    await expect(step.getByRole("list", { name: "Checks" }).getByText("Passed")).toHaveCount(await step.locator(".step__checks li").count());
    await page.getByRole("heading", { level: 2, name: new RegExp(`^Step ${number}:`) }).scrollIntoViewIfNeeded();
  }

  await expect(panel.getByRole("status").filter({ hasText: /^Lesson complete: all \d+ steps have passed\.$/ })).toBeVisible();
  await expect(stepRegions.and(page.locator('[data-state="passed"]'))).toHaveCount(stepCount);
}

test.describe("lessons 2–5 walked through with Run and Check", () => {
  test.setTimeout(300_000);

  test("control plane and data plane", async ({ page }) => {
    await walkThrough(page, "control-and-data-plane", /Control plane and data plane/);
  });

  test("namespace labelling and sidecar injection", async ({ page }) => {
    await walkThrough(page, "sidecar-injection", /injection/i);
  });

  test("Bookinfo", async ({ page }) => {
    await walkThrough(page, "bookinfo", /Bookinfo/);
  });

  test("gateways", async ({ page }) => {
    await walkThrough(page, "gateways", /Gateway/);
  });
});

test.describe("lessons 6 and 7, which also place the live graph in their prose", () => {
  test.setTimeout(300_000);

  test("traffic management", async ({ page }) => {
    await walkThrough(page, "traffic-management", /Traffic management/);
  });

  test("resilience", async ({ page }) => {
    await walkThrough(page, "resilience", /Resilience/);
  });
});
