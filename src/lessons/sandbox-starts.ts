// The named states a lesson's sandbox can start from. Each name other than `empty` is a
// script in content/sandbox-starts/ that sandboxes run before the terminal opens.
export const SANDBOX_STARTS = ["empty", "istio", "istio-injected", "bookinfo", "bookinfo-gateway", "broken-mesh"] as const;

export type SandboxStart = (typeof SANDBOX_STARTS)[number];

export function isSandboxStart(value: unknown): value is SandboxStart {
  return typeof value === "string" && (SANDBOX_STARTS as readonly string[]).includes(value);
}
