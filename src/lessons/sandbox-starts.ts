// The named states a lesson's sandbox can start from. Each name is a promise the sandbox
// providers must keep, so the list only grows when a provider can build that state.
export const SANDBOX_STARTS = ["empty"] as const;

export type SandboxStart = (typeof SANDBOX_STARTS)[number];
