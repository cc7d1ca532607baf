// Resident memory of processes, read from /proc (Linux), for per-session memory figures.
import { readFileSync } from "node:fs";

export function residentBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function totalResidentBytes(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + residentBytes(pid), 0);
}
