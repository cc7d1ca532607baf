// The whole configuration of one proxy. Sidecars get an outbound listener per service port
// (HTTP ports share `0.0.0.0_<port>` and route configuration `<port>`; TCP ports get
// `<clusterIP>_<port>`), the virtual 15001/15006 listeners, inbound ports with their mTLS
// mode, every service's clusters and endpoints, and the AuthorizationPolicies selecting them.
// Routers (gateways) get listeners from the Istio Gateways selecting them or from their Gateway
// API Gateway, with route configurations `http.<port>`.
import { createHash } from 'node:crypto';
import { asArray, asObject, asString, type JsonObject } from '../../core/json-object.ts';
import { labelSelectorMatches } from '../control-plane/injection/label-selector-match.ts';
import { buildServiceClusters } from './build-clusters.ts';
import { effectiveMtlsMode } from './effective-mtls.ts';
import { policiesForWorkload } from './evaluate-authorization.ts';
import { httpRouteRoutes, sortHttpRoutes } from './http-route-routes.ts';
import { KINDS, metaOf, type MeshSnapshot } from './mesh-snapshot.ts';
import { outboundTrafficMode } from './outbound-traffic-policy.ts';
import { isHttpProtocol } from './port-protocol.ts';
import type { Cluster, EndpointGroup, InboundPort, Listener, Protocol, ProxyConfig, ProxyInfo, Route, RouteConfig, VirtualHost } from './proxy-config.ts';
import { hostMatches, resolveShortName, visibleIn, type MeshService, type ServiceRegistry } from './service-registry.ts';
import { defaultRoute, outboundClusterName, virtualServiceRoutes, type RouteContext } from './virtual-service-routes.ts';

export interface ProxyConfigInput {
  snapshot: MeshSnapshot;
  registry: ServiceRegistry;
}

/** Domains Istio puts on a service's virtual host, as seen from `proxyNamespace`. */
export function serviceDomains(service: MeshService, port: number, proxyNamespace: string): string[] {
  const withPort = (names: string[]): string[] => names.flatMap((n) => [n, `${n}:${port}`]);
  if (service.source !== 'kubernetes') return withPort([service.hostname, ...(service.address === '' ? [] : [service.address])]);
  const names = [service.hostname];
  if (service.namespace === proxyNamespace) names.push(service.name);
  names.push(`${service.name}.${service.namespace}.svc`, `${service.name}.${service.namespace}`);
  if (service.address !== '') names.push(service.address);
  return withPort(names);
}

function visibleServices(registry: ServiceRegistry, namespace: string): MeshService[] {
  return registry.services.filter((s) => visibleIn(s.exportTo, s.namespace, namespace));
}

function virtualServicesFor(snapshot: MeshSnapshot, proxyNamespace: string, gateway: string): JsonObject[] {
  return snapshot.list(KINDS.virtualService).filter((vs) => {
    const meta = metaOf(vs);
    const spec = asObject(vs.spec);
    const exportTo = asArray(spec.exportTo).map(String);
    if (gateway === 'mesh' && !visibleIn(exportTo.length === 0 ? ['*'] : exportTo, meta.namespace, proxyNamespace)) return false;
    const gateways = asArray(spec.gateways).map(String);
    if (gateway === 'mesh') return gateways.length === 0 || gateways.includes('mesh');
    return gateways.some((g) => (g.includes('/') ? g : `${meta.namespace}/${g}`) === gateway);
  });
}

function vsHosts(vs: JsonObject): string[] {
  const namespace = metaOf(vs).namespace;
  return asArray(asObject(vs.spec).hosts).map((h) => resolveShortName(String(h), namespace));
}

/** HTTPRoutes attached to a Service (GAMMA mesh routing) for one of its ports. */
function serviceHttpRoutes(snapshot: MeshSnapshot, service: MeshService, port: number): JsonObject[] {
  return snapshot.list(KINDS.httpRoute).filter((route) => {
    const routeNamespace = metaOf(route).namespace;
    return asArray(asObject(route.spec).parentRefs).map(asObject).some((ref) => {
      if (ref.kind !== 'Service') return false;
      if ((asString(ref.namespace) ?? routeNamespace) !== service.namespace || ref.name !== service.name) return false;
      return ref.port === undefined || Number(ref.port) === port;
    });
  });
}

