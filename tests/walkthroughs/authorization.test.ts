// Authorization for HTTP traffic (istio.io tasks/security/authorization/authz-http): deny
// everything in default, then open Bookinfo stage by stage with ALLOW policies keyed on
// workload selectors, methods and the callers' mTLS principals.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { istioSamplesMissing } from '../support/istio-samples.ts';
import { installBookinfo } from './install-bookinfo.ts';
import { openLearnerTerminal, type LearnerTerminal } from './learner-terminal.ts';

const viewer = (name: string, app: string, principal?: string): string => `kubectl apply -f - <<EOF
apiVersion: "security.istio.io/v1beta1"
kind: "AuthorizationPolicy"
metadata:
  name: "${name}"
  namespace: default
spec:
  selector:
    matchLabels:
      app: ${app}
  action: ALLOW
  rules:
${principal === undefined ? '' : `  - from:\n    - source:\n        principals: ["${principal}"]\n`}${principal === undefined ? '  - to:' : '    to:'}
    - operation:
        methods: ["GET"]
EOF`;

describe('authorization for HTTP traffic', { skip: istioSamplesMissing }, () => {
  let terminal: LearnerTerminal;
  const page = (): Promise<string> => terminal.ok(`curl -s "http://\${GATEWAY_URL}/productpage"`);
  before(async () => {
    terminal = await openLearnerTerminal('authorization');
    await installBookinfo(terminal);
  });
  after(async () => {
    await terminal?.close();
  });

  it('allow-nothing: every request in default is refused, 403 RBAC: access denied', async () => {
    const applied = await terminal.ok(`kubectl apply -f - <<EOF
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: allow-nothing
  namespace: default
spec:
  {}
EOF`);
    assert.equal(applied, 'authorizationpolicy.security.istio.io/allow-nothing created\n');
    const answer = await terminal.ok(`curl -s -i "http://\${GATEWAY_URL}/productpage"`);
    assert.match(answer, /^HTTP\/1\.1 403 Forbidden\r\n/);
    assert.match(answer, /\r\ncontent-length: 19\r\n/);
    assert.match(answer, /\r\nserver: istio-envoy\r\n/);
    assert.match(answer, /\r\n\r\nRBAC: access denied$/);
    const inside = await terminal.ok(`kubectl exec "$(kubectl get pod -l app=ratings -o jsonpath='{.items[0].metadata.name}')" -c ratings -- curl -s -w " %{http_code}\\n" details:9080/details/0`);
    assert.equal(inside, 'RBAC: access denied 403\n');
  });

  it('productpage-viewer: the page loads, but details and reviews are still refused', async () => {
    assert.equal(await terminal.ok(viewer('productpage-viewer', 'productpage')), 'authorizationpolicy.security.istio.io/productpage-viewer created\n');
    const html = await page();
    assert.match(html, /William Shakespeare/);
    assert.match(html, /Error fetching product details/);
    assert.match(html, /Error fetching product reviews/);
    assert.doesNotMatch(html, /PublisherA/);
    // POST is not among the allowed methods.
    const post = await terminal.ok(`curl -s -o /dev/null -w "%{http_code}\\n" -X POST "http://\${GATEWAY_URL}/productpage"`);
    assert.equal(post, '403\n');
  });

  it('details-viewer and reviews-viewer for productpage: details and reviews show, ratings are refused', async () => {
    assert.equal(await terminal.ok(viewer('details-viewer', 'details', 'cluster.local/ns/default/sa/bookinfo-productpage')), 'authorizationpolicy.security.istio.io/details-viewer created\n');
    assert.equal(await terminal.ok(viewer('reviews-viewer', 'reviews', 'cluster.local/ns/default/sa/bookinfo-productpage')), 'authorizationpolicy.security.istio.io/reviews-viewer created\n');
    let pages = '';
    for (let i = 0; i < 6; i++) pages += await page();
    assert.match(pages, /PublisherA/);
    assert.doesNotMatch(pages, /Error fetching product (details|reviews)/);
    assert.match(pages, /Ratings service is currently unavailable/);
    assert.doesNotMatch(pages, /glyphicon glyphicon-star/);
    // The principal is productpage's: another workload is still refused by details.
    const other = await terminal.ok(`kubectl exec "$(kubectl get pod -l app=ratings -o jsonpath='{.items[0].metadata.name}')" -c ratings -- curl -s -o /dev/null -w "%{http_code}\\n" details:9080/details/0`);
    assert.equal(other, '403\n');
  });

  it('ratings-viewer for reviews: the whole page, with black and red stars', async () => {
    assert.equal(await terminal.ok(viewer('ratings-viewer', 'ratings', 'cluster.local/ns/default/sa/bookinfo-reviews')), 'authorizationpolicy.security.istio.io/ratings-viewer created\n');
    let black = false;
    let red = false;
    for (let i = 0; i < 6; i++) {
      const html = await page();
      assert.match(html, /Book Details/);
      assert.match(html, /Book Reviews/);
      assert.doesNotMatch(html, /Ratings service is currently unavailable/);
      black ||= html.includes('text-black-500');
      red ||= html.includes('text-red-500');
    }
    assert.ok(black && red, 'both starred versions answered');
    const listed = await terminal.ok('kubectl get ap');
    assert.match(listed, /^NAME\s+ACTION\s+AGE\n/);
    for (const name of ['details-viewer', 'productpage-viewer', 'ratings-viewer', 'reviews-viewer']) assert.match(listed, new RegExp(`^${name}\\s+ALLOW\\s+\\d+s$`, 'm'));
  });

  it('cleanup: without the policies everything is allowed again', async () => {
    for (const name of ['allow-nothing', 'productpage-viewer', 'details-viewer', 'reviews-viewer', 'ratings-viewer']) {
      assert.equal(await terminal.ok(`kubectl delete authorizationpolicy.security.istio.io/${name}`), `authorizationpolicy.security.istio.io "${name}" deleted\n`);
    }
    const inside = await terminal.ok(`kubectl exec "$(kubectl get pod -l app=ratings -o jsonpath='{.items[0].metadata.name}')" -c ratings -- curl -s -o /dev/null -w "%{http_code}\\n" details:9080/details/0`);
    assert.equal(inside, '200\n');
  });
});
