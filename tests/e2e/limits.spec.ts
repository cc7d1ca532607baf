// An endless loop in one learner's terminal is stopped by the shell's limits, and another
// learner's terminal keeps answering meanwhile.
import { expect, test } from "./fixtures.ts";
import { TerminalHelper } from "./fixtures.ts";

test("an endless loop is stopped with a clear message while another session stays responsive", async ({ browser, baseURL }) => {
  const first = await browser.newContext({ baseURL });
  const second = await browser.newContext({ baseURL });
  try {
    const looping = new TerminalHelper(await first.newPage());
    const other = new TerminalHelper(await second.newPage());
    await looping.page.goto("/lessons/welcome/");
    await other.page.goto("/lessons/welcome/");
    await looping.waitConnected();
    await other.waitConnected();

    await looping.type("while true; do :; done\n");
    await other.type("echo still-$((20+1))-here\n");
    await expect(other.screen).toContainText("still-21-here");
    await expect(looping.screen).toContainText(/too many commands|limit/i);
    // The looping shell is usable again afterwards.
    await looping.type("echo recovered\n");
    await expect.poll(() => looping.text()).toMatch(/^recovered$/m);
  } finally {
    await first.close();
    await second.close();
  }
});
