// The lesson's Run buttons and the terminal never import each other: a button dispatches a
// window event, the terminal listens. Either can be absent from a page without breaking the other.

export const RUN_COMMAND_EVENT = "mesh-academy:run";

export interface RunCommandDetail {
  command: string;
}

/** Ask the page's terminal to run `command` (what a Run button does). */
export function dispatchRunCommand(target: EventTarget, command: string): void {
  target.dispatchEvent(new CustomEvent<RunCommandDetail>(RUN_COMMAND_EVENT, { detail: { command } }));
}

/** Calls `run` for every well-formed run event on `target`. Returns a function that stops listening. */
export function listenForRunCommands(target: EventTarget, run: (command: string) => void): () => void {
  const listener = (event: Event): void => {
    const detail: unknown = (event as CustomEvent<unknown>).detail;
    if (typeof detail !== "object" || detail === null) return;
    const { command } = detail as Record<string, unknown>;
    if (typeof command === "string") run(command);
  };
  target.addEventListener(RUN_COMMAND_EVENT, listener);
  return () => target.removeEventListener(RUN_COMMAND_EVENT, listener);
}
