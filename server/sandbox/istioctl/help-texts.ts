// `--help` of the istioctl commands the sandbox runs, in cobra's layout for istioctl 1.30:
// long description, usage, aliases, examples, the command's flags, then the inherited
// (global) flags, minus those istioctl hides for that command.
import { ISTIO_RELEASE } from '../istio/control-plane/install/istio-release.ts';

const GLOBAL_FLAG_LINES: ReadonlyArray<[string, string]> = [
  ['context', '      --context string          Kubernetes configuration context'],
  ['istioNamespace', '  -i, --istioNamespace string   Istio system namespace (default "istio-system")'],
  ['kubeconfig', '  -c, --kubeconfig string       Kubernetes configuration file'],
  ['namespace', '  -n, --namespace string        Kubernetes namespace'],
  ['vklog', '      --vklog Level             number for the log level verbosity. Like -v flag. ex: --vklog=9'],
];

function globalFlags(hidden: readonly string[] = []): string {
  return ['Global Flags:', ...GLOBAL_FLAG_LINES.filter(([name]) => !hidden.includes(name)).map(([, line]) => line)].join('\n');
}

interface HelpSpec {
  long: string;
  usage: string[];
  aliases?: string;
  examples?: string;
  commands?: Array<[string, string]>;
  flags: string;
  hiddenGlobals?: readonly string[];
  path: string;
}

function render(spec: HelpSpec): string {
  const parts = [spec.long, `Usage:\n${spec.usage.map((u) => `  ${u}`).join('\n')}`];
  if (spec.aliases !== undefined) parts.push(`Aliases:\n  ${spec.aliases}`);
  if (spec.examples !== undefined) parts.push(`Examples:\n${spec.examples}`);
  if (spec.commands !== undefined) {
    const width = Math.max(...spec.commands.map(([name]) => name.length));
    parts.push(`Available Commands:\n${spec.commands.map(([name, short]) => `  ${name.padEnd(width)} ${short}`).join('\n')}`);
  }
  parts.push(`Flags:\n${spec.flags}`, globalFlags(spec.hiddenGlobals));
  if (spec.commands !== undefined) parts.push(`Use "${spec.path} [command] --help" for more information about a command.`);
  return `${parts.join('\n\n')}\n`;
}

const ROOT = `Istio configuration command line utility for service operators to
debug and diagnose their Istio mesh.

Usage:
  istioctl [command]

Available Commands:
  admin                Manage control plane (istiod) configuration
  analyze              Analyze Istio configuration and print validation messages
  bug-report           Cluster information and log capture support tool.
  completion           Generate the autocompletion script for the specified shell
  create-remote-secret Create a secret with credentials to allow Istio to access remote Kubernetes apiservers
  dashboard            Access to Istio web UIs
  experimental         Experimental commands that may be modified or deprecated
  help                 Help about any command
  install              Applies an Istio manifest, installing or reconfiguring Istio on a cluster.
  kube-inject          Inject Istio sidecar into Kubernetes pod resources
  manifest             Commands related to Istio manifests
  proxy-config         Retrieve information about proxy configuration from Envoy [kube only]
  proxy-status         Retrieves the synchronization status of each Envoy in the mesh
  remote-clusters      Lists the remote clusters each istiod instance is connected to.
  tag                  Command group used to interact with revision tags
  uninstall            Uninstall Istio from a cluster
  upgrade              Upgrade Istio control plane in-place
  validate             Validate Istio policy and rules files
  version              Prints out build version information
  waypoint             Manage waypoint configuration
  ztunnel-config       Update or retrieve current Ztunnel configuration.

Flags:
      --context string          Kubernetes configuration context
  -h, --help                    help for istioctl
  -i, --istioNamespace string   Istio system namespace (default "istio-system")
  -c, --kubeconfig string       Kubernetes configuration file
  -n, --namespace string        Kubernetes namespace
      --vklog Level             number for the log level verbosity. Like -v flag. ex: --vklog=9

Additional help topics:
  istioctl options              Displays istioctl global options

Use "istioctl [command] --help" for more information about a command.
`;

