// `kubectl api-versions`, `kubectl get --raw PATH`, `kubectl options` and `kubectl
// cordon|uncordon NODE`: small commands answered the way kubectl 1.32 answers them.
import { statusError } from './api-client.ts';
import { flagString, parseFlags } from './flag-parser.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import type { KubeObject } from './object-output.ts';

/** `kubectl options` (the cache directory follows $HOME, as kubectl's default does). */
const OPTIONS_TEXT = "The following options can be passed to any command:\n\n    --as='':\n\tUsername to impersonate for the operation. User could be a regular user or a service account in a namespace.\n\n    --as-group=[]:\n\tGroup to impersonate for the operation, this flag can be repeated to specify multiple groups.\n\n    --as-uid='':\n\tUID to impersonate for the operation.\n\n    --cache-dir='${HOME}/.kube/cache':\n\tDefault cache directory\n\n    --certificate-authority='':\n\tPath to a cert file for the certificate authority\n\n    --client-certificate='':\n\tPath to a client certificate file for TLS\n\n    --client-key='':\n\tPath to a client key file for TLS\n\n    --cluster='':\n\tThe name of the kubeconfig cluster to use\n\n    --context='':\n\tThe name of the kubeconfig context to use\n\n    --disable-compression=false:\n\tIf true, opt-out of response compression for all requests to the server\n\n    --insecure-skip-tls-verify=false:\n\tIf true, the server's certificate will not be checked for validity. This will make your HTTPS connections insecure\n\n    --kubeconfig='':\n\tPath to the kubeconfig file to use for CLI requests.\n\n    --log-flush-frequency=5s:\n\tMaximum number of seconds between log flushes\n\n    --match-server-version=false:\n\tRequire server version to match client version\n\n    -n, --namespace='':\n\tIf present, the namespace scope for this CLI request\n\n    --password='':\n\tPassword for basic authentication to the API server\n\n    --profile='none':\n\tName of profile to capture. One of (none|cpu|heap|goroutine|threadcreate|block|mutex)\n\n    --profile-output='profile.pprof':\n\tName of the file to write the profile to\n\n    --request-timeout='0':\n\tThe length of time to wait before giving up on a single server request. Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). A value of zero means don't timeout requests.\n\n    -s, --server='':\n\tThe address and port of the Kubernetes API server\n\n    --tls-server-name='':\n\tServer name to use for server certificate validation. If it is not provided, the hostname used to contact the server is used\n\n    --token='':\n\tBearer token for authentication to the API server\n\n    --user='':\n\tThe name of the kubeconfig user to use\n\n    --username='':\n\tUsername for basic authentication to the API server\n\n    -v, --v=0:\n\tnumber for the log level verbosity\n\n    --vmodule=:\n\tcomma-separated list of pattern=N settings for file-filtered logging (only works for the default text log format)\n\n    --warnings-as-errors=false:\n\tTreat warnings received from the server as errors and exit with a non-zero exit code\n\n";

export async function runApiVersions(context: KubectlContext, args: readonly string[]): Promise<number> {
  parseFlags(args, []);
  const discovery = await context.discovery();
  const versions = new Set(discovery.resources.map((resource) => (resource.group === '' ? resource.version : `${resource.group}/${resource.version}`)));
  // Also groups whose versions list no resources, as discovery reports them.
  const groups = await context.client.json<{ groups?: { versions?: { groupVersion?: string }[] }[] }>({ path: '/apis' });
  for (const group of groups.groups ?? []) for (const version of group.versions ?? []) if (version.groupVersion !== undefined) versions.add(version.groupVersion);
  context.out([...versions].sort().map((version) => `${version}\n`).join(''));
  return 0;
}

/** `get --raw`: the body as the server sent it. */
export async function runRawGet(context: KubectlContext, path: string, otherArgs: readonly string[]): Promise<number> {
  if (otherArgs.length > 0) throw new KubectlError('ARGS', 'error: arguments may not be passed when --raw is specified');
  const response = await context.client.raw({ path: path.startsWith('/') ? path : `/${path}`, accept: 'application/json, */*' });
  if (response.status < 200 || response.status >= 300) throw statusError(response);
  context.out(response.text);
  return 0;
}

export async function runOptions(context: KubectlContext, args: readonly string[]): Promise<number> {
  parseFlags(args, []);
  context.out(OPTIONS_TEXT.replace('${HOME}', context.io.env.HOME ?? ''));
  return 0;
}

async function setUnschedulable(context: KubectlContext, args: readonly string[], unschedulable: boolean): Promise<number> {
  const flags = parseFlags(args, [{ name: 'dry-run', type: 'string' }, { name: 'selector', short: 'l', type: 'string' }]);
  const names = [...flags.positionals, ...flags.rest];
  const verb = unschedulable ? 'cordoned' : 'uncordoned';
  if (names.length === 0 && flagString(flags, 'selector') === undefined) {
    throw new KubectlError('ARGS', `error: USAGE: ${unschedulable ? 'cordon' : 'uncordon'} NODE [flags]\nSee 'kubectl ${unschedulable ? 'cordon' : 'uncordon'} -h' for help and examples`);
  }
  for (const name of names) {
    const path = `/api/v1/nodes/${encodeURIComponent(name)}`;
    const response = await context.client.raw({ path });
    if (response.status >= 300) throw statusError(response);
    const node = JSON.parse(response.text) as KubeObject;
    if (((node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true) === unschedulable) {
      context.out(`node/${name} already ${verb}\n`);
      continue;
    }
    await context.client.json({ method: 'PATCH', path, contentType: 'application/strategic-merge-patch+json', body: { spec: { unschedulable: unschedulable ? true : null } } });
    context.out(`node/${name} ${verb}\n`);
  }
  return 0;
}

export function runCordon(context: KubectlContext, args: readonly string[]): Promise<number> {
  return setUnschedulable(context, args, true);
}

export function runUncordon(context: KubectlContext, args: readonly string[]): Promise<number> {
  return setUnschedulable(context, args, false);
}
