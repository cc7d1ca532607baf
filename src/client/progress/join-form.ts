import { ProgressClient } from "./progress-client.ts";

/**
 * The `/join` page's form: `form[data-join-form]` with inputs named `code` and `displayName`
 * and a `[data-join-status]` element. Posts to /api/join (with the CSRF header); on success
 * the learner cookie is set and the page goes to the workshop's first lesson. Messages come
 * from the server and are shown with textContent only.
 */
export function setUpJoinForm(form: HTMLFormElement, navigate: (url: string) => void = (url) => window.location.assign(url)): void {
  const status = form.querySelector<HTMLElement>("[data-join-status]");
  const client = new ProgressClient();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const code = String(data.get("code") ?? "");
    const displayName = String(data.get("displayName") ?? "");
    const button = form.querySelector<HTMLButtonElement>("button[type=submit], button:not([type])");
    if (button) button.disabled = true;
    if (status) status.textContent = "Joining…";
    void client.join(code, displayName).then((result) => {
      if (button) button.disabled = false;
      if (result.ok) {
        if (status) status.textContent = `You joined “${result.workshop.title}”.`;
        const first = result.workshop.lessons[0];
        navigate(first === undefined ? "/" : `/lessons/${encodeURIComponent(first)}/`);
      } else if (status) {
        status.textContent = result.message;
      }
    });
  });
}
