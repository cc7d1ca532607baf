// Where a TCP connection to ip:port ends up, the way kube-proxy's rules and the pod network
// decide it: a ClusterIP or load balancer address on a Service port is DNATed to one ready
// endpoint (none ready → the connection is rejected: "Connection refused"); a pod IP reaches
// that pod; an address nobody owns, or a Service address on a port it does not serve, drops
// the SYN and the client waits until it gives up.
import { type ClusterNetwork, type NetworkPod, type NetworkService, type NetworkServicePort } from './cluster-network.ts';
import type { EndpointPicker } from './endpoint-picker.ts';

export type ConnectionTarget =
  | { kind: 'pod'; pod: NetworkPod; port: number; service?: NetworkService; servicePort?: NetworkServicePort }
  | { kind: 'refused'; service?: NetworkService }
  | { kind: 'unreachable' };

export function routeConnection(network: ClusterNetwork, picker: EndpointPicker, ip: string, port: number): ConnectionTarget {
  const pod = network.podByIp(ip);
  if (pod !== undefined) return { kind: 'pod', pod, port };
  const service = network.serviceByClusterIp(ip) ?? network.serviceByExternalIp(ip);
  if (service === undefined) return { kind: 'unreachable' };
  const servicePort = service.ports.find((p) => p.port === port && p.protocol === 'TCP');
  if (servicePort === undefined) return { kind: 'unreachable' };
  const ready = network.endpoints(service, servicePort).filter((e) => e.ready);
  const chosen = picker.pick(`kube-proxy/${service.namespace}/${service.name}/${port}`, ready, 'RANDOM');
  if (chosen === undefined) return { kind: 'refused', service };
  return { kind: 'pod', pod: chosen.pod, port: chosen.port, service, servicePort };
}