const IOP_FLAGS = `  -f, --filename strings             Path to file containing IstioOperator custom resource
                                     This flag can be specified multiple times to overlay multiple files. Multiple files are overlaid in left to right order.
  -d, --manifests string             Specify a path to a directory of charts and profiles
                                     (e.g. ~/Downloads/istio-${ISTIO_RELEASE.version}/manifests).
  -r, --revision string              Target control plane revision for the command.
  -s, --set stringArray              Override an IstioOperator value, e.g. to choose a profile
                                     (--set profile=demo), enable or disable components (--set components.cni.enabled=true), or override Istio
                                     settings (--set meshConfig.enableTracing=true). See documentation for more info:https://istio.io/${ISTIO_RELEASE.docsVersion}/docs/reference/config/istio.operator.v1alpha1/#IstioOperatorSpec`;

const INSTALL_HIDDEN = ['namespace', 'istioNamespace'];

const SECTIONS: ReadonlyArray<{ name: string; aliases: string; what: string; flags: string }> = [
  {
    name: 'all',
    aliases: 'all, a',
    what: 'all configuration',
    flags: `      --address string    Filter listeners by address field
      --direction string  Filter clusters by Direction field
      --fqdn string       Filter clusters by substring of Service FQDN field
      --name string       Filter listeners by route name field
      --port int          Filter clusters and listeners by Port field
      --subset string     Filter clusters by substring of Subset field`,
  },
  {
    name: 'cluster',
    aliases: 'cluster, clusters, c',
    what: 'cluster configuration',
    flags: `      --direction string   Filter clusters by Direction field
      --fqdn string        Filter clusters by substring of Service FQDN field
      --port int           Filter clusters by Port field
      --subset string      Filter clusters by substring of Subset field`,
  },
  {
    name: 'endpoint',
    aliases: 'endpoint, endpoints, ep',
    what: 'endpoint configuration',
    flags: `      --address string   Filter endpoints by address field
      --cluster string   Filter endpoints by cluster name field
      --port int         Filter endpoints by Port field
      --status string    Filter endpoints by status field`,
  },
  {
    name: 'listener',
    aliases: 'listener, listeners, l',
    what: 'listener configuration',
    flags: `      --address string   Filter listeners by address field
      --port int         Filter listeners by Port field
      --type string      Filter listeners by type field
      --verbose          Output more information (default true)`,
  },
  {
    name: 'secret',
    aliases: 'secret, secrets, s',
    what: 'secret configuration',
    flags: '',
  },
  {
    name: 'route',
    aliases: 'route, routes, r',
    what: 'route configuration',
    flags: `      --name string   Filter listeners by route name field
      --verbose       Output more information (default true)`,
  },
];

/** `proxy-config <section> --help`. */
function proxyConfigSectionHelp(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const section of SECTIONS) {
    out[`proxy-config ${section.name}`] = render({
      path: `istioctl proxy-config ${section.name}`,
      long: `Retrieve information about ${section.what} for the Envoy instance in the specified pod.`,
      usage: [`istioctl proxy-config ${section.name} [<type>/]<name>[.<namespace>] [flags]`],
      aliases: section.aliases,
      examples: `  # Retrieve summary about ${section.what} for a given pod from Envoy.
  istioctl proxy-config ${section.name} <pod-name[.namespace]>

  # Retrieve full ${section.what} for a given pod from Envoy.
  istioctl proxy-config ${section.name} <pod-name[.namespace]> -o json`,
      flags: `${section.flags === '' ? '' : `${section.flags}\n`}  -f, --file string        Envoy config dump file
  -h, --help               help for ${section.name}
  -o, --output string      Output format: one of json|yaml|short (default "short")
      --proxy-admin-port int   Envoy proxy admin port (default 15000)`,
    });
  }
  return out;
}

