// The namespace the prompt shows: the one kubectl would use by default, from the current
// context of the kubeconfig kubectl would read.
import type { IFileSystem } from "just-bash";
import { parse } from "yaml";

let lastText: string | undefined;
let lastNamespace: string | undefined;

function namespaceIn(text: string): string | undefined {
  try {
    const config = parse(text) as { "current-context"?: unknown; contexts?: Array<{ name?: unknown; context?: { namespace?: unknown } }> } | null;
    const current = config?.["current-context"];
    const context = config?.contexts?.find((entry) => entry?.name === current)?.context;
    return typeof context?.namespace === "string" && context.namespace !== "" ? context.namespace : undefined;
  } catch {
    return undefined;
  }
}

/** The current context's namespace, or undefined when it is `default`, unset or unreadable. */
export async function currentNamespace(fs: IFileSystem, env: Readonly<Record<string, string>>): Promise<string | undefined> {
  const listed = env.KUBECONFIG?.split(":").find((entry) => entry !== "");
  const path = listed ?? `${env.HOME ?? "/"}/.kube/config`;
  let text: string;
  try {
    text = await fs.readFile(fs.resolvePath(env.PWD ?? "/", path), "utf8");
  } catch {
    return undefined;
  }
  // Parsed again only when the file changed: this runs after every command line.
  if (text !== lastText) {
    lastText = text;
    lastNamespace = namespaceIn(text);
  }
  return lastNamespace === "default" ? undefined : lastNamespace;
}
