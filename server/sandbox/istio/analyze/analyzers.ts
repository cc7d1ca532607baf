// The analyzers `istioctl analyze` runs, for the mistakes learners make most: injection
// (IST0102/0103/0123), references from VirtualServices and Gateways (IST0101/0162), conflicting
// VirtualServices (IST0109), unreachable rules (IST0130), port naming (IST0118), unknown
// annotations (IST0108), schema errors (IST0106), selectors matching nothing (IST0127) and
// DestinationRule hosts/subsets (IST0173/0174). Each reports on every resource; the runner
// filters by namespace.
import { asArray, asObject, asString, type JsonObject } from '../../core/json-object.ts';
import { IGNORED_NAMESPACES } from '../control-plane/injection/injection-decision.ts';
import { labelSelectorMatches } from '../control-plane/injection/label-selector-match.ts';
import { validateIstioConfig } from '../control-plane/validation/validate-istio-config.ts';
import { KINDS, metaOf, ROOT_NAMESPACE, snapshotKey, type MeshSnapshot } from '../mesh-model/mesh-snapshot.ts';
import { portProtocol } from '../mesh-model/port-protocol.ts';
import { hostMatches, podHasSidecar, resolveShortName, type ServiceRegistry } from '../mesh-model/service-registry.ts';
import { MESSAGE_TYPES, type AnalysisMessage, type MessageType } from './analysis-message.ts';
import { KNOWN_ANNOTATIONS } from './known-annotations.ts';

export interface AnalysisContext {
  snapshot: MeshSnapshot;
  registry: ServiceRegistry;
  /** Where an object was read from, and the line of a field path inside it. */
  origin(object: JsonObject): { file: string; line: number; fieldLine(path: readonly (string | number)[]): number | undefined } | undefined;
  report(message: AnalysisMessage): void;
}

export interface Analyzer {
  name: string;
  description: string;
  analyze(context: AnalysisContext): void;
}

function reporter(context: AnalysisContext) {
  return (type: MessageType, object: JsonObject, parameters: AnalysisMessage['parameters'], path?: readonly (string | number)[]): void => {
    const meta = metaOf(object);
    const message: AnalysisMessage = { type, parameters, resource: { kind: asString(object.kind) ?? '', name: meta.name, namespace: meta.namespace } };
    const origin = context.origin(object);
    if (origin !== undefined) {
      message.resource.file = origin.file;
      message.resource.line = origin.line;
      const fieldLine = path === undefined ? undefined : origin.fieldLine(path);
      if (fieldLine !== undefined) message.fieldLine = fieldLine;
    }
    context.report(message);
  };
}

function isSystemNamespace(name: string): boolean {
  return IGNORED_NAMESPACES.has(name) || name === ROOT_NAMESPACE;
}

const injection: Analyzer = {
  name: 'injection.Analyzer',
  description: 'Checks conditions related to Istio sidecar injection',
  analyze(context) {
    const report = reporter(context);
    const injected = new Set<string>();
    for (const ns of context.snapshot.list('Namespace')) {
      const meta = metaOf(ns);
      if (isSystemNamespace(meta.name)) continue;
      if (meta.labels['istio.io/dataplane-mode'] === 'ambient') continue;
      const legacy = meta.labels['istio-injection'];
      const revision = meta.labels['istio.io/rev'];
      if (legacy !== undefined && revision !== undefined) {
        report(MESSAGE_TYPES.NamespaceMultipleInjectionLabels, ns, [[`istio-injection=${legacy}`, `istio.io/rev=${revision}`]]);
      }
      if (legacy === undefined && revision === undefined) {
        report(MESSAGE_TYPES.NamespaceNotInjected, ns, [meta.name, meta.name]);
        continue;
      }
      if (legacy === 'enabled' || (legacy === undefined && revision !== undefined)) injected.add(meta.name);
    }
    for (const pod of context.snapshot.list('Pod')) {
      const meta = metaOf(pod);
      if (!injected.has(meta.namespace) || asObject(pod.spec).hostNetwork === true) continue;
      const optOut = (meta.labels['sidecar.istio.io/inject'] ?? meta.annotations['sidecar.istio.io/inject'])?.toLowerCase() === 'false';
      if (optOut || podHasSidecar(pod)) continue;
      // Gateway deployments run the proxy themselves.
      if (asArray(asObject(pod.spec).containers).some((c) => asObject(c).name === 'istio-proxy')) continue;
      report(MESSAGE_TYPES.PodMissingProxy, pod, [`${meta.namespace}/${meta.name}`]);
    }
  },
};

