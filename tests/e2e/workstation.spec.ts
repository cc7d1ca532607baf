// The learner's workstation as a person types into it: multi-line here-documents, history,
// a watch stopped with Ctrl-C, variables carried between commands and Tab completion of a
// pod's name. The server runs its sandboxes with the `instant` profile so pods are Running
// as soon as they are created.
import { expect, test as base, TerminalHelper } from "./fixtures.ts";
import { SiteServer } from "./site-server.ts";

const test = base.extend<{ shell: TerminalHelper }, { site: SiteServer }>({
  site: [
    async ({}, use) => {
      const server = new SiteServer({ SANDBOX_PROFILE: "instant" });
      await server.start();
      await use(server);
      await server.stop();
    },
    { scope: "worker" },
  ],
  shell: async ({ page, terminal }, use) => {
    await page.goto("/lessons/welcome/");
    await terminal.waitConnected();
    // Keys go where a person's would: into the terminal they clicked.
    await page.getByRole("region", { name: "Terminal", exact: true }).click();
    await use(terminal);
  },
});

const PROMPT = /learner@workstation:\S*( \([^)]*\))?\$ ?$/;

/** The screen's last non-empty row. */
async function lastRow(shell: TerminalHelper): Promise<string> {
  const rows = (await shell.text()).split("\n").filter((row) => row.trim() !== "");
  return rows.at(-1) ?? "";
}

/** How many rows of the screen are exactly `line`. */
async function rowsEqual(shell: TerminalHelper, line: string): Promise<number> {
  return (await shell.text()).split("\n").filter((row) => row.trim() === line).length;
}

test("a here-document typed line by line applies a manifest, and kubectl get shows the object", async ({ shell }) => {
  await shell.page.keyboard.type(
    [
      "kubectl apply -f - <<EOF",
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: greeting",
      "data:",
      "  message: hello-from-a-heredoc",
      "EOF",
      "",
    ].join("\n"),
  );
  await expect.poll(() => rowsEqual(shell, "configmap/greeting created")).toBe(1);
  // Each body line was asked for with bash's continuation prompt.
  await expect.poll(async () => (await shell.text()).split("\n").filter((row) => row.startsWith("> ")).length).toBe(7);

  await shell.page.keyboard.type("kubectl get configmap greeting\n");
  await expect.poll(async () => shell.text()).toMatch(/^NAME\s+DATA\s+AGE\ngreeting\s+1\s+\d+s$/m);
  await shell.page.keyboard.type("kubectl get configmap greeting -o jsonpath='{.data.message}{\"\\n\"}'\n");
  await expect.poll(() => rowsEqual(shell, "hello-from-a-heredoc")).toBe(1);
});

test("the up arrow recalls earlier command lines to run again", async ({ shell }) => {
  await shell.page.keyboard.type("echo first-$((20+1))\n");
  await expect.poll(() => rowsEqual(shell, "first-21")).toBe(1);
  await shell.page.keyboard.type("echo second-$((20+2))\n");
  await expect.poll(() => rowsEqual(shell, "second-22")).toBe(1);

  await shell.press("ArrowUp");
  await shell.press("ArrowUp");
  // The recalled line sits at the prompt, unexpanded, waiting for Enter.
  await expect.poll(() => lastRow(shell)).toMatch(/\$ echo first-\$\(\(20\+1\)\)$/);
  await shell.press("Enter");
  await expect.poll(() => rowsEqual(shell, "first-21")).toBe(2);
  await shell.press("ArrowUp");
  await expect.poll(() => lastRow(shell)).toMatch(/\$ echo first-\$\(\(20\+1\)\)$/);
  await shell.press("ArrowDown");
  await expect.poll(() => lastRow(shell)).toMatch(PROMPT);
});

test("kubectl get pods -w shows its table while it runs, and Ctrl-C returns to the prompt", async ({ shell }) => {
  await shell.page.keyboard.type("kubectl get pods -n mesh-academy -w\n");
  await expect.poll(() => shell.text()).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nworkstation\s+1\/1\s+Running\s+0\s+\S+$/m);
  // Still watching a while later: no prompt came back under the rows.
  await shell.page.waitForTimeout(1000);
  expect(await lastRow(shell)).toMatch(/^workstation\s+1\/1\s+Running/);

  await shell.press("Control+C");
  await expect.poll(() => lastRow(shell)).toMatch(PROMPT);
  expect(await shell.text()).toMatch(/\^C\n.*learner@workstation/);
  await shell.page.keyboard.type("echo status=$?\n");
  await expect.poll(() => rowsEqual(shell, "status=130")).toBe(1);
});

test("a variable exported in one command line is used by the next", async ({ shell }) => {
  await shell.page.keyboard.type("export APP=web-$((40+2))\n");
  await expect.poll(() => lastRow(shell)).toMatch(PROMPT);
  await shell.page.keyboard.type("kubectl create deployment $APP --image=nginx\n");
  await expect.poll(() => rowsEqual(shell, "deployment.apps/web-42 created")).toBe(1);
  await shell.page.keyboard.type('kubectl get deployment "$APP" -o name\n');
  await expect.poll(() => rowsEqual(shell, "deployment.apps/web-42")).toBe(1);
});

test("Tab completes the workstation pod's name in namespace mesh-academy", async ({ shell }) => {
  await shell.page.keyboard.type("kubectl get pod -n mesh-academy wo");
  await shell.press("Tab");
  // The completed name and the space after it, still waiting for Enter.
  await expect.poll(() => lastRow(shell)).toMatch(/\$ kubectl get pod -n mesh-academy workstation$/);
  await shell.press("Enter");
  await expect.poll(() => shell.text()).toMatch(/^workstation\s+1\/1\s+Running\s+0\s+\S+$/m);

  await shell.page.keyboard.type("kubectl logs -n mesh-academy ");
  await shell.press("Tab");
  await expect.poll(() => lastRow(shell)).toMatch(/\$ kubectl logs -n mesh-academy workstation$/);
});
