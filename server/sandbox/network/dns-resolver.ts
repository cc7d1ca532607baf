// In-cluster DNS exactly as a pod's resolver sees it: the pod's /etc/resolv.conf has
// `search <ns>.svc.cluster.local svc.cluster.local cluster.local` with `ndots:5`, so a name
// with fewer than five dots is tried against each search domain first, then as given. CoreDNS
// answers Service names with the ClusterIP (headless Services with their ready pod IPs),
// ExternalName Services with a CNAME, and `a-b-c-d.<ns>.pod.cluster.local` with the pod IP.
// The few hosts of the emulated internet (external-hosts.ts) answer with their public address;
// anything else is NXDOMAIN: the sandbox has no upstream resolver.
import { CLUSTER_DOMAIN, type ClusterNetwork, type NetworkService } from './cluster-network.ts';
import { externalHostByName } from './external-hosts.ts';

export interface DnsAnswer {
  /** The fully qualified name that answered (after search-path expansion and CNAMEs). */
  name: string;
  addresses: string[];
  /** The Service the name belongs to, when it is a Service name. */
  service?: NetworkService;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isIpAddress(name: string): boolean {
  const m = IPV4.exec(name);
  return m !== null && m.slice(1).every((part) => Number(part) <= 255);
}

/** The search domains of a pod in `namespace` (no namespace: a client outside the cluster). */
export function searchPath(namespace: string | undefined): string[] {
  return namespace === undefined ? [] : [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
}

function answerFqdn(network: ClusterNetwork, fqdn: string, depth: number): DnsAnswer | undefined {
  const suffix = `.${CLUSTER_DOMAIN}`;
  if (!fqdn.endsWith(suffix)) return undefined;
  const labels = fqdn.slice(0, -suffix.length).split('.');
  if (labels.length === 3 && labels[2] === 'svc') {
    const service = network.service(labels[0] as string, labels[1] as string);
    if (service === undefined) return undefined;
    if (service.externalName !== undefined) {
      // A CNAME to a name outside the cluster cannot be followed without an upstream resolver.
      if (depth > 4) return undefined;
      const target = answerFqdn(network, service.externalName.replace(/\.$/, ''), depth + 1);
      return target === undefined ? undefined : { ...target, name: target.name };
    }
    if (service.clusterIP !== '') return { name: fqdn, addresses: [service.clusterIP], service };
    const selector = service.selector;
    if (selector === undefined) return undefined;
    const addresses = network.pods
      .filter((p) => p.namespace === service.namespace && p.ready && Object.entries(selector).every(([k, v]) => p.labels[k] === v))
      .map((p) => p.ip);
    return addresses.length === 0 ? undefined : { name: fqdn, addresses, service };
  }
  if (labels.length === 3 && labels[2] === 'pod') {
    const ip = (labels[0] as string).replaceAll('-', '.');
    if (!isIpAddress(ip)) return undefined;
    const pod = network.podByIp(ip);
    return pod !== undefined && pod.namespace === labels[1] ? { name: fqdn, addresses: [ip] } : undefined;
  }
  return undefined;
}

/**
 * Resolves a host name from a pod in `namespace`. IP literals answer themselves; `localhost`
 * is the loopback address. Returns undefined for NXDOMAIN.
 */
export function resolveHost(network: ClusterNetwork, host: string, namespace: string | undefined): DnsAnswer | undefined {
  const name = host.toLowerCase();
  if (isIpAddress(name)) return { name, addresses: [name] };
  if (name === 'localhost' || name === 'localhost.') return { name: 'localhost', addresses: ['127.0.0.1'] };
  const external = externalHostByName(name);
  if (name.endsWith('.')) return answerFqdn(network, name.slice(0, -1), 0) ?? (external === undefined ? undefined : { name: external.name, addresses: [external.ip] });
  const dots = name.split('.').length - 1;
  const candidates = dots >= 5 ? [name, ...searchPath(namespace).map((d) => `${name}.${d}`)] : [...searchPath(namespace).map((d) => `${name}.${d}`), name];
  for (const candidate of candidates) {
    const answer = answerFqdn(network, candidate, 0);
    if (answer !== undefined) return answer;
  }
  return external === undefined ? undefined : { name: external.name, addresses: [external.ip] };
}
