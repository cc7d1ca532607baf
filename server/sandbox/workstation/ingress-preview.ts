// What the site's preview panel shows: a page fetched from the learner's ingress gateway,
// as a browser on the learner's machine would fetch it from the gateway's external address.
// The request travels the sandbox network from the workstation, so every routing rule the
// learner applied acts on it.
import type { JsonObject } from '../core/json-object.ts';
import { asArray, asObject } from '../core/json-object.ts';
import type { DataPlane, HttpResponse } from '../istio/data-plane/create-data-plane.ts';
import { curlFailure } from '../network/curl-failure.ts';
import { WORKSTATION } from './provision-workstation.ts';

export interface PreviewRequest {
  method: string;
  /** Path and query on the gateway (`/productpage?u=normal`). */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface Ingress {
  address: string;
  port: number;
  name: string;
}

/** The gateway a learner would browse to: Istio's ingress gateway, else a Gateway API gateway. */
export function findIngress(services: readonly JsonObject[]): Ingress | undefined {
  const candidates: Array<Ingress & { rank: number }> = [];
  for (const object of services) {
    const meta = asObject(object.metadata);
    const labels = asObject(meta.labels);
    const ingress = asArray(asObject(asObject(object.status).loadBalancer).ingress).map(asObject)[0];
    const address = typeof ingress?.ip === 'string' ? ingress.ip : typeof ingress?.hostname === 'string' ? ingress.hostname : undefined;
    if (address === undefined) continue;
    const ports = asArray(asObject(object.spec).ports).map(asObject);
    const http = ports.find((port) => port.port === 80) ?? ports.find((port) => /^http/.test(String(port.name ?? '')));
    if (http === undefined || typeof http.port !== 'number') continue;
    const name = `${String(meta.name)}.${String(meta.namespace)}`;
    if (labels.istio === 'ingressgateway') candidates.push({ address, port: http.port, name, rank: 0 });
    else if (labels['gateway.networking.k8s.io/gateway-name'] !== undefined) candidates.push({ address, port: http.port, name, rank: 1 });
  }
  candidates.sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name));
  const best = candidates[0];
  return best === undefined ? undefined : { address: best.address, port: best.port, name: best.name };
}

const NO_GATEWAY = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>No ingress gateway yet</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5">
<h1>No ingress gateway yet</h1>
<p>This panel shows what your cluster's ingress gateway serves, as a browser outside the cluster would see it.
Your cluster has no gateway Service with an external address yet.</p>
<p>Install Istio with a profile that has one (<code>istioctl install --set profile=demo -y</code>), or create a
Gateway API <code>Gateway</code>, then route a path to an application and reload.</p>
</body></html>`;

export async function previewThroughIngress(
  plane: Pick<DataPlane, 'send'>,
  services: readonly JsonObject[],
  request: PreviewRequest,
  signal?: AbortSignal,
): Promise<HttpResponse> {
  const ingress = findIngress(services);
  if (ingress === undefined) {
    return { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' }, body: NO_GATEWAY };
  }
  const host = ingress.port === 80 ? ingress.address : `${ingress.address}:${ingress.port}`;
  const result = await plane.send({
    fromWorkstation: { namespace: WORKSTATION.namespace },
    method: request.method,
    url: `http://${host}${request.path.startsWith('/') ? request.path : `/${request.path}`}`,
    headers: { host, ...request.headers },
    ...(request.body !== undefined ? { body: request.body } : {}),
    timeoutMs: 30_000,
    ...(signal !== undefined ? { signal } : {}),
  });
  if (result.response !== undefined) return result.response;
  const reason = result.error === undefined ? 'no answer' : curlFailure(result.error).message;
  return {
    status: 502,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: `The ingress gateway ${ingress.name} at ${host} did not answer: ${reason}\n`,
  };
}
