// /admin: the instructor enters their token (kept for this tab), creates workshops and sees
// the list with join codes and links to each dashboard.
import { AdminApiError, AdminClient, type WorkshopSummary } from "./admin-client.ts";
import { AdminTokenStore } from "./admin-token-store.ts";

export interface AdminPageParts {
  tokenForm: HTMLFormElement;
  tokenStatus: HTMLElement;
  forget: HTMLButtonElement;
  createForm: HTMLFormElement;
  createStatus: HTMLElement;
  list: HTMLElement;
}

export function setUpAdminPage(parts: AdminPageParts, store = new AdminTokenStore()): void {
  const { tokenForm, tokenStatus, forget, createForm, createStatus, list } = parts;
  const client = (): AdminClient | undefined => {
    const token = store.get();
    return token === null ? undefined : new AdminClient(token);
  };
  const showToken = (): void => {
    const set = store.get() !== null;
    tokenStatus.textContent = set ? "A token is set for this tab." : "Enter the instructor token (ADMIN_TOKEN) to manage workshops.";
    forget.hidden = !set;
    createForm.querySelector("fieldset")?.toggleAttribute("disabled", !set);
  };
  const refresh = async (): Promise<void> => {
    const api = client();
    if (api === undefined) {
      list.replaceChildren(text("p", "Workshops appear here once a token is set."));
      return;
    }
    try {
      renderWorkshops(list, await api.workshops(), lessonTitles(createForm));
    } catch (error) {
      list.replaceChildren(text("p", error instanceof Error ? error.message : "The workshops could not be loaded."));
      if (error instanceof AdminApiError && error.status === 401) {
        store.clear();
        showToken();
        tokenStatus.textContent = error.message;
      }
    }
  };

  // Sensible defaults: starts now, lasts three hours.
  const starts = createForm.elements.namedItem("startsAt");
  const ends = createForm.elements.namedItem("endsAt");
  const now = new Date();
  if (starts instanceof HTMLInputElement && starts.value === "") starts.value = localInputValue(now);
  if (ends instanceof HTMLInputElement && ends.value === "") ends.value = localInputValue(new Date(now.getTime() + 3 * 3_600_000));

  tokenForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const token = String(new FormData(tokenForm).get("token") ?? "").trim();
    if (token === "") return;
    store.set(token);
    tokenForm.reset();
    showToken();
    void refresh();
  });
  forget.addEventListener("click", () => {
    store.clear();
    showToken();
    void refresh();
  });
  createForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const api = client();
    if (api === undefined) return;
    const data = new FormData(createForm);
    const lessons = data.getAll("lessons").map(String);
    if (lessons.length === 0) {
      createStatus.textContent = "Choose at least one lesson.";
      return;
    }
    const startsAt = new Date(String(data.get("startsAt") ?? ""));
    const endsAt = new Date(String(data.get("endsAt") ?? ""));
    if (Number.isNaN(startsAt.getTime()) || Number.isNaN(endsAt.getTime())) {
      createStatus.textContent = "Give a start and an end time.";
      return;
    }
    const joinCode = String(data.get("joinCode") ?? "").trim();
    createStatus.textContent = "Creating…";
    api
      .create({
        title: String(data.get("title") ?? ""),
        lessons,
        capacity: Number(data.get("capacity") ?? 0),
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        ...(joinCode !== "" ? { joinCode } : {}),
      })
      .then(
        (workshop) => {
          createStatus.textContent = `Created “${workshop.title}”. Join code: ${workshop.joinCode}.`;
          void refresh();
        },
        (error: unknown) => {
          createStatus.textContent = error instanceof Error ? error.message : "The workshop could not be created.";
        },
      );
  });

  showToken();
  void refresh();
}

/** Lesson titles by id, read from the form's lesson checkboxes (the page renders them from the lessons). */
function lessonTitles(form: HTMLFormElement): Map<string, string> {
  const titles = new Map<string, string>();
  for (const box of form.querySelectorAll<HTMLInputElement>("input[name='lessons']")) {
    const title = box.closest("label")?.textContent?.trim() ?? "";
    if (title !== "") titles.set(box.value, title);
  }
  return titles;
}

function renderWorkshops(list: HTMLElement, workshops: WorkshopSummary[], titles: ReadonlyMap<string, string>): void {
  if (workshops.length === 0) {
    list.replaceChildren(text("p", "No workshops yet."));
    return;
  }
  const table = document.createElement("table");
  table.className = "admin__workshops";
  const head = document.createElement("tr");
  for (const label of ["Title", "Join code", "Opens", "Ends", "Seats", "Lessons", ""]) {
    const th = text("th", label);
    th.scope = "col";
    head.append(th);
  }
  const thead = document.createElement("thead");
  thead.append(head);
  const tbody = document.createElement("tbody");
  for (const w of workshops) {
    const tr = document.createElement("tr");
    const link = text("a", "Dashboard");
    link.href = `/admin/workshop/?id=${encodeURIComponent(w.id)}`;
    link.setAttribute("aria-label", `Dashboard of ${w.title}`);
    const code = text("code", w.joinCode);
    const codeCell = document.createElement("td");
    codeCell.append(code);
    const title = text("th", w.title);
    title.scope = "row";
    const linkCell = document.createElement("td");
    linkCell.append(link);
    tr.append(title, codeCell, text("td", when(w.startsAt)), text("td", when(w.endsAt)), text("td", String(w.capacity)), text("td", w.lessons.map((id) => titles.get(id) ?? id).join(", ")), linkCell);
    tbody.append(tr);
  }
  table.append(thead, tbody);
  list.replaceChildren(table);
}

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** A Date as a datetime-local input's value (local time, minutes). */
export function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function text<K extends keyof HTMLElementTagNameMap>(tag: K, content: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.textContent = content;
  return element;
}
