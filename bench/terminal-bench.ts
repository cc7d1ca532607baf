// Terminal benchmark: N concurrent sessions, each measured from WebSocket open to its first
// prompt, then for keystroke echo round trips while all of them type at once.
import { performance } from "node:perf_hooks";
import type { TerminalClient, TerminalTarget } from "./terminal-targets.ts";
import { percentile } from "./stats.ts";

export interface TerminalFigures {
  target: string;
  sessions: number;
  promptMs: number[];
  echoMs: number[];
  memoryPerSessionBytes: number;
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;
const endsWithPrompt = (text: string): boolean => /\$ $/.test(text.replace(ANSI, ""));
const KEYSTROKES_PER_SESSION = 20;

export async function measureTerminal(target: TerminalTarget, sessions: number): Promise<TerminalFigures> {
  await settle();
  const baseline = target.memoryBytes();
  const promptMs: number[] = [];
  const clients: TerminalClient[] = await Promise.all(
    Array.from({ length: sessions }, async () => {
      const start = performance.now();
      const client = await target.connect();
      await client.waitFor(0, endsWithPrompt);
      promptMs.push(performance.now() - start);
      return client;
    }),
  );
  await settle();
  const memoryPerSessionBytes = Math.max(0, (target.memoryBytes() - baseline) / sessions);
  const echoMs: number[] = [];
  await Promise.all(
    clients.map(async (client) => {
      for (let i = 0; i < KEYSTROKES_PER_SESSION; i += 1) {
        const from = client.output().length;
        const start = performance.now();
        client.send("x");
        await client.waitFor(from, (text) => text.includes("x"));
        echoMs.push(performance.now() - start);
      }
      client.send("\x15"); // Ctrl-U: leave the line empty again.
    }),
  );
  for (const client of clients) client.close();
  return { target: target.name, sessions, promptMs, echoMs, memoryPerSessionBytes };
}

export function summarise(figures: TerminalFigures): Record<string, number> {
  return {
    "open → prompt p50 (ms)": percentile(figures.promptMs, 50),
    "open → prompt p95 (ms)": percentile(figures.promptMs, 95),
    "echo round trip p50 (ms)": percentile(figures.echoMs, 50),
    "echo round trip p99 (ms)": percentile(figures.echoMs, 99),
    "memory per session (MiB)": figures.memoryPerSessionBytes / 1024 / 1024,
  };
}

function settle(): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  return new Promise((resolve) => setTimeout(resolve, 500));
}