function hostExists(context: AnalysisContext, host: string): boolean {
  if (context.registry.byHostname(host) !== undefined) return true;
  return context.registry.services.some((s) => hostMatches(s.hostname, host) || hostMatches(host, s.hostname));
}

function subsetExists(context: AnalysisContext, host: string, subset: string): boolean {
  return context.snapshot.list(KINDS.destinationRule).some((rule) => {
    const spec = asObject(rule.spec);
    if (resolveShortName(asString(spec.host) ?? '', metaOf(rule).namespace) !== host) return false;
    return asArray(spec.subsets).some((s) => asObject(s).name === subset);
  });
}

const virtualServices: Analyzer = {
  name: 'virtualservice.DestinationHostAnalyzer',
  description: 'Checks the destination hosts, subsets and gateways associated with each virtual service',
  analyze(context) {
    const report = reporter(context);
    const gateways = context.snapshot.list(KINDS.gateway).map((g) => `${metaOf(g).namespace}/${metaOf(g).name}`);
    for (const vs of context.snapshot.list(KINDS.virtualService)) {
      const meta = metaOf(vs);
      const spec = asObject(vs.spec);
      asArray(spec.gateways).forEach((raw, index) => {
        const name = String(raw);
        if (name === 'mesh') return;
        const full = name.includes('/') ? name : `${meta.namespace}/${name}`;
        if (!gateways.includes(full)) report(MESSAGE_TYPES.ReferencedResourceNotFound, vs, ['gateway', name], ['spec', 'gateways', index]);
      });
      for (const section of ['http', 'tcp', 'tls'] as const) {
        asArray(spec[section]).forEach((rawRule, ruleIndex) => {
          const rule = asObject(rawRule);
          const destinations: Array<{ destination: JsonObject; path: (string | number)[] }> = asArray(rule.route).map((r, i) => ({ destination: asObject(asObject(r).destination), path: [section, ruleIndex, 'route', i, 'destination'] }));
          if (rule.mirror !== undefined) destinations.push({ destination: asObject(rule.mirror), path: [section, ruleIndex, 'mirror'] });
          for (const { destination, path } of destinations) {
            const written = asString(destination.host) ?? '';
            const host = resolveShortName(written, meta.namespace);
            if (!hostExists(context, host)) {
              report(MESSAGE_TYPES.ReferencedResourceNotFound, vs, ['host', written], ['spec', ...path, 'host']);
              continue;
            }
            const subset = asString(destination.subset);
            if (subset !== undefined && !subsetExists(context, host, subset)) {
              report(MESSAGE_TYPES.ReferencedResourceNotFound, vs, ['host+subset in destinationrule', `${written}+${subset}`], ['spec', ...path, 'subset']);
            }
          }
        });
      }
      // Only the last rule may match everything: rules after a catch-all are never used.
      const http = asArray(spec.http).map(asObject);
      const catchAll = http.findIndex((rule) => asArray(rule.match).length === 0);
      if (catchAll >= 0) {
        for (let i = catchAll + 1; i < http.length; i++) report(MESSAGE_TYPES.VirtualServiceUnreachableRule, vs, [`#${i}`, 'route without matches defined before'], ['spec', 'http', i]);
      }
    }
  },
};

