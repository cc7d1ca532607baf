// Checks that need to see behaviour rather than objects: `istioctl analyze`, and HTTP
// requests sent from the workstation or from inside a pod, exactly as the learner would.
import type { Check, CheckContext } from "./check-types.ts";
import { teachingMessage, type TeachingOptions } from "./teaching-message.ts";

/** Quotes one word for bash. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

const ANALYZE_MESSAGE = /^(Error|Warning) \[IST\d+\].*$/gm;

/** `istioctl analyze -n NAMESPACE` reports no errors and no warnings. */
export function analyzeClean(namespace: string, options: TeachingOptions = {}): Check {
  const command = `istioctl analyze -n ${shellQuote(namespace)}`;
  return {
    name: options.name ?? `istioctl analyze finds nothing in namespace ${namespace}`,
    async run(context) {
      const result = await context.run(command);
      const output = `${result.stdout}${result.stderr}`;
      const messages = output.match(ANALYZE_MESSAGE) ?? [];
      if (messages.length > 0) {
        const listed = messages.slice(0, 3).join("; ") + (messages.length > 3 ? `; and ${messages.length - 3} more` : "");
        return context.fail(teachingMessage(`\`${command}\` reports ${listed}`, { why: options.why ?? "see the full list with that command", fix: options.fix }));
      }
      if (result.exitCode !== 0) {
        const line = output.trim().split("\n").at(-1) ?? "";
        return context.fail(teachingMessage(`\`${command}\` did not succeed (exit ${result.exitCode}${line ? `: ${line}` : ""})`, { why: options.why, fix: options.fix }));
      }
      return context.pass();
    },
  };
}

export interface HttpExpectation {
  /** Send from the workstation (the default) or from a Ready pod matching a selector. */
  from?: "workstation" | { namespace: string; selector: string; container?: string };
  url: string;
  method?: string;
  /** Request headers, e.g. `{ "end-user": "jason" }`. */
  headers?: Record<string, string>;
  status?: number;
  /** The body contains this text (or matches this expression). */
  body?: string | RegExp;
  /** Response headers that must be present with these values (names are case-insensitive). */
  responseHeaders?: Record<string, string | RegExp>;
}

interface ParsedResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** Reads `curl -i` output; after a 1xx or a followed redirect, the next response counts. */
export function parseCurlResponse(text: string): ParsedResponse | undefined {
  let rest = text.replaceAll("\r\n", "\n");
  for (;;) {
    if (!rest.startsWith("HTTP/")) return undefined;
    const end = rest.indexOf("\n\n");
    const head = end === -1 ? rest : rest.slice(0, end);
    const body = end === -1 ? "" : rest.slice(end + 2);
    const [statusLine = "", ...headerLines] = head.split("\n");
    const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(statusLine)?.[1]);
    if (!Number.isInteger(status)) return undefined;
    if (body.startsWith("HTTP/") && (status < 200 || (status >= 300 && status < 400))) {
      rest = body;
      continue;
    }
    const headers = new Map<string, string>();
    for (const line of headerLines) {
      const colon = line.indexOf(":");
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    return { status, headers, body };
  }
}

async function podFor(context: CheckContext, from: { namespace: string; selector: string }): Promise<string | undefined> {
  const list = await context.core.listNamespacedPod({ namespace: from.namespace, labelSelector: from.selector });
  const ready = list.items.find(
    (pod) => pod.metadata?.deletionTimestamp === undefined && pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
  );
  return ready?.metadata?.name;
}

export function httpResponds(expectation: HttpExpectation, options: TeachingOptions = {}): Check {
  const from = expectation.from ?? "workstation";
  const origin = from === "workstation" ? "the workstation" : `a pod matching \`${from.selector}\` in namespace ${from.namespace}`;
  const wanted = [
    expectation.status !== undefined ? `status ${expectation.status}` : undefined,
    expectation.body !== undefined ? "the expected body" : undefined,
    expectation.responseHeaders !== undefined ? "the expected headers" : undefined,
  ].filter((part) => part !== undefined);
  const curl = [
    "curl -sS -i --max-time 10",
    ...(expectation.method !== undefined ? [`-X ${shellQuote(expectation.method)}`] : []),
    ...Object.entries(expectation.headers ?? {}).map(([name, value]) => `-H ${shellQuote(`${name}: ${value}`)}`),
    shellQuote(expectation.url),
  ].join(" ");
  return {
    name: options.name ?? `${expectation.method ?? "GET"} ${expectation.url} from ${origin} answers ${wanted.join(", ") || "at all"}`,
    async run(context) {
      let command = curl;
      if (from !== "workstation") {
        const pod = await podFor(context, from);
        if (pod === undefined) {
          return context.fail(teachingMessage(`No Ready pod matches \`${from.selector}\` in namespace ${from.namespace}, so there is nothing to send the request from`, { why: options.why, fix: options.fix }));
        }
        const container = from.container !== undefined ? ` -c ${shellQuote(from.container)}` : "";
        command = `kubectl exec -n ${shellQuote(from.namespace)} ${shellQuote(pod)}${container} -- ${curl}`;
      }
      const result = await context.run(command);
      const response = parseCurlResponse(result.stdout);
      const request = `\`${expectation.method ?? "GET"} ${expectation.url}\` from ${origin}`;
      if (response === undefined) {
        const reason = (result.stderr.trim().split("\n").at(-1) ?? "").trim() || `exit ${result.exitCode}`;
        return context.fail(teachingMessage(`${request} got no HTTP answer (${reason})`, { why: options.why, fix: options.fix }));
      }
      if (expectation.status !== undefined && response.status !== expectation.status) {
        return context.fail(teachingMessage(`${request} answered ${response.status}, not ${expectation.status}`, { why: options.why, fix: options.fix }));
      }
      const body = expectation.body;
      if (body !== undefined && !(typeof body === "string" ? response.body.includes(body) : body.test(response.body))) {
        const shown = response.body.length > 120 ? `${response.body.slice(0, 120)}…` : response.body;
        return context.fail(
          teachingMessage(`${request} answered with a body without ${typeof body === "string" ? `\`${body}\`` : String(body)} (got \`${shown.trim()}\`)`, {
            why: options.why,
            fix: options.fix,
          }),
        );
      }
      for (const [name, value] of Object.entries(expectation.responseHeaders ?? {})) {
        const actual = response.headers.get(name.toLowerCase());
        const ok = actual !== undefined && (typeof value === "string" ? actual === value : value.test(actual));
        if (!ok) {
          const got = actual === undefined ? "no such header" : `\`${name}: ${actual}\``;
          return context.fail(teachingMessage(`${request} answered without the header \`${name}: ${String(value)}\` (${got})`, { why: options.why, fix: options.fix }));
        }
      }
      return context.pass();
    },
  };
}
