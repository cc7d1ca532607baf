// Lessons are written for a cluster of one's own: their checks read `default` (Bookinfo's pods
// in namespace default, the default namespace's labels). On a shared cluster the learner's
// namespace plays that part, so checks read the cluster through this relay: a loopback HTTP
// endpoint that forwards to the real API server with the learner's own credentials and turns
// the namespace `default` in request paths into the learner's namespace. The learner's RBAC
// still decides every request; the relay only renames, and answers no one without its token.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import { request as httpsRequest, type RequestOptions } from "node:https";
import type { AddressInfo } from "node:net";
import type { KubeConfig } from "@kubernetes/client-node";
import { stringify } from "yaml";

export interface NamespaceRelay {
  /** A kubeconfig for the relay: reads through it see the learner's namespace as `default`. */
  readonly kubeconfig: string;
  close(): Promise<void>;
}

// Kinds that live outside namespaces: their collections stay cluster-wide.
const CLUSTER_SCOPED = new Set([
  "namespaces", "nodes", "persistentvolumes", "storageclasses", "customresourcedefinitions", "apiservices",
  "clusterroles", "clusterrolebindings", "mutatingwebhookconfigurations", "validatingwebhookconfigurations",
  "validatingadmissionpolicies", "validatingadmissionpolicybindings", "gatewayclasses", "ingressclasses",
  "priorityclasses", "runtimeclasses", "csidrivers", "csinodes", "volumeattachments", "certificatesigningrequests",
  "tokenreviews", "subjectaccessreviews", "selfsubjectaccessreviews", "selfsubjectrulesreviews", "componentstatuses",
]);

/**
 * The path as the learner's namespace sees it: `/namespaces/default/…` becomes the learner's
 * namespace, and a cluster-wide collection of a namespaced kind (`/api/v1/pods`, which the
 * learner may not list) becomes the learner's namespace's, so watches over "everything" (the
 * page's auto-check) see what the learner may see. Everything else is untouched.
 */
export function renameDefaultNamespace(path: string, namespace: string): string {
  const renamed = path.replace(/\/namespaces\/default(?=\/|\?|$)/, `/namespaces/${namespace}`);
  const collection = /^(\/api\/v1|\/apis\/[^/?]+\/[^/?]+)\/([a-z0-9]+)(\?.*)?$/.exec(renamed);
  if (collection === null || CLUSTER_SCOPED.has(collection[2] ?? "")) return renamed;
  return `${collection[1]}/namespaces/${namespace}/${collection[2]}${collection[3] ?? ""}`;
}

function sameToken(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? "");
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Starts the relay on 127.0.0.1 (a free port) in front of the cluster `learner` names. */
export async function startNamespaceRelay(learner: KubeConfig, namespace: string): Promise<NamespaceRelay> {
  const cluster = learner.getCurrentCluster();
  if (cluster === null) throw new Error("the learner's kubeconfig has no current cluster");
  const upstream = new URL(cluster.server);
  const tls: RequestOptions = {};
  await learner.applyToHTTPSOptions(tls);
  const token = randomBytes(24).toString("hex");
  const send = upstream.protocol === "https:" ? httpsRequest : httpRequest;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!sameToken(req.headers.authorization, token)) {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "Unauthorized", code: 401, message: "Unauthorized" }));
      return;
    }
    // The relay's own token stays here; the learner's credentials go upstream.
    const { authorization: _relayToken, ...forwarded } = req.headers;
    const headers: OutgoingHttpHeaders = { ...forwarded, ...(tls.headers as OutgoingHttpHeaders | undefined), host: upstream.host };
    const forward = send(
      {
        ...tls,
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: `${upstream.pathname.replace(/\/$/, "")}${renameDefaultNamespace(req.url ?? "/", namespace)}`,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", (error) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "ServiceUnavailable", code: 502, message: `the cluster cannot be reached: ${error.message}` }));
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const kubeconfig = stringify({
    apiVersion: "v1",
    kind: "Config",
    // Plain HTTP on loopback; client-node refuses http:// unless TLS checks are marked off.
    clusters: [{ name: "learner-relay", cluster: { server: `http://127.0.0.1:${port}`, "insecure-skip-tls-verify": true } }],
    users: [{ name: "learner", user: { token } }],
    contexts: [{ name: "learner-relay", context: { cluster: "learner-relay", user: "learner", namespace } }],
    "current-context": "learner-relay",
  });
  return {
    kubeconfig,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
