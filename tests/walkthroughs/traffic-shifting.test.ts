// Traffic shifting (istio.io tasks/traffic-management/traffic-shifting): reviews all on v1,
// then 50/50 between v1 and v3, then all on v3, checked over 100 page loads each.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { istioSamplesMissing } from '../support/istio-samples.ts';
import { installBookinfo } from './install-bookinfo.ts';
import { openLearnerTerminal, type LearnerTerminal } from './learner-terminal.ts';

/** Page loads out of 100 that show red stars (reviews v3), and that show black ones (v2). */
async function redAndBlackOf100(terminal: LearnerTerminal): Promise<{ red: number; black: number }> {
  const out = await terminal.ok(
    `red=0; black=0; for i in $(seq 1 100); do page=$(curl -s "http://\${GATEWAY_URL}/productpage"); ` +
      `if echo "$page" | grep -q "text-red-500"; then red=$((red+1)); fi; if echo "$page" | grep -q "text-black-500"; then black=$((black+1)); fi; done; echo "$red $black"`,
  );
  const [red = NaN, black = NaN] = out.trim().split(' ').map(Number);
  return { red, black };
}

describe('traffic shifting', { skip: istioSamplesMissing }, () => {
  let terminal: LearnerTerminal;
  before(async () => {
    terminal = await openLearnerTerminal('traffic-shifting');
    await installBookinfo(terminal, { destinationRules: true });
  });
  after(async () => {
    await terminal?.close();
  });

  it('virtual-service-all-v1.yaml: no stars on any refresh', async () => {
    await terminal.ok('kubectl apply -f samples/bookinfo/networking/virtual-service-all-v1.yaml');
    assert.deepEqual(await redAndBlackOf100(terminal), { red: 0, black: 0 });
  });

  it('virtual-service-reviews-50-v3.yaml: red stars on about half the refreshes, never black', async () => {
    assert.equal(await terminal.ok('kubectl apply -f samples/bookinfo/networking/virtual-service-reviews-50-v3.yaml'), 'virtualservice.networking.istio.io/reviews configured\n');
    const yaml = await terminal.ok('kubectl get virtualservice reviews -o yaml');
    assert.match(yaml, /\n {2}http:\n {2}- route:\n {4}- destination:\n {8}host: reviews\n {8}subset: v1\n {6}weight: 50\n {4}- destination:\n {8}host: reviews\n {8}subset: v3\n {6}weight: 50\n/);
    const { red, black } = await redAndBlackOf100(terminal);
    // A fair split of 100 lands within 30..70 far more often than one run in a million.
    assert.ok(red >= 30 && red <= 70, `red stars on ${red} of 100 pages`);
    assert.equal(black, 0);
  });

  it('virtual-service-reviews-v3.yaml: red stars on every refresh', async () => {
    assert.equal(await terminal.ok('kubectl apply -f samples/bookinfo/networking/virtual-service-reviews-v3.yaml'), 'virtualservice.networking.istio.io/reviews configured\n');
    assert.deepEqual(await redAndBlackOf100(terminal), { red: 100, black: 0 });
  });

  it('cleanup: deleting the routes brings back all three versions', async () => {
    await terminal.ok('kubectl delete -f samples/bookinfo/networking/virtual-service-all-v1.yaml');
    const { red, black } = await redAndBlackOf100(terminal);
    assert.ok(red > 0 && black > 0 && red + black < 100, `${red} red, ${black} black`);
  });
});
