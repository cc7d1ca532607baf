// Installing Istio with istioctl, then Bookinfo with injection (istio.io: Getting Started,
// Bookinfo), typed as the docs print them, with the outputs the docs show.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { istioSamplesMissing } from '../support/istio-samples.ts';
import { openLearnerTerminal, type LearnerTerminal } from './learner-terminal.ts';

describe('install Istio and Bookinfo', { skip: istioSamplesMissing }, () => {
  let terminal: LearnerTerminal;
  before(async () => {
    terminal = await openLearnerTerminal('install');
  });
  after(async () => {
    await terminal?.close();
  });

  it('istioctl install --set profile=demo -y prints each component and completes', async () => {
    const result = await terminal.type('istioctl install --set profile=demo -y');
    assert.equal(result.exitCode, 0, result.stderr);
    const lines = (result.stdout + result.stderr).split('\n').filter((line) => line !== '');
    assert.equal(lines[0], '✔ Istio core installed ⛵️');
    assert.equal(lines.at(-1), '✔ Installation complete');
    assert.deepEqual(new Set(lines.slice(1, -1)), new Set(['✔ Istiod installed 🧠', '✔ Egress gateways installed 🛫', '✔ Ingress gateways installed 🛬']));
  });

  it('kubectl get pods,svc -n istio-system shows the demo profile: three 1/1 pods, the ingress LoadBalancer', async () => {
    const out = await terminal.ok('kubectl get pods,svc -n istio-system');
    assert.match(out, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    for (const name of ['istio-egressgateway', 'istio-ingressgateway', 'istiod']) {
      assert.match(out, new RegExp(`^pod/${name}-[a-z0-9]+-[a-z0-9]{5}\\s+1/1\\s+Running\\s+0\\s+\\d+s$`, 'm'));
    }
    assert.match(out, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
    assert.match(out, /^service\/istio-egressgateway\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP,443\/TCP\s+\d+s$/m);
    assert.match(
      out,
      /^service\/istio-ingressgateway\s+LoadBalancer\s+10\.\d+\.\d+\.\d+\s+\S+\s+15021:3\d{4}\/TCP,80:3\d{4}\/TCP,443:3\d{4}\/TCP,31400:3\d{4}\/TCP,15443:3\d{4}\/TCP\s+\d+s$/m,
    );
    assert.match(out, /^service\/istiod\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+15010\/TCP,15012\/TCP,443\/TCP,15014\/TCP\s+\d+s$/m);
  });

  it('labelling default for injection, Bookinfo comes up as six pods with sidecars (2/2)', async () => {
    assert.equal(await terminal.ok('kubectl label namespace default istio-injection=enabled'), 'namespace/default labeled\n');
    assert.equal(
      await terminal.ok('kubectl apply -f samples/bookinfo/platform/kube/bookinfo.yaml'),
      [
        'service/details created',
        'serviceaccount/bookinfo-details created',
        'deployment.apps/details-v1 created',
        'service/ratings created',
        'serviceaccount/bookinfo-ratings created',
        'deployment.apps/ratings-v1 created',
        'service/reviews created',
        'serviceaccount/bookinfo-reviews created',
        'deployment.apps/reviews-v1 created',
        'deployment.apps/reviews-v2 created',
        'deployment.apps/reviews-v3 created',
        'service/productpage created',
        'serviceaccount/bookinfo-productpage created',
        'deployment.apps/productpage-v1 created',
        '',
      ].join('\n'),
    );
    await terminal.ok('kubectl wait --for=condition=available deployment --all --timeout=60s');
    const services = await terminal.ok('kubectl get services');
    for (const name of ['details', 'productpage', 'ratings', 'reviews']) {
      assert.match(services, new RegExp(`^${name}\\s+ClusterIP\\s+10\\.\\d+\\.\\d+\\.\\d+\\s+<none>\\s+9080/TCP\\s+\\d+s$`, 'm'));
    }
    const pods = (await terminal.ok('kubectl get pods')).trimEnd().split('\n');
    assert.match(pods[0] ?? '', /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    const rows = pods.slice(1);
    assert.equal(rows.length, 6, pods.join('\n'));
    const deployments = ['details-v1', 'productpage-v1', 'ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3'];
    rows.forEach((row, i) => assert.match(row, new RegExp(`^${deployments[i]}-[a-z0-9]+-[a-z0-9]{5}\\s+2/2\\s+Running\\s+0\\s+\\d+s$`)));
  });

  it('each Bookinfo pod runs its app beside istio-proxy', async () => {
    const containers = await terminal.ok(`kubectl get pod -l app=reviews -o jsonpath='{range .items[*]}{.spec.containers[*].name}{"\\n"}{end}'`);
    assert.equal(containers, 'reviews istio-proxy\nreviews istio-proxy\nreviews istio-proxy\n');
  });

  it('istioctl analyze finds no issues', async () => {
    const result = await terminal.type('istioctl analyze');
    assert.equal(result.exitCode, 0);
    // istioctl writes an empty line to stdout and the verdict to stderr.
    assert.equal(result.stdout, '\n');
    assert.equal(result.stderr, '✔ No validation issues found when analyzing namespace: default.\n');
  });

  it('istioctl proxy-status lists every sidecar and gateway, connected to istiod', async () => {
    const out = await terminal.ok('istioctl proxy-status');
    const [header, ...rows] = out.trimEnd().split('\n');
    assert.match(header ?? '', /^NAME\s+CLUSTER\s+ISTIOD\s+VERSION\s+SUBSCRIBED TYPES$/);
    const names = rows.map((row) => row.split(/\s+/)[0] ?? '');
    const expected = [/^details-v1-\S+\.default$/, /^istio-egressgateway-\S+\.istio-system$/, /^istio-ingressgateway-\S+\.istio-system$/, /^productpage-v1-\S+\.default$/, /^ratings-v1-\S+\.default$/, /^reviews-v1-\S+\.default$/, /^reviews-v2-\S+\.default$/, /^reviews-v3-\S+\.default$/];
    assert.equal(names.length, expected.length, out);
    names.forEach((name, i) => assert.match(name, expected[i] as RegExp));
    for (const row of rows) assert.match(row, /\s+Kubernetes\s+istiod-[a-z0-9]+-[a-z0-9]{5}\s+1\.30\.\d+\s+\d \((?:CDS|LDS|EDS|RDS|,)+\)$/);
    const sidecar = rows.find((row) => row.startsWith('details-v1-')) ?? '';
    assert.match(sidecar, /4 \(CDS,LDS,EDS,RDS\)$/);
  });

  it('from inside the mesh, productpage answers with the Bookstore title', async () => {
    const out = await terminal.ok(`kubectl exec "$(kubectl get pod -l app=ratings -o jsonpath='{.items[0].metadata.name}')" -c ratings -- curl -sS productpage:9080/productpage | grep -o "<title>.*</title>"`);
    assert.equal(out, '<title>Simple Bookstore App</title>\n');
  });
});
