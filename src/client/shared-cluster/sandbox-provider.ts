// What runs this server's sandboxes ("embedded" or "cluster"), asked once per page from
// GET /api/sandbox. Undefined when the server cannot say (a static preview of the site).
let asked: Promise<string | undefined> | undefined;

export function sandboxProvider(): Promise<string | undefined> {
  asked ??= fetch("/api/sandbox", { headers: { accept: "application/json" } })
    .then(async (response) => (response.ok ? ((await response.json()) as { provider?: unknown }).provider : undefined))
    .then((provider) => (typeof provider === "string" ? provider : undefined))
    .catch(() => undefined);
  return asked;
}
