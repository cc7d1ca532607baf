// What an embedded sandbox's snapshot holds, and the checks a snapshot read back from disk
// must pass before a sandbox is rebuilt from it: the learner's cluster objects, the
// workstation shell's files and sessions (env, cwd), and the credentials the shell's
// kubeconfig held, so a restore can point that kubeconfig at the new cluster.
import { parse } from "yaml";
import { z } from "zod";
import type { ShellSnapshotData } from "../sandbox/index.ts";
import type { SavedObject } from "./dump-user-objects.ts";

export const EMBEDDED_SNAPSHOT_KIND = "embedded-sandbox/v1";

export interface KubeconfigCredentials {
  server: string;
  token: string;
}

export interface EmbeddedSnapshotData {
  objects: SavedObject[];
  /** The worker's files and sessions, and each terminal's history (newest first) by session. */
  shell: ShellSnapshotData & { history?: Record<string, string[]> };
  credentials: KubeconfigCredentials;
}

export class SnapshotFormatError extends Error {
  readonly code = "SNAPSHOT_INVALID";

  constructor(message: string) {
    super(message);
    this.name = "SnapshotFormatError";
  }
}

const savedObject = z.looseObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata: z.looseObject({ name: z.string().min(1) }),
});

const snapshotEntry = z.strictObject({
  path: z.string().startsWith("/"),
  kind: z.enum(["file", "directory", "symlink"]),
  mode: z.number().int().min(0),
  content: z.string().optional(),
});

const embeddedSnapshot = z.strictObject({
  objects: z.array(savedObject),
  shell: z.strictObject({
    files: z.array(snapshotEntry),
    sessions: z.record(z.string(), z.strictObject({ env: z.record(z.string(), z.string()), cwd: z.string() })),
    history: z.record(z.string(), z.array(z.string())).optional(),
  }),
  credentials: z.strictObject({ server: z.string(), token: z.string() }),
});

/** The data of a snapshot of this kind, or a SnapshotFormatError saying what is wrong. */
export function parseEmbeddedSnapshot(snapshot: { kind: string; data: unknown }): EmbeddedSnapshotData {
  if (snapshot.kind !== EMBEDDED_SNAPSHOT_KIND) throw new SnapshotFormatError(`unknown sandbox snapshot kind ${JSON.stringify(snapshot.kind)}`);
  const parsed = embeddedSnapshot.safeParse(snapshot.data);
  if (!parsed.success) throw new SnapshotFormatError(`malformed embedded sandbox snapshot: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data as EmbeddedSnapshotData;
}

/** The server and token of a kubeconfig's first cluster and user. */
export function kubeconfigCredentials(kubeconfig: string): KubeconfigCredentials {
  const config = parse(kubeconfig) as { clusters?: { cluster?: { server?: unknown } }[]; users?: { user?: { token?: unknown } }[] } | null;
  const server = config?.clusters?.[0]?.cluster?.server;
  const token = config?.users?.[0]?.user?.token;
  return { server: typeof server === "string" ? server : "", token: typeof token === "string" ? token : "" };
}

/**
 * The shell's files with the old cluster's address and token replaced by the new ones
 * wherever they appear (the learner's `~/.kube/config`, or a copy they made), so kubectl
 * reaches the restored cluster and the learner's own kubeconfig edits (a default namespace)
 * are kept.
 */
export function repointShellFiles(shell: ShellSnapshotData, from: KubeconfigCredentials, to: KubeconfigCredentials): ShellSnapshotData {
  const replace = (text: string) => {
    let result = text;
    if (from.server !== "") result = result.replaceAll(from.server, to.server);
    if (from.token !== "") result = result.replaceAll(from.token, to.token);
    return result;
  };
  const files = shell.files.map((entry) => {
    if (entry.kind !== "file" || entry.content === undefined) return entry;
    const text = Buffer.from(entry.content, "base64").toString("utf8");
    const replaced = replace(text);
    return replaced === text ? entry : { ...entry, content: Buffer.from(replaced, "utf8").toString("base64") };
  });
  return { ...shell, files };
}