const conflictingVirtualServices: Analyzer = {
  name: 'virtualservice.ConflictingMeshGatewayHostsAnalyzer',
  description: 'Checks if multiple virtual services associated with the mesh gateway have conflicting hosts',
  analyze(context) {
    const report = reporter(context);
    const byHost = new Map<string, JsonObject[]>();
    for (const vs of context.snapshot.list(KINDS.virtualService)) {
      const spec = asObject(vs.spec);
      const gateways = asArray(spec.gateways).map(String);
      if (gateways.length > 0 && !gateways.includes('mesh')) continue;
      for (const raw of asArray(spec.hosts)) {
        const host = resolveShortName(String(raw), metaOf(vs).namespace);
        byHost.set(host, [...(byHost.get(host) ?? []), vs]);
      }
    }
    for (const [host, list] of byHost) {
      if (list.length < 2) continue;
      const names = list.map((vs) => `${metaOf(vs).namespace}/${metaOf(vs).name}`).sort().join(',');
      for (const vs of list) report(MESSAGE_TYPES.ConflictingMeshGatewayVirtualServiceHosts, vs, [names, host]);
    }
  },
};

function selectorString(labels: Readonly<Record<string, unknown>>): string {
  return Object.keys(labels)
    .sort()
    .map((key) => `${key}=${String(labels[key])}`)
    .join(',');
}

const gateways: Analyzer = {
  name: 'gateway.IngressGatewayPortAnalyzer',
  description: 'Checks a gateway port against the gateway\'s Kubernetes service ports',
  analyze(context) {
    const report = reporter(context);
    const pods = context.snapshot.list('Pod');
    for (const gateway of context.snapshot.list(KINDS.gateway)) {
      const spec = asObject(gateway.spec);
      const selector = asObject(spec.selector);
      const selected = pods.filter((pod) => labelSelectorMatches({ matchLabels: selector }, metaOf(pod).labels));
      if (selected.length === 0) {
        report(MESSAGE_TYPES.ReferencedResourceNotFound, gateway, ['selector', selectorString(selector)], ['spec', 'selector']);
        continue;
      }
      const ports = new Set<number>();
      for (const pod of selected) {
        for (const service of context.registry.servicesForPod(pod)) {
          for (const port of service.ports) {
            ports.add(port.port);
            if (typeof port.targetPort === 'number') ports.add(port.targetPort);
          }
        }
      }
      asArray(spec.servers).forEach((raw, index) => {
        const number = Number(asObject(asObject(raw).port).number);
        if (!ports.has(number)) report(MESSAGE_TYPES.GatewayPortNotDefinedOnService, gateway, [number, selectorString(selector)], ['spec', 'servers', index, 'port']);
      });
    }
  },
};

const serviceAnalyzers: Analyzer = {
  name: 'service.PortNameAnalyzer',
  description: 'Checks the port names associated with each service',
  analyze(context) {
    const report = reporter(context);
    for (const service of context.snapshot.list('Service')) {
      const meta = metaOf(service);
      if (isSystemNamespace(meta.namespace)) continue;
      const spec = asObject(service.spec);
      if (spec.type === 'ExternalName') continue;
      asArray(spec.ports).forEach((raw, index) => {
        const port = asObject(raw);
        const input: { name?: string; port: number; protocol?: string; appProtocol?: string } = { port: Number(port.port) };
        if (typeof port.name === 'string') input.name = port.name;
        if (typeof port.protocol === 'string') input.protocol = port.protocol;
        if (typeof port.appProtocol === 'string') input.appProtocol = port.appProtocol;
        if (portProtocol(input) !== 'UNKNOWN') return;
        report(MESSAGE_TYPES.PortNameIsNotUnderNamingConvention, service, [asString(port.name) ?? '', Number(port.port), String(port.targetPort ?? port.port)], ['spec', 'ports', index, 'name']);
      });
    }
  },
};

const ANNOTATED_KINDS = new Set(['Namespace', 'Service', 'Pod', 'Deployment']);