function sidecarRoutes(input: ProxyConfigInput, proxy: ProxyInfo, service: MeshService, port: number, meshVirtualServices: readonly JsonObject[]): Route[] {
  const attached = serviceHttpRoutes(input.snapshot, service, port);
  if (attached.length > 0) return sortHttpRoutes(attached.flatMap((r) => httpRouteRoutes(r, input)));
  const context: RouteContext = { registry: input.registry, proxyLabels: proxy.labels, proxyNamespace: proxy.namespace, gateways: ['mesh'], listenerPort: port };
  // The oldest VirtualService for a host wins; later ones for the same host are ignored.
  const vs = meshVirtualServices.find((v) => vsHosts(v).some((h) => hostMatches(h, service.hostname)));
  if (vs !== undefined) {
    const routes = virtualServiceRoutes(vs, context);
    if (routes.length > 0) return routes;
  }
  return [defaultRoute(outboundClusterName(port, '', service.hostname), service.hostname, port)];
}

function staticClusters(proxy: ProxyInfo, inbound: readonly InboundPort[]): Cluster[] {
  const base = (name: string, type: Cluster['type']): Cluster => ({ name, direction: 'none', host: '', port: 0, subset: '', type, trafficPolicy: {}, tls: { mode: 'DISABLE' } });
  const clusters = [base('BlackHoleCluster', 'STATIC'), base('PassthroughCluster', 'ORIGINAL_DST'), base('agent', 'STATIC'), base('prometheus_stats', 'STATIC'), base('sds-grpc', 'STATIC'), base('xds-grpc', 'STATIC')];
  if (proxy.type === 'sidecar') {
    clusters.push(base('InboundPassthroughCluster', 'ORIGINAL_DST'));
    for (const port of inbound) clusters.push({ name: port.cluster, direction: 'inbound', host: '', port: port.port, subset: '', type: 'ORIGINAL_DST', trafficPolicy: {}, tls: { mode: 'DISABLE' } });
  }
  return clusters;
}

function inboundPorts(input: ProxyConfigInput, proxy: ProxyInfo, pod: JsonObject): InboundPort[] {
  const peerAuthentications = input.snapshot.list(KINDS.peerAuthentication);
  const byPort = new Map<number, Protocol>();
  for (const service of input.registry.servicesForPod(pod)) {
    const instance = service.instances.find((i) => i.podName === proxy.podName);
    for (const port of service.ports) {
      const target = instance?.ports.get(port.port);
      if (target !== undefined && !byPort.has(target)) byPort.set(target, port.protocol);
    }
  }
  return [...byPort.entries()]
    .sort(([a], [b]) => a - b)
    .map(([port, protocol]) => ({ port, protocol, cluster: `inbound|${port}||`, mtls: effectiveMtlsMode(peerAuthentications, { namespace: proxy.namespace, labels: proxy.labels, port }) }));
}

interface GatewayServer {
  port: number;
  /** Port the proxy listens on (targetPort of the gateway Service port). */
  listenPort: number;
  protocol: string;
  portName: string;
  hosts: string[];
  gateway: string;
  tls?: { mode: string; credentialName?: string };
}

function istioGatewayServers(input: ProxyConfigInput, proxy: ProxyInfo, pod: JsonObject): GatewayServer[] {
  const services = input.registry.servicesForPod(pod);
  const servers: GatewayServer[] = [];
  for (const gateway of input.snapshot.list(KINDS.gateway)) {
    const spec = asObject(gateway.spec);
    const selector = asObject(spec.selector);
    if (!labelSelectorMatches({ matchLabels: selector }, proxy.labels)) continue;
    const meta = metaOf(gateway);
    for (const raw of asArray(spec.servers)) {
      const server = asObject(raw);
      const port = asObject(server.port);
      const number = Number(port.number);
      // resolvePorts: a server port equal to a gateway Service port listens on its targetPort.
      let listenPort = number;
      for (const service of services) {
        const sp = service.ports.find((p) => p.port === number);
        const target = sp === undefined ? undefined : service.instances.find((i) => i.podName === proxy.podName)?.ports.get(sp.port);
        if (target !== undefined) {
          listenPort = target;
          break;
        }
      }
      const s: GatewayServer = {
        port: number,
        listenPort,
        protocol: (asString(port.protocol) ?? 'HTTP').toUpperCase(),
        portName: asString(port.name) ?? '',
        hosts: asArray(server.hosts).map((h) => {
          const text = String(h);
          const slash = text.indexOf('/');
          return slash >= 0 ? text.slice(slash + 1) : text;
        }),
        gateway: `${meta.namespace}/${meta.name}`,
      };
      const tls = asObject(server.tls);
      if (typeof tls.mode === 'string') {
        s.tls = { mode: tls.mode };
        if (typeof tls.credentialName === 'string') s.tls.credentialName = tls.credentialName;
      }
      servers.push(s);
    }
  }
  return servers;
}

