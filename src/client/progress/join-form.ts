import { ProgressClient } from "./progress-client.ts";

/**
 * The `/join` page's form: `form[data-join-form]` with inputs named `code` and `displayName`
 * and a `[data-join-status]` element. Posts to /api/join (with the CSRF header); on success
 * the learner cookie is set and the page goes to the workshop's first lesson. Messages are
 * shown with textContent only.
 */
export function setUpJoinForm(form: HTMLFormElement, navigate: (url: string) => void = (url) => window.location.assign(url)): void {
  const status = form.querySelector<HTMLElement>("[data-join-status]");
  const client = new ProgressClient();
  // A link from the instructor may carry the code: /join?code=ABC234.
  const codeInput = form.elements.namedItem("code");
  const linked = new URLSearchParams(window.location.search).get("code");
  if (codeInput instanceof HTMLInputElement && linked !== null && codeInput.value === "") codeInput.value = linked.slice(0, 32);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const code = String(data.get("code") ?? "");
    const displayName = String(data.get("displayName") ?? "");
    const button = form.querySelector<HTMLButtonElement>("button[type=submit], button:not([type])");
    if (button) button.disabled = true;
    if (status) {
      status.dataset.kind = "progress";
      status.textContent = "Joining…";
    }
    void client.join(code, displayName).then((result) => {
      if (button) button.disabled = false;
      if (result.ok) {
        if (status) {
          status.dataset.kind = "ok";
          status.textContent = `You joined “${result.workshop.title}”. Opening the first lesson…`;
        }
        const first = result.workshop.lessons[0];
        navigate(first === undefined ? "/" : `/lessons/${encodeURIComponent(first)}/`);
      } else if (status) {
        status.dataset.kind = "error";
        status.textContent = joinErrorText(result.code, result.message);
      }
    });
  });
}

/**
 * What to tell someone whose join was refused, in words, with times in their own time zone.
 * The server's message names the time as ISO 8601; it is reformatted where there is one.
 */
export function joinErrorText(code: string, serverMessage: string, formatTime: (ms: number) => string = (ms) => new Date(ms).toLocaleString()): string {
  const iso = /\b(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)\b/.exec(serverMessage)?.[1];
  const when = iso === undefined ? undefined : formatTime(Date.parse(iso));
  switch (code) {
    case "WORKSHOP_NOT_FOUND":
      return "No workshop has this code. Check it with your instructor: codes use letters and digits, without 0, 1, I, L or O.";
    case "WORKSHOP_FULL":
      return "This workshop is full. Ask your instructor to make room.";
    case "WORKSHOP_NOT_STARTED":
      return when === undefined ? "This workshop has not started yet." : `This workshop has not started yet: it opens at ${when}.`;
    case "WORKSHOP_ENDED":
      return when === undefined ? "This workshop has ended." : `This workshop ended at ${when}.`;
    case "JOIN_RATE_LIMITED": {
      const wait = /try again in \d+ s/.exec(serverMessage)?.[0];
      return `Too many tries from your network. ${wait === undefined ? "Please wait a minute and try again." : `Please ${wait}.`}`;
    }
    case "BAD_REQUEST":
      return "Enter the workshop code and a name of 1 to 60 characters.";
    default:
      return serverMessage;
  }
}