export const HELP_TEXTS: Readonly<Record<string, string>> = {
  '': ROOT,
  install: render({
    path: 'istioctl install',
    long: 'The install command generates an Istio install manifest and applies it to a cluster.',
    usage: ['istioctl install [flags]'],
    aliases: 'install, apply',
    examples: `  # Apply a default Istio installation
  istioctl install

  # Enable Tracing
  istioctl install --set meshConfig.enableTracing=true

  # Generate the demo profile and don't wait for confirmation
  istioctl install --set profile=demo --skip-confirmation`,
    flags: `      --dry-run                      Console/log output only, make no changes.
${IOP_FLAGS.split('\n').slice(0, 2).join('\n')}
  -h, --help                         help for install
${IOP_FLAGS.split('\n').slice(2, 4).join('\n')}
      --readiness-timeout duration   Maximum time to wait for Istio resources in each component to be ready. (default 5m0s)
${IOP_FLAGS.split('\n').slice(4).join('\n')}
  -y, --skip-confirmation            The skipConfirmation determines whether the user is prompted for confirmation.
                                     If set to true, the user is not prompted and a Yes response is assumed in all cases.
  -v, --verbose                      Verbose output.`,
    hiddenGlobals: INSTALL_HIDDEN,
  }),
  uninstall: render({
    path: 'istioctl uninstall',
    long: 'The uninstall command uninstalls Istio from a cluster',
    usage: ['istioctl uninstall [flags]'],
    examples: `  # Uninstall a single control plane by revision
  istioctl uninstall --revision foo

  # Uninstall a single control plane by iop file
  istioctl uninstall -f iop.yaml

  # Uninstall all control planes and shared resources
  istioctl uninstall --purge`,
    flags: `      --dry-run                  Console/log output only, make no changes.
  -f, --filename string          The filename of the IstioOperator CR.
  -h, --help                     help for uninstall
      --purge                    Remove all Istio related sources for all revisions
  -r, --revision string          Target control plane revision for the command.
  -s, --set stringArray          Override an IstioOperator value, e.g. to choose a profile
                                 (--set profile=demo), enable or disable components (--set components.cni.enabled=true), or override Istio
                                 settings (--set meshConfig.enableTracing=true). See documentation for more info:https://istio.io/${ISTIO_RELEASE.docsVersion}/docs/reference/config/istio.operator.v1alpha1/#IstioOperatorSpec
  -y, --skip-confirmation        The skipConfirmation determines whether the user is prompted for confirmation.
                                 If set to true, the user is not prompted and a Yes response is assumed in all cases.
  -v, --verbose                  Verbose output.`,
    hiddenGlobals: INSTALL_HIDDEN,
  }),
  version: render({
    path: 'istioctl version',
    long: 'Prints out build version information',
    usage: ['istioctl version [flags]'],
    flags: `  -h, --help              help for version
  -o, --output string     One of 'yaml' or 'json'.
      --remote            Use --remote=false to suppress control plane check (default true)
  -r, --revision string   Control plane revision
  -s, --short             Use --short=false to generate full version information`,
  }),
  analyze: render({
    path: 'istioctl analyze',
    long: 'Analyze Istio configuration and print validation messages',
    usage: ['istioctl analyze <file>... [flags]'],
    examples: `  # Analyze the current live cluster
  istioctl analyze

  # Analyze the current live cluster for a specific revision
  istioctl analyze --revision 1-16

  # Analyze the current live cluster, simulating the effect of applying additional yaml files
  istioctl analyze a.yaml b.yaml my-app-config/

  # Analyze yaml files without connecting to a live cluster
  istioctl analyze --use-kube=false a.yaml b.yaml my-app-config/

  # Analyze the current live cluster and suppress PodMissingProxy for pod mypod in namespace 'testing'.
  istioctl analyze -S "IST0103=Pod mypod.testing"

  # List available analyzers
  istioctl analyze -L`,
    flags: `  -A, --all-namespaces             Analyze all namespaces
      --color                      Default true.  Disable with '=false' or set $TERM to dumb (default true)
      --failure-threshold Level    The severity level of analysis at which to set a non-zero exit code. Valid values: [Info Warning Error] (default Error)
  -h, --help                       help for analyze
      --ignore-unknown             Don't complain about un-parseable input documents, for cases where analyze should run only on k8s compliant inputs.
  -L, --list-analyzers             List the analyzers available to run. Suppresses normal execution.
      --meshConfigFile string      Overrides the mesh config values to use for analysis.
  -o, --output string              Output format: one of [log json yaml] (default "log")
      --output-threshold Level     The severity level of analysis at which to display messages. Valid values: [Info Warning Error] (default Info)
  -R, --recursive                  Process directory arguments recursively. Useful when you want to analyze related manifests organized within the same directory.
      --revision string            analyze a specific revision deployed. (default "default")
  -S, --suppress stringArray       Suppress reporting a message code on a specific resource. Values are supplied in the form <code>=<resource> (e.g. '--suppress "IST0102=DestinationRule primary-dr.default"'). Can be repeated. You can include the wildcard character '*' to support a partial match (e.g. '--suppress "IST0102=DestinationRule *.default" ).
      --timeout duration           The duration to wait before failing (default 30s)
  -k, --use-kube                   Use live Kubernetes cluster for analysis. Set --use-kube=false to analyze files only. (default true)
  -v, --verbose                    Enable verbose output`,
    hiddenGlobals: ['istioNamespace'],
  }),
  'kube-inject': render({
    path: 'istioctl kube-inject',
    long: `kube-inject manually injects the Istio sidecar into Kubernetes
workloads. Unsupported resources are left unmodified so it is safe to
run kube-inject over a single file that contains multiple Service,
ConfigMap, Deployment, etc. definitions for a complex application. When in
doubt re-run istioctl kube-inject on deployments to get the most up-to-date changes.

It's best to do kube-inject when the resource is initially created.`,
    usage: ['istioctl kube-inject [flags]'],
    examples: `  # Update resources on the fly before applying.
  kubectl apply -f <(istioctl kube-inject -f <resource.yaml>)

  # Create a persistent version of the deployment with Istio sidecar injected.
  istioctl kube-inject -f deployment.yaml -o deployment-injected.yaml

  # Update an existing deployment.
  kubectl get deployment -o yaml | istioctl kube-inject -f - | kubectl apply -f -`,
    flags: `  -f, --filename string              Input Kubernetes resource filename
  -h, --help                         help for kube-inject
      --injectConfigFile string      Injection configuration filename. Cannot be used with --injectConfigMapName
      --meshConfigFile string        Mesh configuration filename. Takes precedence over --meshConfigMapName if set
      --meshConfigMapName string     ConfigMap name for Istio mesh configuration, key should be "mesh" (default "istio")
  -o, --output string                Modified output Kubernetes resource filename
  -r, --revision string              Control plane revision
      --valuesFile string            Injection values configuration filename.`,
    hiddenGlobals: ['namespace'],
  }),
  'proxy-status': render({
    path: 'istioctl proxy-status',
    long: `Retrieves last sent and last acknowledged xDS sync from Istiod to each Envoy in the mesh`,
    usage: ['istioctl proxy-status [<type>/]<name>[.<namespace>] [flags]'],
    aliases: 'proxy-status, ps',
    examples: `  # Retrieve sync status for all Envoys in a mesh
  istioctl proxy-status

  # Retrieve sync status for Envoys in a specific namespace
  istioctl proxy-status --namespace foo

  # Retrieve sync diff for a single Envoy and Istiod
  istioctl proxy-status istio-egressgateway-59585c5b9c-ndc59.istio-system`,
    flags: `  -h, --help              help for proxy-status
  -r, --revision string   Control plane revision
  -v, --verbosity int     Verbosity level for the output (0 = default, 1 = show sync state per xDS type)`,
  }),
  'proxy-config': render({
    path: 'istioctl proxy-config',
    long: 'A group of commands used to retrieve information about proxy configuration from the Envoy config dump',
    usage: ['istioctl proxy-config [command]'],
    aliases: 'proxy-config, pc',
    examples: `  # Retrieve information about proxy configuration from an Envoy instance.
  istioctl proxy-config <clusters|listeners|routes|endpoints|ecds|bootstrap|log|secret> <pod-name[.namespace]>`,
    commands: [
      ['all', 'Retrieves all configuration for the Envoy in the specified pod'],
      ['bootstrap', 'Retrieves bootstrap configuration for the Envoy in the specified pod'],
      ['cluster', 'Retrieves cluster configuration for the Envoy in the specified pod'],
      ['ecds', 'Retrieves typed extension configuration for the Envoy in the specified pod'],
      ['endpoint', 'Retrieves endpoint configuration for the Envoy in the specified pod'],
      ['listener', 'Retrieves listener configuration for the Envoy in the specified pod'],
      ['log', 'Retrieves logging levels of the Envoy in the specified pod'],
      ['rootca-compare', 'Compare ROOTCA values for the two given pods'],
      ['route', 'Retrieves route configuration for the Envoy in the specified pod'],
      ['secret', 'Retrieves secret configuration for the Envoy in the specified pod'],
    ],
    flags: `  -h, --help                   help for proxy-config
  -o, --output string          Output format: one of json|yaml|short (default "short")
      --proxy-admin-port int   Envoy proxy admin port (default 15000)`,
  }),
  ...proxyConfigSectionHelp(),
  manifest: render({
    path: 'istioctl manifest',
    long: 'The manifest command generates and diffs Istio manifests.',
    usage: ['istioctl manifest [command]'],
    commands: [
      ['generate', 'Generates an Istio install manifest'],
      ['translate', 'Translates an Istio install manifest to Helm values'],
    ],
    flags: '  -h, --help   help for manifest',
    hiddenGlobals: INSTALL_HIDDEN,
  }),
  'manifest generate': render({
    path: 'istioctl manifest generate',
    long: 'The generate subcommand generates an Istio install manifest and outputs to the console by default.',
    usage: ['istioctl manifest generate [flags]'],
    examples: `  # Generate a default Istio installation
  istioctl manifest generate

  # Enable Tracing
  istioctl manifest generate --set meshConfig.enableTracing=true

  # Generate the demo profile
  istioctl manifest generate --set profile=demo`,
    flags: `      --cluster-specific             If enabled, the current cluster will be checked for cluster-specific setting detection.
${IOP_FLAGS.split('\n').slice(0, 2).join('\n')}
  -h, --help                         help for generate
${IOP_FLAGS.split('\n').slice(2).join('\n')}`,
    hiddenGlobals: INSTALL_HIDDEN,
  }),
  experimental: render({
    path: 'istioctl experimental',
    long: 'Experimental commands that may be modified or deprecated',
    usage: ['istioctl experimental [command]'],
    aliases: 'experimental, x, exp',
    commands: [
      ['authz', 'Inspect Istio AuthorizationPolicy'],
      ['check-inject', 'Check the injection status or reason for a workload'],
      ['config', 'Configure istioctl defaults'],
      ['describe', 'Describe resource and related Istio configuration'],
      ['envoy-stats', 'Retrieves Envoy metrics in the specified pod'],
      ['injector', 'List sidecar injector and sidecar versions'],
      ['metrics', 'Prints the metrics for the specified workload(s) when running in Kubernetes.'],
      ['precheck', 'Check whether Istio can safely be installed or upgraded'],
      ['proxy-status', 'Retrieves the synchronization status of each Envoy in the mesh'],
      ['version', 'Prints out build version information'],
      ['wait', 'Wait for an Istio resource'],
      ['workload', 'Commands to assist in configuring and deploying workloads running on VMs and other non-Kubernetes environments'],
    ],
    flags: '  -h, --help   help for experimental',
  }),
  'experimental describe': render({
    path: 'istioctl experimental describe',
    long: 'Describe resource and related Istio configuration',
    usage: ['istioctl experimental describe [command]'],
    aliases: 'describe, des',
    commands: [
      ['pod', 'Describe pods and their Istio configuration [kube-only]'],
      ['service', 'Describe services and their Istio configuration [kube-only]'],
    ],
    flags: '  -h, --help   help for describe',
  }),
  'experimental describe pod': render({
    path: 'istioctl experimental describe pod',
    long: 'Analyzes pod, its Services, DestinationRules, and VirtualServices and reports\nthe configuration objects that affect that pod.',
    usage: ['istioctl experimental describe pod <pod> [flags]'],
    aliases: 'pod, po',
    examples: '  istioctl experimental describe pod productpage-v1-c7765c886-7zzd4',
    flags: `  -h, --help             help for pod
      --ignoreUnmeshed   Suppress warnings for unmeshed pods`,
  }),
  'experimental precheck': render({
    path: 'istioctl experimental precheck',
    long: `Checks precondition for Istio installation or upgrade`,
    usage: ['istioctl experimental precheck [flags]'],
    examples: `  # Verify that Istio can be installed or upgraded
  istioctl x precheck

  # Check only a single namespace
  istioctl x precheck --namespace default`,
    flags: `  -h, --help                help for precheck
  -o, --output string       Output format: one of json|yaml|short (default "short")
  -r, --revision string     The revision to check
      --skip-controlplane   Skip checking the control plane`,
  }),
  dashboard: render({
    path: 'istioctl dashboard',
    long: 'Access to Istio web UIs',
    usage: ['istioctl dashboard [flags]', 'istioctl dashboard [command]'],
    aliases: 'dashboard, dash, d',
    commands: [
      ['controlz', 'Open ControlZ web UI'],
      ['envoy', 'Open Envoy admin web UI'],
      ['grafana', 'Open Grafana web UI'],
      ['jaeger', 'Open Jaeger web UI'],
      ['kiali', 'Open Kiali web UI'],
      ['prometheus', 'Open Prometheus web UI'],
      ['proxy', 'Open admin web UI for a proxy'],
      ['skywalking', 'Open SkyWalking UI'],
      ['zipkin', 'Open Zipkin web UI'],
    ],
    flags: `      --address string   Address to listen on. Only accepts IP address or localhost as a value. When localhost is supplied, istioctl will try to bind on both 127.0.0.1 and ::1 and will fail if neither of these address are available to bind. (default "localhost")
  -h, --help             help for dashboard`,
    hiddenGlobals: ['namespace', 'istioNamespace'],
  }),
};