function istioGatewayConfig(input: ProxyConfigInput, proxy: ProxyInfo, pod: JsonObject): { listeners: Listener[]; routes: RouteConfig[] } {
  const servers = istioGatewayServers(input, proxy, pod);
  const listeners: Listener[] = [];
  const routes: RouteConfig[] = [];
  const byListenPort = new Map<number, GatewayServer[]>();
  for (const server of servers) byListenPort.set(server.listenPort, [...(byListenPort.get(server.listenPort) ?? []), server]);
  for (const [listenPort, group] of [...byListenPort.entries()].sort(([a], [b]) => a - b)) {
    const first = group[0] as GatewayServer;
    const terminatesHttp = first.protocol === 'HTTP' || first.protocol === 'HTTP2' || (first.protocol === 'HTTPS' && first.tls?.mode !== 'PASSTHROUGH');
    const routeName = first.protocol === 'HTTPS' ? `https.${first.port}.${first.portName}.${first.gateway.split('/')[1]}.${first.gateway.split('/')[0]}` : `http.${listenPort}`;
    const listener: Listener = { name: `0.0.0.0_${listenPort}`, address: '0.0.0.0', port: listenPort, direction: 'gateway', protocol: (terminatesHttp ? (first.protocol === 'HTTPS' ? 'HTTPS' : 'HTTP') : first.protocol) as Protocol };
    if (first.tls !== undefined) listener.tls = first.tls;
    if (!terminatesHttp) {
      listeners.push(listener);
      continue;
    }
    listener.routeConfigName = routeName;
    listeners.push(listener);
    const virtualHosts = new Map<string, VirtualHost>();
    for (const server of group) {
      const context: RouteContext = { registry: input.registry, proxyLabels: proxy.labels, proxyNamespace: proxy.namespace, gateways: [server.gateway], listenerPort: server.port };
      for (const vs of virtualServicesFor(input.snapshot, proxy.namespace, server.gateway)) {
        for (const host of asArray(asObject(vs.spec).hosts).map(String)) {
          if (!server.hosts.some((h) => hostMatches(h, host))) continue;
          const name = `${host}:${server.port}`;
          let vhost = virtualHosts.get(name);
          if (vhost === undefined) {
            vhost = { name, domains: host === '*' ? ['*'] : [host, `${host}:*`], routes: [] };
            virtualHosts.set(name, vhost);
          }
          vhost.routes.push(...virtualServiceRoutes(vs, context));
        }
      }
    }
    // No VirtualService bound: Envoy answers 404 for everything on this port.
    if (virtualHosts.size === 0) virtualHosts.set('blackhole', { name: `blackhole:${first.port}`, domains: ['*'], routes: [] });
    routes.push({ name: routeName, virtualHosts: [...virtualHosts.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) });
  }
  return { listeners, routes };
}

function attachedToListener(route: JsonObject, gateway: JsonObject, listener: JsonObject): boolean {
  const routeNamespace = metaOf(route).namespace;
  const gwMeta = metaOf(gateway);
  const from = asString(asObject(asObject(listener.allowedRoutes).namespaces).from) ?? 'Same';
  if (from === 'Same' && routeNamespace !== gwMeta.namespace) return false;
  return asArray(asObject(route.spec).parentRefs).map(asObject).some((ref) => {
    if (ref.kind !== undefined && ref.kind !== 'Gateway') return false;
    if (ref.name !== gwMeta.name || (asString(ref.namespace) ?? routeNamespace) !== gwMeta.namespace) return false;
    if (ref.sectionName !== undefined && ref.sectionName !== listener.name) return false;
    return ref.port === undefined || Number(ref.port) === Number(listener.port);
  });
}

