/** Event the terminal listens for on `window`; detail is `{ command }`. */
export const RUN_EVENT = "mesh-academy:run";

const SENT_FEEDBACK_MS = 1200;

/**
 * Wires the Run buttons that the code-block plugin renders (`button[data-run-command]`).
 * One listener on the document covers every block, including ones added later.
 * The button never talks to the terminal directly: it only announces the command.
 */
export function setUpRunButtons(): void {
  document.addEventListener("click", (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const button = target.closest<HTMLButtonElement>("button[data-run-command]");
    const command = button?.dataset.runCommand;
    if (!button || command === undefined) return;

    window.dispatchEvent(new CustomEvent(RUN_EVENT, { detail: { command } }));

    // Brief visual acknowledgement; the terminal's own output is the real feedback.
    button.dataset.state = "sent";
    button.textContent = "Sent";
    window.setTimeout(() => {
      delete button.dataset.state;
      button.textContent = "Run";
    }, SENT_FEEDBACK_MS);
  });
}
