import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCluster, type TestCluster } from './istioctl-test-cluster.test-support.ts';

const DEMO_LINES = ['✔ Istio core installed ⛵️', '✔ Istiod installed 🧠', '✔ Egress gateways installed 🛫', '✔ Ingress gateways installed 🛬', '✔ Installation complete'];

const CURL_APP = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: curl
---
apiVersion: v1
kind: Service
metadata:
  name: curl
  labels:
    app: curl
spec:
  ports:
  - port: 80
    name: http
  selector:
    app: curl
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: curl
spec:
  replicas: 1
  selector:
    matchLabels:
      app: curl
  template:
    metadata:
      labels:
        app: curl
    spec:
      serviceAccountName: curl
      containers:
      - name: curl
        image: curlimages/curl
        command: ["/bin/sleep", "infinity"]
`;

const NO_GATEWAYS = `# IOP configuration used to install the demo profile without gateways.
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
spec:
  profile: demo
  components:
    ingressGateways:
    - name: istio-ingressgateway
      enabled: false
    egressGateways:
    - name: istio-egressgateway
      enabled: false
`;

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

describe('istioctl against an emulated cluster: the demo profile', () => {
  let t: TestCluster;
  before(async () => {
    t = await startTestCluster('istioctl-demo');
  });
  after(async () => {
    await t.close();
  });

  it('says Istio is not present before the install', async () => {
    const result = await t.istioctl('version');
    assert.equal(result.stdout, 'client version: 1.30.3\n');
    assert.equal(result.stderr, 'Istio is not present in the cluster: no running Istio pods in "istio-system"\n');
    assert.equal(result.exitCode, 0);
    const status = await t.istioctl('proxy-status');
    assert.equal(status.stderr, 'Error: no running Istio pods in "istio-system"\n');
    assert.equal(status.exitCode, 1);
  });

  it('installs the demo profile with the ✔ lines, after its deployments are ready', async () => {
    const result = await t.istioctl('install --set profile=demo -y');
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, '');
    const printed = lines(result.stderr);
    assert.equal(printed[0], '✔ Istio core installed ⛵️');
    assert.equal(printed[printed.length - 1], '✔ Installation complete');
    assert.deepEqual([...printed].sort(), [...DEMO_LINES].sort());
    const pods = await t.kubectl('get pods -n istio-system');
    const rows = lines(pods.stdout).slice(1);
    assert.equal(rows.length, 3);
    for (const prefix of ['istio-egressgateway-', 'istio-ingressgateway-', 'istiod-']) {
      assert.ok(rows.some((row) => new RegExp(`^${prefix}[a-z0-9]+-[a-z0-9]{5} +1/1 +Running +0 +`).test(row)), `${prefix} Running 1/1 in:\n${pods.stdout}`);
    }
    const services = await t.kubectl('get svc -n istio-system');
    assert.match(services.stdout, /\nistio-ingressgateway +LoadBalancer +\S+ +\S+ +15021:3\d{4}\/TCP,80:3\d{4}\/TCP,443:3\d{4}\/TCP,31400:3\d{4}\/TCP,15443:3\d{4}\/TCP +/);
    assert.match(services.stdout, /\nistiod +ClusterIP +\S+ +<none> +15010\/TCP,15012\/TCP,443\/TCP,15014\/TCP +/);
    assert.match(services.stdout, /\nistio-egressgateway +ClusterIP +\S+ +<none> +80\/TCP,443\/TCP +/);
    const webhooks = await t.kubectl('get mutatingwebhookconfigurations,validatingwebhookconfigurations -o name');
    assert.deepEqual(lines(webhooks.stdout).sort(), [
      'mutatingwebhookconfiguration.admissionregistration.k8s.io/istio-sidecar-injector',
      'validatingwebhookconfiguration.admissionregistration.k8s.io/istio-validator-istio-system',
      'validatingwebhookconfiguration.admissionregistration.k8s.io/istiod-default-validator',
    ]);
    const crd = await t.kubectl('get crd virtualservices.networking.istio.io -o name');
    assert.equal(crd.stdout, 'customresourcedefinition.apiextensions.k8s.io/virtualservices.networking.istio.io\n');
  });

  it('reports the control plane and both gateways in version', async () => {
    const result = await t.istioctl('version');
    assert.equal(result.stdout, 'client version: 1.30.3\ncontrol plane version: 1.30.3\ndata plane version: 1.30.3 (2 proxies)\n');
    assert.equal(result.stderr, '');
    assert.equal((await t.istioctl('version --remote=false')).stdout, 'client version: 1.30.3\n');
  });

  it('lists the gateways in proxy-status with the istiod pod', async () => {
    const result = await t.istioctl('ps');
    const [header, ...rows] = lines(result.stdout);
    assert.equal(header, 'NAME                                                   CLUSTER        ISTIOD                      VERSION     SUBSCRIBED TYPES');
    assert.equal(rows.length, 2);
    assert.match(rows[0] ?? '', /^istio-egressgateway-\S+\.istio-system +Kubernetes +istiod-\S+ +1\.30\.3 +3 \(CDS,LDS,EDS\)$/);
    assert.match(rows[1] ?? '', /^istio-ingressgateway-\S+\.istio-system +Kubernetes +istiod-\S+ +1\.30\.3 +3 \(CDS,LDS,EDS\)$/);
    assert.equal(lines((await t.istioctl('proxy-status -n default')).stdout).length, 1);
  });

  it('analyzes the default namespace: IST0102 until it is labelled, then clean', async () => {
    const before = await t.istioctl('analyze');
    assert.equal(
      before.stdout,
      "Info [IST0102] (Namespace default) The namespace is not enabled for Istio injection. Run 'kubectl label namespace default istio-injection=enabled' to enable it, or 'kubectl label namespace default istio-injection=disabled' to explicitly mark it as not needing injection.\n",
    );
    assert.equal(before.exitCode, 0);
    await t.kubectl('label namespace default istio-injection=enabled');
    const clean = await t.istioctl('analyze');
    assert.equal(clean.stderr, '✔ No validation issues found when analyzing namespace: default.\n');
    assert.equal(clean.exitCode, 0);
    const all = await t.istioctl('analyze -A');
    assert.equal(all.stderr, '✔ No validation issues found when analyzing all namespaces.\n');
  });

  it('exits 79 with the footer for an Error, and prints json on request', async () => {
    const vs = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: web\nspec:\n  hosts: ["web"]\n  gateways: ["bogus-gateway"]\n  http:\n  - route:\n    - destination:\n        host: kubernetes\n';
    const applied = await t.kubectl('apply -f /home/learner/vs.yaml', { files: { '/home/learner/vs.yaml': vs } });
    assert.equal(applied.exitCode, 0, applied.stderr);
    const result = await t.istioctl('analyze -n default');
    assert.equal(result.stdout, 'Error [IST0101] (VirtualService default/web) Referenced gateway not found: "bogus-gateway"\n');
    assert.equal(result.stderr, 'Error: Analyzers found issues when analyzing namespace: default.\nSee https://istio.io/v1.30/docs/reference/config/analysis for more information about causes and resolutions.\n');
    assert.equal(result.exitCode, 79);
    const listed = await t.istioctl('analyze -L');
    assert.match(listed.stdout, /^Available analyzers:\n\* annotations\.K8sAnalyzer:\n    Checks for misplaced and invalid Istio annotations in Kubernetes resources\n/);
    assert.match(listed.stdout, /\n\* virtualservice\.DestinationHostAnalyzer:\n    Checks the destination hosts, subsets and gateways associated with each virtual service\n/);
    const json = await t.istioctl('analyze -o json');
    assert.equal(json.exitCode, 0);
    const messages = JSON.parse(json.stdout) as Array<{ code: string; origin: string }>;
    assert.deepEqual(messages.map((m) => [m.code, m.origin]), [['IST0101', 'VirtualService default/web']]);
    await t.kubectl('delete virtualservice web');
  });

  it('injects a file with kube-inject from the installed injector, and the pod runs as a proxy', async () => {
    const files = { '/home/learner/curl.yaml': CURL_APP };
    const injected = await t.istioctl('kube-inject -f curl.yaml', { files });
    assert.equal(injected.exitCode, 0, injected.stderr);
    // Each document is followed by a separator, as istioctl writes them.
    assert.deepEqual(injected.stdout.split('---\n').map((doc) => /^kind: (\w+)$/m.exec(doc)?.[1]), ['ServiceAccount', 'Service', 'Deployment', undefined]);
    assert.match(injected.stdout, /^apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  creationTimestamp: null\n  name: curl\n---\n/);
    assert.match(injected.stdout, /\nstatus: \{\}\n---\n$/);
    assert.match(injected.stdout, /name: istio-proxy/);
    assert.match(injected.stdout, /image: docker\.io\/istio\/proxyv2:1\.30\.3/);
    assert.match(injected.stdout, /sidecar\.istio\.io\/status:/);
    const applied = await t.kubectl('apply -f -', { stdin: injected.stdout });
    assert.equal(applied.stdout, 'serviceaccount/curl created\nservice/curl created\ndeployment.apps/curl created\n', applied.stderr);
    await t.kubectl('rollout status deployment/curl --timeout=30s');
    const version = await t.istioctl('version');
    assert.equal(lines(version.stdout)[2], 'data plane version: 1.30.3 (3 proxies)');
  });

  it('activates injection in the cluster: a plain deployment in the labelled namespace gets a sidecar', async () => {
    const plain = CURL_APP.split('---\n')[2]?.replace(/(name|app|serviceAccountName): curl/g, '$1: web').replace('serviceAccountName: web', 'serviceAccountName: default') ?? '';
    const applied = await t.kubectl('apply -f -', { stdin: plain });
    assert.equal(applied.stdout, 'deployment.apps/web created\n', applied.stderr);
    await t.kubectl('rollout status deployment/web --timeout=30s');
    const pods = await t.kubectl('get pods -l app=web');
    assert.match(pods.stdout, /\nweb-[a-z0-9]+-[a-z0-9]{5} +2\/2 +Running +0 +/);
    assert.equal(lines((await t.istioctl('version')).stdout)[2], 'data plane version: 1.30.3 (4 proxies)');
    const analyzed = await t.istioctl('analyze');
    assert.equal(analyzed.stderr, '✔ No validation issues found when analyzing namespace: default.\n', analyzed.stdout);
  });

  it('prints proxy-config tables for a pod, by name.namespace and through -n', async () => {
    const pods = await t.kubectl('get pods -l app=curl -o name');
    const pod = lines(pods.stdout)[0]?.replace('pod/', '') ?? '';
    const clusters = await t.istioctl(`proxy-config cluster ${pod}.default`);
    assert.equal(clusters.exitCode, 0, clusters.stderr);
    assert.match(clusters.stdout, /^SERVICE FQDN +PORT +SUBSET +DIRECTION +TYPE +DESTINATION RULE\n/);
    assert.match(clusters.stdout, /\ncurl\.default\.svc\.cluster\.local +80 +- +outbound +EDS +\n/);
    const filtered = await t.istioctl(`pc clusters ${pod} --fqdn istiod`);
    assert.ok(lines(filtered.stdout).slice(1).every((line) => line.startsWith('istiod.istio-system.svc.cluster.local')), filtered.stdout);
    const listeners = await t.istioctl(`pc listener ${pod} -n default`);
    assert.match(listeners.stdout, /^ADDRESSES +PORT +MATCH +DESTINATION\n/);
    const brief = await t.istioctl(`pc listeners ${pod} --verbose=false`);
    assert.match(brief.stdout, /^ADDRESSES +PORT +TYPE\n/);
    const routes = await t.istioctl(`pc routes deploy/curl -o json`);
    assert.ok(Array.isArray(JSON.parse(routes.stdout)));
    const endpoints = await t.istioctl(`pc ep ${pod}`);
    assert.match(endpoints.stdout, /^ENDPOINT +STATUS +OUTLIER CHECK +CLUSTER\n/);
    const describe = await t.istioctl(`x describe pod ${pod}`);
    assert.equal(describe.exitCode, 0, describe.stderr);
    assert.match(describe.stdout, new RegExp(`^Pod: ${pod}\n   Pod Revision: default\n`));
    assert.match(describe.stdout, /\nService: curl\n/);
    const verbose = await t.istioctl('proxy-status -v 1 -n default');
    assert.match(verbose.stdout, /^NAME +CLUSTER +CDS +ECDS +EDS +LDS +RDS +ISTIOD +VERSION\n/);
    assert.match(verbose.stdout, new RegExp(`\\n${pod}\\.default +Kubernetes +SYNCED +NOT SENT +SYNCED +SYNCED +SYNCED +istiod-\\S+ +1\\.30\\.3\\n`));
    assert.equal((await t.istioctl(`ps ${pod}`)).stdout, 'Clusters Match\nListeners Match\nRoutes Match\n');
    const secrets = await t.istioctl(`pc secret ${pod}`);
    const [secretHeader, workloadCert, rootCa] = lines(secrets.stdout);
    assert.equal(secretHeader, 'RESOURCE NAME     TYPE           STATUS     VALID CERT     SERIAL NUMBER                        NOT AFTER                NOT BEFORE');
    const cert = /^default +Cert Chain +ACTIVE +true +[0-9a-f]+ +(\S+) +(\S+)$/.exec(workloadCert ?? '');
    assert.ok(cert, workloadCert);
    assert.equal(Date.parse(cert[1] ?? '') - Date.parse(cert[2] ?? ''), 24 * 3_600_000 + 2 * 60_000);
    assert.match(rootCa ?? '', /^ROOTCA +CA +ACTIVE +true +[0-9a-f]+ +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ +\d{4}-/);
    const gateway = await t.istioctl('pc routes deploy/istio-ingressgateway -n istio-system');
    assert.equal(gateway.exitCode, 0, gateway.stderr);
    assert.match(gateway.stdout, /^NAME +VHOST NAME +DOMAINS +MATCH +VIRTUAL SERVICE\n +backend +\* +\/stats\/prometheus\* +\n/);
    const missing = await t.istioctl('pc cluster nope');
    assert.equal(missing.stderr, 'Error: pods "nope" not found\n');
    assert.equal(missing.exitCode, 1);
  });

  it('uninstall --purge -y removes what the install created and keeps the namespace', async () => {
    const result = await t.istioctl('uninstall --purge -y');
    assert.equal(result.exitCode, 0, result.stderr);
    const printed = lines(result.stdout);
    assert.equal(printed[0], 'All Istio resources will be pruned from the cluster');
    assert.ok(printed.includes('  Removed Deployment:istio-system:istiod.'), result.stdout);
    assert.ok(printed.includes('  Removed Service:istio-system:istio-ingressgateway.'));
    assert.ok(printed.includes('  Removed MutatingWebhookConfiguration:istio-sidecar-injector.'));
    assert.ok(printed.includes('  Removed CustomResourceDefinition:virtualservices.networking.istio.io.'));
    assert.equal(result.stderr, '✔ Uninstall complete\n');
    const left = await t.kubectl('get deploy,svc,sa,cm -n istio-system -o name');
    // istiod's istio-ca-root-cert carries no install label: istioctl leaves it, as on a real cluster.
    assert.deepEqual(lines(left.stdout).filter((name) => !name.endsWith('/default') && !name.endsWith('/kube-root-ca.crt') && !name.endsWith('/istio-ca-root-cert')), []);
    assert.equal((await t.kubectl('get crd -o name')).stdout.includes('istio.io'), false);
    assert.equal((await t.kubectl('get mutatingwebhookconfigurations -o name')).stdout, '');
    assert.equal((await t.kubectl('get ns istio-system -o name')).stdout, 'namespace/istio-system\n');
    const version = await t.istioctl('version');
    assert.equal(version.stderr, 'Istio is not present in the cluster: no running Istio pods in "istio-system"\n');
  });
});

describe('istioctl install choices', () => {
  let t: TestCluster;
  before(async () => {
    t = await startTestCluster('istioctl-install');
  });
  after(async () => {
    await t.close();
  });

  it('asks before installing and cancels unless the answer is y', async () => {
    const cancelled = await t.istioctl('install');
    assert.equal(cancelled.stdout, 'This will install the Istio 1.30.3 profile "default" into the cluster. Proceed? (y/N) ');
    assert.equal(cancelled.stderr, 'Cancelled.\n');
    assert.equal(cancelled.exitCode, 1);
    assert.equal((await t.kubectl('get ns istio-system')).exitCode, 1);
    const no = await t.istioctl('install', { stdin: 'n\n' });
    assert.equal(no.exitCode, 1);
  });

  it('installs the demo profile without gateways from an IstioOperator file', async () => {
    const result = await t.istioctl('install -f samples/bookinfo/demo-profile-no-gateways.yaml', {
      stdin: 'y\n',
      files: { '/home/learner/samples/bookinfo/demo-profile-no-gateways.yaml': NO_GATEWAYS },
    });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, 'This will install the Istio 1.30.3 profile "demo" into the cluster. Proceed? (y/N) ');
    assert.equal(result.stderr, '✔ Istio core installed ⛵️\n✔ Istiod installed 🧠\n✔ Installation complete\n');
    const deployments = await t.kubectl('get deploy -n istio-system -o name');
    assert.equal(deployments.stdout, 'deployment.apps/istiod\n');
  });

  it('applies --set meshConfig values to the mesh ConfigMap, re-applying over the existing install', async () => {
    const result = await t.istioctl('install --set profile=minimal --set meshConfig.accessLogFile=/dev/stdout -y');
    assert.equal(result.stderr, '✔ Istio core installed ⛵️\n✔ Istiod installed 🧠\n✔ Installation complete\n');
    const mesh = await t.kubectl('get configmap istio -n istio-system -o jsonpath={.data.mesh}');
    assert.match(mesh.stdout, /accessLogFile: \/dev\/stdout/);
  });

  it('installs a revision beside the default one and uninstalls only that revision', async () => {
    const result = await t.istioctl('install --set profile=minimal --set revision=canary -y');
    assert.equal(result.exitCode, 0, result.stderr);
    const deployments = await t.kubectl('get deploy -n istio-system -o name');
    assert.equal(deployments.stdout, 'deployment.apps/istiod\ndeployment.apps/istiod-canary\n');
    const removed = await t.istioctl('uninstall -r canary -y');
    assert.equal(removed.exitCode, 0, removed.stderr);
    assert.ok(lines(removed.stdout).includes('  Removed Deployment:istio-system:istiod-canary.'));
    assert.equal((await t.kubectl('get deploy -n istio-system -o name')).stdout, 'deployment.apps/istiod\n');
  });

  it('prunes what a new profile no longer has', async () => {
    assert.equal((await t.istioctl('install --set profile=demo -y')).exitCode, 0);
    assert.equal((await t.kubectl('get deploy -n istio-system -o name')).stdout, 'deployment.apps/istio-egressgateway\ndeployment.apps/istio-ingressgateway\ndeployment.apps/istiod\n');
    const result = await t.istioctl('install -y');
    assert.equal(result.stderr, '✔ Istio core installed ⛵️\n✔ Istiod installed 🧠\n✔ Ingress gateways installed 🛬\n✔ Installation complete\n');
    assert.equal((await t.kubectl('get deploy -n istio-system -o name')).stdout, 'deployment.apps/istio-ingressgateway\ndeployment.apps/istiod\n');
    assert.equal((await t.kubectl('get svc,sa -n istio-system -o name')).stdout.includes('egress'), false);
    assert.equal((await t.kubectl('get svc istio-ingressgateway -n istio-system -o jsonpath={.spec.ports[*].port}')).stdout, '15021 80 443');
  });

  it('refuses an unknown profile and an uninstall without a target', async () => {
    const profile = await t.istioctl('install --set profile=nope -y');
    assert.equal(profile.exitCode, 1);
    assert.match(profile.stderr, /^Error: could not read profile "nope"/);
    const uninstall = await t.istioctl('uninstall -y');
    assert.equal(uninstall.stderr, 'Error: at least one of the --revision (or --set revision=<revision>), --filename or --purge flags must be set\n');
    assert.equal(uninstall.exitCode, 1);
  });

  it('walks the components without changes on --dry-run', async () => {
    const result = await t.istioctl('install --set profile=demo --dry-run');
    assert.equal(result.stdout, '');
    assert.deepEqual(lines(result.stderr).sort(), [...DEMO_LINES].sort());
    assert.equal((await t.kubectl('get deploy istio-egressgateway -n istio-system')).exitCode, 1);
  });

  it('prints the manifest without changing the cluster', async () => {
    const result = await t.istioctl('manifest generate --set profile=demo');
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, /\nkind: Deployment\nmetadata:\n(?:  .*\n)*  name: istio-egressgateway\n/);
    assert.equal((await t.kubectl('get deploy istio-egressgateway -n istio-system')).exitCode, 1);
  });
});

describe('istioctl command line', () => {
  let t: TestCluster;
  before(async () => {
    t = await startTestCluster('istioctl-cli');
  });
  after(async () => {
    await t.close();
  });

  it('answers unknown commands and flags as cobra does, with exit code 64', async () => {
    const typo = await t.istioctl('verson');
    assert.equal(typo.stderr, 'Error: unknown command "verson" for "istioctl"\n\nDid you mean this?\n\tversion\n\nRun \'istioctl --help\' for usage.\n');
    assert.equal(typo.exitCode, 64);
    const unknown = await t.istioctl('frobnicate');
    assert.equal(unknown.stderr, 'Error: unknown command "frobnicate" for "istioctl"\nRun \'istioctl --help\' for usage.\n');
    const flag = await t.istioctl('install --frob');
    assert.equal(flag.stderr, 'Error: unknown flag: --frob\n');
    assert.equal(flag.exitCode, 64);
    const missing = await t.istioctl('analyze -o');
    assert.equal(missing.stderr, "Error: flag needs an argument: 'o' in -o\n");
  });

  it('prints help for the root and the main commands', async () => {
    const root = await t.istioctl('--help');
    assert.match(root.stdout, /^Istio configuration command line utility for service operators to\ndebug and diagnose their Istio mesh\.\n\nUsage:\n  istioctl \[command\]\n/);
    assert.equal((await t.istioctl('')).stdout, root.stdout);
    assert.equal((await t.istioctl('help')).stdout, root.stdout);
    for (const command of ['install', 'uninstall', 'version', 'analyze', 'kube-inject', 'proxy-status', 'proxy-config', 'manifest generate', 'x describe pod', 'x precheck', 'dashboard']) {
      const help = await t.istioctl(`${command} --help`);
      assert.equal(help.exitCode, 0);
      assert.match(help.stdout, /\nUsage:\n  istioctl /, command);
      assert.match(help.stdout, /\nGlobal Flags:\n/, command);
    }
    const topic = await t.istioctl('help frob');
    assert.match(topic.stderr, /^Unknown help topic \[`frob`\]\nUsage:\n  istioctl \[command\]\n/);
    assert.match((await t.istioctl('help install')).stdout, /^The install command generates an Istio install manifest/);
    assert.match((await t.istioctl('pc cluster --help')).stdout, /^Retrieve information about cluster configuration for the Envoy instance in the specified pod\.\n\nUsage:\n  istioctl proxy-config cluster \[<type>\/\]<name>\[\.<namespace>\] \[flags\]\n\nAliases:\n  cluster, clusters, c\n/);
    assert.match((await t.istioctl('pc')).stdout, /^A group of commands used to retrieve information about proxy configuration/);
  });

  it('explains that dashboards live beside the lesson, failing like a missing addon', async () => {
    const result = await t.istioctl('dashboard kiali');
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /mesh graph/);
    assert.match(result.stderr, /\nError: no Kiali pods found\n$/);
  });

  it('passes precheck and needs a control plane for kube-inject', async () => {
    const precheck = await t.istioctl('x precheck');
    assert.equal(precheck.stdout, '✔ No issues found when checking the cluster. Istio is safe to install or upgrade!\n  To get started, check out https://istio.io/latest/docs/setup/getting-started/.\n');
    const inject = await t.istioctl('kube-inject -f app.yaml', { files: { '/home/learner/app.yaml': CURL_APP } });
    assert.equal(inject.exitCode, 1);
    assert.match(inject.stderr, /^Error: failed to get injection config: could not read valid configmap "istio-sidecar-injector" from namespace "istio-system"/);
    assert.equal((await t.istioctl('kube-inject')).stderr, 'Error: filename not specified (see --filename or -f)\n');
    const offline = await t.istioctl('kube-inject -f app.yaml --injectConfigFile inject.yaml --valuesFile values.json', {
      files: { '/home/learner/app.yaml': CURL_APP, '/home/learner/inject.yaml': 'templates: {}\n', '/home/learner/values.json': '{"global":{"hub":"registry.example/istio","tag":"1.30.3-distroless"}}' },
    });
    assert.equal(offline.exitCode, 0, offline.stderr);
    assert.match(offline.stdout, /image: registry\.example\/istio\/proxyv2:1\.30\.3-distroless/);
  });

  it('asks before purging and stops on no', async () => {
    const result = await t.istioctl('uninstall --purge', { stdin: 'n\n' });
    assert.equal(result.stdout, 'All Istio resources will be pruned from the cluster\nProceed? (y/N) ');
    assert.equal(result.stderr, 'Cancelled.\n');
    assert.equal(result.exitCode, 1);
  });

  it('says which real commands the sandbox does not have', async () => {
    const result = await t.istioctl('bug-report');
    assert.equal(result.stderr, 'Error: istioctl bug-report is not available in this sandbox\n');
    assert.equal(result.exitCode, 1);
  });
});
