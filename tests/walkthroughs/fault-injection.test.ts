// Fault injection (istio.io tasks/traffic-management/fault-injection): a 7 s delay and an
// HTTP 500 abort on ratings for jason. Requests as jason go the way the docs' own test
// scripts send them: curl from the sleep pod to the ingress gateway, logged in with a cookie
// jar. The delay takes real time (productpage gives up after 2 × 3 s), so it runs once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { istioSamplesMissing } from '../support/istio-samples.ts';
import { installBookinfo } from './install-bookinfo.ts';
import { openLearnerTerminal, type LearnerTerminal } from './learner-terminal.ts';

const REVIEWS_UNAVAILABLE = 'Sorry, product reviews are currently unavailable for this book.';
const RATINGS_UNAVAILABLE = 'Ratings service is currently unavailable';

/** `sample_http_request "/productpage" [user]` from istio.io's tests/util/samples.sh, inlined. */
function productpageRequest(user?: string): string {
  const login =
    user === undefined
      ? ''
      : `kubectl exec "$sleep_pod" -c sleep -n "default" -- curl -c /tmp/sample.cookies "$ingress_url/login" --data "username=${user}&passwd=password"\nargs="-b /tmp/sample.cookies"\n`;
  return `ingress_url="http://istio-ingressgateway.istio-system"
sleep_pod=$(kubectl get pod -l app=sleep -n default -o 'jsonpath={.items..metadata.name}')
args=""
${login}kubectl exec "$sleep_pod" -c sleep -n "default" -- curl "$ingress_url/productpage" $args -s --retry 3 --retry-connrefused --retry-delay 5`;
}

describe('fault injection', { skip: istioSamplesMissing }, () => {
  let terminal: LearnerTerminal;
  before(async () => {
    terminal = await openLearnerTerminal('fault-injection');
    await installBookinfo(terminal, { destinationRules: true });
    await terminal.ok('kubectl apply -f samples/sleep/sleep.yaml -n default');
    await terminal.ok('kubectl wait --for=condition=available deployment/sleep --timeout=60s');
    await terminal.ok('kubectl apply -f samples/bookinfo/networking/virtual-service-all-v1.yaml');
    await terminal.ok('kubectl apply -f samples/bookinfo/networking/virtual-service-reviews-test-v2.yaml');
  });
  after(async () => {
    await terminal?.close();
  });

  it('before any fault, jason sees black stars from reviews v2', async () => {
    const page = await terminal.ok(productpageRequest('jason'));
    assert.match(page, /text-black-500/);
    assert.equal((page.match(/glyphicon glyphicon-star/g) ?? []).length, 9);
  });

  it('a 7s delay for jason: the page gives up on reviews after about 6 s; others are not delayed', async () => {
    assert.equal(await terminal.ok('kubectl apply -f samples/bookinfo/networking/virtual-service-ratings-test-delay.yaml'), 'virtualservice.networking.istio.io/ratings configured\n');
    const yaml = await terminal.ok('kubectl get virtualservice ratings -o yaml');
    assert.match(yaml, /\n {2}- fault:\n {6}delay:\n {8}fixedDelay: 7s\n {8}percentage:\n {10}value: 100\n {4}match:\n {4}- headers:\n {8}end-user:\n {10}exact: jason\n/);
    const started = Date.now();
    const page = await terminal.ok(productpageRequest('jason'));
    const elapsed = Date.now() - started;
    assert.ok(page.includes(REVIEWS_UNAVAILABLE), page);
    assert.ok(page.includes('Error fetching product reviews'));
    // The delay really happened: productpage waited out two 3 s tries at reviews.
    assert.ok(elapsed >= 5_900, `page came after ${elapsed} ms`);
    const anonymous = await terminal.ok(productpageRequest());
    assert.ok(!anonymous.includes(REVIEWS_UNAVAILABLE));
    assert.match(anonymous, /Reviewer1/);
  });

  it('the ingress gateway access log shows the page took 6 s, not 7', async () => {
    // `kubectl logs` does not reach the proxies' logs in the embedded sandbox yet (see the
    // workloads README), so the test reads the gateway's istio-proxy access log directly.
    const pod = await terminal.ok(`kubectl get pod -n istio-system -l istio=ingressgateway -o jsonpath='{.items[0].metadata.name}'`);
    const lines = terminal.sandbox.workloads.plane.proxyLogs('istio-system', pod).filter((l) => l.includes('"GET /productpage HTTP/1.1" 200'));
    const durations = lines.map((line) => Number(/" 200 \S+ \S+ - "[^"]*" \d+ \d+ (\d+) /.exec(line)?.[1]));
    // Istio's TEXT format: … %BYTES_RECEIVED% %BYTES_SENT% %DURATION% …; one of the jason pages waited.
    const slow = durations.filter((ms) => ms >= 6_000);
    assert.equal(slow.length, 1, lines.join('\n'));
    assert.ok((slow[0] ?? 0) < 7_000, lines.join('\n'));
  });

  it('an HTTP 500 abort for jason: each review says ratings are unavailable; others unaffected', async () => {
    assert.equal(await terminal.ok('kubectl apply -f samples/bookinfo/networking/virtual-service-ratings-test-abort.yaml'), 'virtualservice.networking.istio.io/ratings configured\n');
    const yaml = await terminal.ok('kubectl get virtualservice ratings -o yaml');
    assert.match(yaml, /\n {2}- fault:\n {6}abort:\n {8}httpStatus: 500\n {8}percentage:\n {10}value: 100\n/);
    const page = await terminal.ok(productpageRequest('jason'));
    assert.equal((page.match(new RegExp(RATINGS_UNAVAILABLE, 'g')) ?? []).length, 2, page);
    const anonymous = await terminal.ok(productpageRequest());
    assert.ok(!anonymous.includes(RATINGS_UNAVAILABLE));
    const fromReviews = await terminal.ok(`kubectl exec deploy/reviews-v2 -- curl -s -o /dev/null -w "%{http_code}\\n" -H "end-user: jason" ratings:9080/ratings/0`);
    assert.equal(fromReviews, '500\n');
  });

  it('cleanup: kubectl delete -f virtual-service-all-v1.yaml', async () => {
    const out = await terminal.ok('kubectl delete -f samples/bookinfo/networking/virtual-service-all-v1.yaml');
    assert.match(out, /virtualservice\.networking\.istio\.io "ratings" deleted/);
    assert.ok(!(await terminal.ok(productpageRequest('jason'))).includes(RATINGS_UNAVAILABLE));
  });
});