const annotations: Analyzer = {
  name: 'annotations.K8sAnalyzer',
  description: 'Checks for misplaced and invalid Istio annotations in Kubernetes resources',
  analyze(context) {
    const report = reporter(context);
    for (const object of context.snapshot.objects) {
      if (!ANNOTATED_KINDS.has(String(object.kind)) || snapshotKey(object) !== object.kind) continue;
      const meta = metaOf(object);
      if (isSystemNamespace(meta.namespace === '' ? meta.name : meta.namespace)) continue;
      const sets: Array<[Record<string, string>, (string | number)[]]> = [[meta.annotations, ['metadata', 'annotations']]];
      if (object.kind === 'Deployment') {
        const template = metaOf(asObject(asObject(object.spec).template));
        sets.push([template.annotations, ['spec', 'template', 'metadata', 'annotations']]);
      }
      for (const [values, path] of sets) {
        for (const key of Object.keys(values).sort()) {
          const domain = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
          if (!domain.endsWith('istio.io') || KNOWN_ANNOTATIONS.has(key)) continue;
          report(MESSAGE_TYPES.UnknownAnnotation, object, [key], [...path, key]);
        }
      }
    }
  },
};

const schema: Analyzer = {
  name: 'schema.ValidationAnalyzer',
  description: 'Runs schema validation as an analyzer and reports any violations',
  analyze(context) {
    const report = reporter(context);
    for (const object of context.snapshot.objects) {
      if (!String(object.apiVersion ?? '').includes('istio.io/')) continue;
      for (const error of validateIstioConfig(object).errors) report(MESSAGE_TYPES.SchemaValidationError, object, [error]);
    }
  },
};

const selectors: Analyzer = {
  name: 'security.NoMatchingWorkloadsAnalyzer',
  description: 'Checks that workload selectors of policies select workloads',
  analyze(context) {
    const report = reporter(context);
    const pods = context.snapshot.list('Pod');
    for (const key of [KINDS.authorizationPolicy, KINDS.peerAuthentication, KINDS.requestAuthentication, KINDS.sidecar]) {
      for (const policy of context.snapshot.list(key)) {
        const meta = metaOf(policy);
        const spec = asObject(policy.spec);
        const labels = asObject(asObject(spec.selector ?? spec.workloadSelector).matchLabels ?? asObject(spec.workloadSelector).labels);
        if (Object.keys(labels).length === 0) continue;
        const found = pods.some((pod) => (meta.namespace === ROOT_NAMESPACE || metaOf(pod).namespace === meta.namespace) && labelSelectorMatches({ matchLabels: labels }, metaOf(pod).labels));
        if (!found) report(MESSAGE_TYPES.NoMatchingWorkloadsFound, policy, [selectorString(labels)], ['spec', 'selector']);
      }
    }
  },
};

const destinationRules: Analyzer = {
  name: 'destinationrule.SubsetSelectPodAnalyzer',
  description: 'Checks if pods are selected by subsets in destination rules.',
  analyze(context) {
    const report = reporter(context);
    const pods = context.snapshot.list('Pod');
    for (const rule of context.snapshot.list(KINDS.destinationRule)) {
      const spec = asObject(rule.spec);
      const written = asString(spec.host) ?? '';
      if (!hostExists(context, resolveShortName(written, metaOf(rule).namespace))) {
        report(MESSAGE_TYPES.UnknownDestinationRuleHost, rule, [written], ['spec', 'host']);
        continue;
      }
      asArray(spec.subsets).forEach((raw, index) => {
        const subset = asObject(raw);
        const labels = asObject(subset.labels);
        if (!pods.some((pod) => labelSelectorMatches({ matchLabels: labels }, metaOf(pod).labels))) {
          report(MESSAGE_TYPES.DestinationRuleSubsetNotSelectPods, rule, [asString(subset.name) ?? ''], ['spec', 'subsets', index, 'name']);
        }
      });
    }
  },
};

export const ANALYZERS: readonly Analyzer[] = [annotations, conflictingVirtualServices, destinationRules, gateways, injection, schema, selectors, serviceAnalyzers, virtualServices];
