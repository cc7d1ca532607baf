// A server per test file (worker), with the page's baseURL pointing at it, and helpers to
// read what the terminal shows.
import { test as base, expect, type Locator, type Page } from "@playwright/test";
import { SiteServer } from "./site-server.ts";

export const test = base.extend<{ terminal: TerminalHelper }, { site: SiteServer }>({
  site: [
    async ({}, use) => {
      const server = new SiteServer();
      await server.start();
      await use(server);
      await server.stop();
    },
    { scope: "worker" },
  ],
  baseURL: async ({ site }, use) => {
    await use(site.url);
  },
  terminal: async ({ page }, use) => {
    await use(new TerminalHelper(page));
  },
});

export { expect };

/**
 * Playwright itself runs scripts in every frame, and Chromium reports that as blocked in the
 * terminal's empty, sandboxed preview frame; a learner's browser never logs it
 * (microsoft/playwright#33343).
 */
export function playwrightsOwn(text: string): boolean {
  return text.startsWith("Blocked script execution in 'about:blank' because the document's frame is sandboxed");
}

export class TerminalHelper {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  get root(): Locator {
    return this.page.locator("[data-terminal]").first();
  }

  get screen(): Locator {
    return this.root.locator(".xterm-rows");
  }

  async waitConnected(): Promise<void> {
    await expect(this.root).toHaveAttribute("data-state", "connected");
    await expect(this.screen).toContainText("$");
  }

  async type(text: string): Promise<void> {
    await this.root.locator(".xterm").click();
    await this.page.keyboard.type(text);
  }

  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  /** The visible screen, one line per terminal row. */
  async text(): Promise<string> {
    const rows = await this.screen.locator(":scope > div").allTextContents();
    return rows.map((row) => row.replace(/\u00a0/g, " ").trimEnd()).join("\n");
  }
}
