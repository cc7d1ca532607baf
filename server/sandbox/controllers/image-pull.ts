/**
 * Whether the emulated kubelet can pull an image, and if not, the error containerd gives.
 * There is no registry behind the sandbox, so "exists" is a rule (see the controllers README):
 * well-formed references to the registries and Docker Hub repositories listed here exist when
 * their tag looks like a release; anything else fails as it would on a real node.
 */
export type PullOutcome =
  | { kind: 'pulled' }
  /** The reference does not parse: the kubelet never pulls (`InvalidImageName`). */
  | { kind: 'invalid'; message: string }
  /** The pull fails (`ErrImagePull`, then `ImagePullBackOff`). */
  | { kind: 'failed'; message: string };

/** Registries whose every repository is taken to exist. */
const REGISTRIES = new Set(['registry.istio.io', 'registry.k8s.io', 'k8s.gcr.io', 'gcr.io', 'ghcr.io', 'quay.io', 'public.ecr.aws', 'mcr.microsoft.com', 'cgr.dev', 'docker.elastic.co']);

/** Docker Hub official images (`library/…`) the sandbox knows. */
const OFFICIAL = new Set([
  'nginx', 'busybox', 'alpine', 'ubuntu', 'debian', 'httpd', 'redis', 'postgres', 'mysql', 'mariadb', 'mongo', 'memcached', 'rabbitmq',
  'python', 'node', 'golang', 'openjdk', 'eclipse-temurin', 'ruby', 'php', 'perl', 'bash', 'traefik', 'haproxy', 'caddy', 'registry',
  'hello-world', 'centos', 'fedora', 'amazonlinux', 'wordpress', 'consul', 'vault', 'elasticsearch', 'kibana', 'grafana', 'tomcat',
]);

/** Docker Hub organisations whose every repository is taken to exist (Istio's samples and tools). */
const ORGANISATIONS = new Set([
  'istio', 'curlimages', 'kennethreitz', 'mccutchen', 'nicolaka', 'bitnami', 'hashicorp', 'grafana', 'prom', 'jaegertracing', 'openzipkin',
  'kiali', 'fortio', 'stefanprodan', 'envoyproxy', 'rancher', 'kindest', 'jmalloc', 'paulbouwer',
]);

/** Tags without a digit that real repositories commonly publish. */
const WORD_TAGS = new Set([
  'latest', 'stable', 'mainline', 'alpine', 'slim', 'edge', 'lts', 'current', 'bookworm', 'bullseye', 'buster', 'trixie', 'jammy', 'noble',
  'focal', 'musl', 'glibc', 'uclibc', 'distroless', 'debug', 'nonroot', 'perl', 'otel', 'rolling', 'master', 'main', 'nightly',
  // fortio/fortio:latest_release, as Istio's fortio-deploy.yaml pulls it.
  'release',
]);

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;

interface Reference {
  domain: string;
  path: string;
  tag: string | undefined;
  digest: string | undefined;
}

/** Parses like distribution/reference.ParseNormalizedNamed, with its error messages. */
function parseReference(image: string): Reference | string {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return 'invalid reference format';
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return 'invalid reference format';
  }
  if (rest === '') return 'invalid reference format';
  const slash = rest.indexOf('/');
  const first = slash === -1 ? '' : rest.slice(0, slash);
  const hasDomain = slash !== -1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.toLowerCase() !== first);
  let domain = hasDomain ? first : 'docker.io';
  let path = hasDomain ? rest.slice(slash + 1) : rest;
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  if (path.toLowerCase() !== path) return `invalid reference format: repository name (${path}) must be lowercase`;
  if (!path.split('/').every((part) => COMPONENT.test(part))) return 'invalid reference format';
  if (hasDomain && !/^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$/.test(domain)) return 'invalid reference format';
  if (domain.length + path.length + 1 > 255) return 'invalid reference format: repository name must not be more than 255 characters';
  return { domain, path, tag, digest };
}

/** The fully qualified name containerd resolves (`docker.io/library/nginx:latest`). */
export function qualifiedImage(image: string): string {
  const parsed = parseReference(image);
  if (typeof parsed === 'string') return image;
  const name = `${parsed.domain}/${parsed.path}`;
  if (parsed.digest !== undefined) return `${name}${parsed.tag === undefined ? '' : `:${parsed.tag}`}@${parsed.digest}`;
  return `${name}:${parsed.tag ?? 'latest'}`;
}

export function imagePullOutcome(image: string): PullOutcome {
  const parsed = parseReference(image);
  if (typeof parsed === 'string') {
    return { kind: 'invalid', message: `Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${parsed}` };
  }
  const full = qualifiedImage(image);
  const resolveFailed = (why: string, code = 'Unknown'): PullOutcome => ({
    kind: 'failed',
    message: `rpc error: code = ${code} desc = failed to pull and unpack image "${full}": failed to resolve reference "${full}": ${why}`,
  });
  if (parsed.domain !== 'docker.io' && !REGISTRIES.has(parsed.domain)) {
    const host = parsed.domain.replace(/:\d+$/, '');
    const reference = parsed.digest ?? parsed.tag ?? 'latest';
    return resolveFailed(`failed to do request: Head "https://${parsed.domain}/v2/${parsed.path}/manifests/${reference}": dial tcp: lookup ${host} on 172.18.0.1:53: no such host`);
  }
  if (parsed.domain === 'docker.io') {
    const [organisation, repository] = parsed.path.split('/');
    const known = organisation === 'library' ? OFFICIAL.has(repository ?? '') : ORGANISATIONS.has(organisation ?? '');
    if (!known) return resolveFailed('pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed');
  }
  // `stable-alpine` is made of published words; `doesnotexist` is not.
  if (parsed.digest === undefined && parsed.tag !== undefined && !/\d/.test(parsed.tag) && !parsed.tag.split(/[-_.]/).every((word) => WORD_TAGS.has(word))) {
    return resolveFailed(`${full}: not found`, 'NotFound');
  }
  return { kind: 'pulled' };
}
