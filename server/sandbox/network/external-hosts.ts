// The sandbox's small emulated internet. The sandbox has no upstream resolver and no route out,
// yet Istio's egress tasks call a handful of well-known hosts; those few resolve to stable
// public-looking addresses and are answered by the sandbox's own apps (httpbin.org by httpbin,
// the rest by a plain web server). Every other external name stays NXDOMAIN.
import type { NetworkPod } from './cluster-network.ts';

export interface ExternalHost {
  name: string;
  ip: string;
  /** The image whose behaviour answers for the host (see apps/app-registry.ts). */
  image: string;
  /** The port the answering app listens on; the host's TLS port 443 is terminated in front of it. */
  appPort: number;
}

const HOSTS: readonly ExternalHost[] = [
  { name: 'httpbin.org', ip: '34.227.213.82', image: 'kennethreitz/httpbin', appPort: 80 },
  { name: 'edition.cnn.com', ip: '151.101.3.5', image: 'nginx', appPort: 80 },
  { name: 'www.google.com', ip: '142.250.180.4', image: 'nginx', appPort: 80 },
];

/** Ports the emulated hosts accept connections on (plain HTTP and HTTPS). */
export const EXTERNAL_PORTS: readonly number[] = [80, 443];

export function externalHostByName(name: string): ExternalHost | undefined {
  const bare = name.toLowerCase().replace(/\.$/, '');
  return HOSTS.find((h) => h.name === bare);
}

export function externalHostByIp(ip: string): ExternalHost | undefined {
  return HOSTS.find((h) => h.ip === ip);
}

/** The host as a pod-shaped workload, so the data plane can run its app like any other. */
export function externalHostPod(host: ExternalHost): NetworkPod {
  return {
    name: host.name,
    namespace: 'internet',
    ip: host.ip,
    labels: {},
    ready: true,
    containers: [{ name: 'server', image: host.image, ports: [{ containerPort: host.appPort }], env: {} }],
    hasSidecar: false,
    serviceAccount: 'default',
    uid: `external-${host.name}`,
    object: {},
  };
}