function routeHosts(route: JsonObject, listenerHostname: string | undefined): string[] {
  const hostnames = asArray(asObject(route.spec).hostnames).map(String);
  if (hostnames.length === 0) return [listenerHostname ?? '*'];
  if (listenerHostname === undefined) return hostnames;
  return hostnames.filter((h) => hostMatches(listenerHostname, h) || hostMatches(h, listenerHostname)).map((h) => (h.startsWith('*') ? listenerHostname : h));
}

function kubeGatewayConfig(input: ProxyConfigInput, proxy: ProxyInfo): { listeners: Listener[]; routes: RouteConfig[] } {
  const gateway = input.snapshot.list(KINDS.kubeGateway).find((g) => metaOf(g).name === proxy.gatewayName && metaOf(g).namespace === proxy.namespace);
  const listeners: Listener[] = [];
  const routes: RouteConfig[] = [];
  if (gateway === undefined) return { listeners, routes };
  const byPort = new Map<number, JsonObject[]>();
  for (const raw of asArray(asObject(gateway.spec).listeners)) {
    const l = asObject(raw);
    byPort.set(Number(l.port), [...(byPort.get(Number(l.port)) ?? []), l]);
  }
  for (const [port, group] of [...byPort.entries()].sort(([a], [b]) => a - b)) {
    const protocol = String(asObject(group[0]).protocol ?? 'HTTP').toUpperCase();
    const http = protocol === 'HTTP' || (protocol === 'HTTPS' && asObject(asObject(group[0]).tls).mode !== 'Passthrough');
    const listener: Listener = { name: `0.0.0.0_${port}`, address: '0.0.0.0', port, direction: 'gateway', protocol: (http ? protocol : protocol === 'TLS' ? 'TLS' : 'TCP') as Protocol };
    listeners.push(listener);
    if (!http) continue;
    const routeName = `http.${port}`;
    listener.routeConfigName = routeName;
    const byHost = new Map<string, Route[]>();
    for (const l of group) {
      const hostname = asString(l.hostname);
      for (const httpRoute of input.snapshot.list(KINDS.httpRoute)) {
        if (!attachedToListener(httpRoute, gateway, l)) continue;
        const converted = httpRouteRoutes(httpRoute, input);
        for (const host of routeHosts(httpRoute, hostname)) byHost.set(host, [...(byHost.get(host) ?? []), ...converted]);
      }
    }
    const virtualHosts: VirtualHost[] = [...byHost.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([host, list]) => ({ name: `${host}:${port}`, domains: host === '*' ? ['*'] : [host, `${host}:*`], routes: sortHttpRoutes(list) }));
    if (virtualHosts.length === 0) virtualHosts.push({ name: `blackhole:${port}`, domains: ['*'], routes: [] });
    routes.push({ name: routeName, virtualHosts });
  }
  return { listeners, routes };
}

