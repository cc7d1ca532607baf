// Istio's protocol selection for a Service port (pkg/config/kube ConvertProtocol): UDP as is,
// then appProtocol, then the port name's prefix before the first `-` (`http`, `http-web`,
// `grpc-x`), then a few well-known ports as TCP; anything else is unsupported, i.e. sniffed.
import type { Protocol } from './proxy-config.ts';

const NAMED: Readonly<Record<string, Protocol>> = {
  http: 'HTTP',
  http2: 'HTTP2',
  grpc: 'GRPC',
  'grpc-web': 'GRPC-WEB',
  https: 'HTTPS',
  tls: 'TLS',
  tcp: 'TCP',
  udp: 'UDP',
  mongo: 'MONGO',
  redis: 'REDIS',
  mysql: 'MYSQL',
  h2c: 'HTTP2',
};

const WELL_KNOWN_TCP_PORTS = new Set([3306, 6379, 27017]);

function parseName(name: string): Protocol {
  const lower = name.toLowerCase();
  if (lower === 'kubernetes.io/h2c') return 'HTTP2';
  if (lower === 'kubernetes.io/ws' || lower === 'kubernetes.io/wss') return 'HTTP';
  return NAMED[lower] ?? 'UNKNOWN';
}

export function portProtocol(port: { name?: string; port: number; protocol?: string; appProtocol?: string }): Protocol {
  if ((port.protocol ?? 'TCP').toUpperCase() === 'UDP') return 'UDP';
  if (port.appProtocol !== undefined) {
    const fromApp = parseName(port.appProtocol);
    if (fromApp !== 'UNKNOWN') return fromApp;
  }
  const name = port.name ?? '';
  const dash = name.indexOf('-');
  // grpc-web is the one protocol name that itself contains a dash.
  const prefix = name.toLowerCase().startsWith('grpc-web') ? 'grpc-web' : dash >= 0 ? name.slice(0, dash) : name;
  const parsed = parseName(prefix);
  if (parsed === 'UNKNOWN' && WELL_KNOWN_TCP_PORTS.has(port.port)) return 'TCP';
  return parsed;
}

/** HTTP-family protocols get HTTP routing (and unknown ones are sniffed as HTTP when they are). */
export function isHttpProtocol(protocol: Protocol): boolean {
  return protocol === 'HTTP' || protocol === 'HTTP2' || protocol === 'GRPC' || protocol === 'GRPC-WEB' || protocol === 'UNKNOWN';
}
