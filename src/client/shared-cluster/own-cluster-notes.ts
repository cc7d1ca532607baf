// The lesson list on a shared cluster (SANDBOX_PROVIDER=cluster): lessons that need a cluster
// of their own can only be read along there, and their cards say so before they are opened.
// The notes are in the page, hidden; only the provider decides whether they show.
import { sandboxProvider } from "./sandbox-provider.ts";

export async function showOwnClusterNotes(root: ParentNode): Promise<void> {
  const notes = [...root.querySelectorAll<HTMLElement>("[data-own-cluster-note]")];
  if (notes.length === 0) return;
  const shared = (await sandboxProvider()) === "cluster";
  for (const note of notes) note.hidden = !shared;
}