function sidecarListenersAndRoutes(input: ProxyConfigInput, proxy: ProxyInfo, services: readonly MeshService[], inbound: InboundPort[]): { listeners: Listener[]; routes: RouteConfig[] } {
  const registryOnly = outboundTrafficMode(input.snapshot, proxy) === 'REGISTRY_ONLY';
  const listeners: Listener[] = [
    { name: 'virtualOutbound', address: '0.0.0.0', port: 15001, direction: 'virtual', protocol: 'TCP', cluster: registryOnly ? 'BlackHoleCluster' : 'PassthroughCluster' },
    { name: 'virtualInbound', address: '0.0.0.0', port: 15006, direction: 'inbound', protocol: 'TCP', inbound },
  ];
  const meshVirtualServices = virtualServicesFor(input.snapshot, proxy.namespace, 'mesh');
  const httpPorts = new Map<number, VirtualHost[]>();
  for (const service of services) {
    for (const port of service.ports) {
      if (isHttpProtocol(port.protocol)) {
        const vhosts = httpPorts.get(port.port) ?? [];
        vhosts.push({ name: `${service.hostname}:${port.port}`, domains: serviceDomains(service, port.port, proxy.namespace), routes: sidecarRoutes(input, proxy, service, port.port, meshVirtualServices) });
        httpPorts.set(port.port, vhosts);
      } else if (port.protocol !== 'UDP' && service.address !== '') {
        listeners.push({ name: `${service.address}_${port.port}`, address: service.address, port: port.port, direction: 'outbound', protocol: port.protocol, cluster: outboundClusterName(port.port, '', service.hostname) });
      } else if (service.source === 'ServiceEntry' && (port.protocol === 'HTTPS' || port.protocol === 'TLS')) {
        // No address to match on: Istio puts a filter chain matching the SNI on `0.0.0.0_<port>`.
        listeners.push({ name: `0.0.0.0_${port.port}`, address: '0.0.0.0', port: port.port, direction: 'outbound', protocol: port.protocol, cluster: outboundClusterName(port.port, '', service.hostname), sniHosts: [service.hostname] });
      }
    }
  }
  const routes: RouteConfig[] = [];
  for (const [port, vhosts] of [...httpPorts.entries()].sort(([a], [b]) => a - b)) {
    listeners.push({ name: `0.0.0.0_${port}`, address: '0.0.0.0', port, direction: 'outbound', protocol: 'HTTP', routeConfigName: String(port) });
    // Unknown hosts on a known port pass through (outboundTrafficPolicy ALLOW_ANY), or get
    // Envoy's direct 502 under REGISTRY_ONLY (Istio's `block_all` virtual host).
    const allowAny: VirtualHost = registryOnly
      ? { name: 'block_all', domains: ['*'], routes: [{ ...defaultRoute('BlackHoleCluster', '', port), action: { kind: 'direct-response', status: 502, body: '' }, name: 'block_all' }] }
      : {
          name: 'allow_any',
          domains: ['*'],
          routes: [{ ...defaultRoute('PassthroughCluster', '', port), source: { kind: 'default', name: '', namespace: '' }, name: 'allow_any' }],
        };
    routes.push({ name: String(port), virtualHosts: [...vhosts.sort((a, b) => (a.name < b.name ? -1 : 1)), allowAny] });
  }
  listeners.sort((a, b) => a.port - b.port || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return { listeners, routes };
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** Builds one proxy's configuration from the snapshot. */
export function buildProxyConfig(input: ProxyConfigInput, proxy: ProxyInfo): ProxyConfig {
  const pod = input.snapshot.list('Pod').find((p) => metaOf(p).name === proxy.podName && metaOf(p).namespace === proxy.namespace) ?? {};
  const services = visibleServices(input.registry, proxy.namespace);
  const inbound = proxy.type === 'sidecar' ? inboundPorts(input, proxy, pod) : [];
  const { listeners, routes } =
    proxy.type === 'sidecar'
      ? sidecarListenersAndRoutes(input, proxy, services, inbound)
      : proxy.gatewayKind === 'gateway-api'
        ? kubeGatewayConfig(input, proxy)
        : istioGatewayConfig(input, proxy, pod);
  const clusters: Cluster[] = [];
  const endpoints: EndpointGroup[] = [];
  for (const service of services) {
    const built = buildServiceClusters(input.snapshot, proxy.namespace, service);
    clusters.push(...built.clusters);
    endpoints.push(...built.endpoints);
  }
  clusters.push(...staticClusters(proxy, inbound));
  const authorizationTarget: { namespace: string; labels: Readonly<Record<string, string>>; gatewayName?: string } = { namespace: proxy.namespace, labels: proxy.labels };
  if (proxy.gatewayName !== undefined) authorizationTarget.gatewayName = proxy.gatewayName;
  const authorization = policiesForWorkload(input.snapshot.list(KINDS.authorizationPolicy), authorizationTarget);
  const mtls = effectiveMtlsMode(input.snapshot.list(KINDS.peerAuthentication), { namespace: proxy.namespace, labels: proxy.labels });
  const versions = {
    CDS: hash(clusters),
    LDS: hash({ listeners, authorization, mtls }),
    RDS: hash(routes),
    EDS: hash(endpoints),
  };
  return { proxy, listeners, routes, clusters, endpoints, authorization, mtls, versions, version: hash(versions) };
}
