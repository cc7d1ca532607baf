// Which browser origins may use the API and the terminal. A page from another site could
// otherwise drive a learner's terminal with the learner's own browser (cross-site WebSocket
// hijacking), so the check runs before any upgrade or state change.

/**
 * True when `origin` is the server's own (same host as the Host header, over http or https,
 * since a TLS-terminating proxy may sit in front) or one of `allowedOrigins`.
 */
export function isOriginAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowedOrigins: readonly string[],
): boolean {
  if (!origin || origin === "null") return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  if (allowedOrigins.includes(url.origin)) return true;
  if (!host) return false;
  return url.host === normalizeHost(host, url.protocol);
}

// The Host header may spell out the default port that URL.host leaves out.
function normalizeHost(host: string, protocol: string): string {
  const lower = host.trim().toLowerCase();
  const defaultPort = protocol === "https:" ? ":443" : ":80";
  return lower.endsWith(defaultPort) ? lower.slice(0, -defaultPort.length) : lower;
}
