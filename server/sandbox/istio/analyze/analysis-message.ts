// istioctl analyze messages (pkg/config/analysis/msg/messages.yaml, diag/message.go): code,
// level and printf template, the resource a message is about, and the exact line format
// `<Level> [<CODE>] (<Kind> <ns>/<name>[ <file>:<line>]) <text>`.

export type Level = 'Error' | 'Warning' | 'Info';

/** diag.Level sort order: errors first. */
export const LEVEL_ORDER: Readonly<Record<Level, number>> = { Error: 0, Warning: 1, Info: 2 };

export interface MessageType {
  code: string;
  name: string;
  level: Level;
  /** Go printf template with %s / %q / %d / %v verbs. */
  template: string;
}

export const MESSAGE_TYPES = {
  ReferencedResourceNotFound: { code: 'IST0101', name: 'ReferencedResourceNotFound', level: 'Error', template: 'Referenced %s not found: %q' },
  NamespaceNotInjected: { code: 'IST0102', name: 'NamespaceNotInjected', level: 'Info', template: "The namespace is not enabled for Istio injection. Run 'kubectl label namespace %s istio-injection=enabled' to enable it, or 'kubectl label namespace %s istio-injection=disabled' to explicitly mark it as not needing injection." },
  PodMissingProxy: { code: 'IST0103', name: 'PodMissingProxy', level: 'Warning', template: 'The pod %s is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.' },
  SchemaValidationError: { code: 'IST0106', name: 'SchemaValidationError', level: 'Error', template: 'Schema validation error: %v' },
  UnknownAnnotation: { code: 'IST0108', name: 'UnknownAnnotation', level: 'Warning', template: 'Unknown annotation: %s' },
  ConflictingMeshGatewayVirtualServiceHosts: { code: 'IST0109', name: 'ConflictingMeshGatewayVirtualServiceHosts', level: 'Error', template: 'The VirtualServices %s associated with mesh gateway define the same host %s which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.' },
  PortNameIsNotUnderNamingConvention: { code: 'IST0118', name: 'PortNameIsNotUnderNamingConvention', level: 'Info', template: "Port name %s (port: %d, targetPort: %s) doesn't follow the naming convention of Istio port." },
  NamespaceMultipleInjectionLabels: { code: 'IST0123', name: 'NamespaceMultipleInjectionLabels', level: 'Warning', template: 'The namespace has more than one type of injection labels %v, which may lead to undefined behavior. Make sure only one injection label exists.' },
  NoMatchingWorkloadsFound: { code: 'IST0127', name: 'NoMatchingWorkloadsFound', level: 'Warning', template: 'No matching workloads for this resource with the following labels: %s' },
  VirtualServiceUnreachableRule: { code: 'IST0130', name: 'VirtualServiceUnreachableRule', level: 'Warning', template: 'VirtualService rule %v not used (%s).' },
  GatewayPortNotDefinedOnService: { code: 'IST0162', name: 'GatewayPortNotDefinedOnService', level: 'Warning', template: 'The gateway is listening on a target port (port %d) that is not defined in the Service associated with its workload instances (Pod selector %s). If you need to access the gateway port through the gateway Service, it will not be available.' },
  DestinationRuleSubsetNotSelectPods: { code: 'IST0173', name: 'DestinationRuleSubsetNotSelectPods', level: 'Error', template: 'The Subset %s defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).' },
  UnknownDestinationRuleHost: { code: 'IST0174', name: 'UnknownDestinationRuleHost', level: 'Warning', template: 'The host %s defined in the DestinationRule does not match any services in the mesh.' },
} as const satisfies Record<string, MessageType>;

/** The resource a message is about, and where it came from when it was read from a file. */
export interface MessageResource {
  kind: string;
  name: string;
  /** Empty for cluster-scoped resources (Namespace). */
  namespace: string;
  file?: string;
  /** Line of the resource in `file`. */
  line?: number;
}

export interface AnalysisMessage {
  type: MessageType;
  parameters: readonly (string | number | readonly string[])[];
  resource: MessageResource;
  /** Line of the offending field, replacing the resource line in the reference. */
  fieldLine?: number;
}

/** Go's %q for the ASCII strings analyzers pass. */
function quote(value: string): string {
  return JSON.stringify(value);
}

export function messageText(message: AnalysisMessage): string {
  let index = 0;
  return message.type.template.replace(/%([sqdv])/g, (_, verb: string) => {
    const value = message.parameters[index++];
    if (Array.isArray(value)) return `[${value.join(' ')}]`;
    return verb === 'q' ? quote(String(value)) : String(value);
  });
}

/** `VirtualService default/bookinfo`, or `Namespace default` for cluster-scoped resources. */
export function friendlyName(resource: MessageResource): string {
  return resource.namespace === '' ? `${resource.kind} ${resource.name}` : `${resource.kind} ${resource.namespace}/${resource.name}`;
}

/** `file:line` (the field's line when known), or undefined for cluster resources. */
export function messageReference(message: AnalysisMessage): string | undefined {
  if (message.resource.file === undefined) return undefined;
  return `${message.resource.file}:${message.fieldLine ?? message.resource.line ?? 1}`;
}

export function messageOrigin(message: AnalysisMessage): string {
  const reference = messageReference(message);
  return ` (${friendlyName(message.resource)}${reference === undefined ? '' : ` ${reference}`})`;
}

/** One output line as `istioctl analyze` prints it (without colour). */
export function formatMessage(message: AnalysisMessage): string {
  return `${message.type.level} [${message.type.code}]${messageOrigin(message)} ${messageText(message)}`;
}
