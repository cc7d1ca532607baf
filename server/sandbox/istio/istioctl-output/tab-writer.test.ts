import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tabWrite } from './tab-writer.ts';

describe('tabWrite', () => {
  it('pads columns like Go tabwriter with padding 5 and leaves the last cell unpadded', () => {
    // Matches istioctl's testdata/clustersummary.txt layout.
    const text = tabWrite(['SERVICE FQDN\tPORT\tSUBSET\tDIRECTION\tTYPE', 'istio-policy.istio-system.svc.cluster.local\t15004\t-\toutbound\t&{EDS}', 'xds-grpc\t-\t-\t-\t&{STRICT_DNS}'], 5);
    assert.equal(
      text,
      'SERVICE FQDN                                    PORT      SUBSET     DIRECTION     TYPE\n' +
        'istio-policy.istio-system.svc.cluster.local     15004     -          outbound      &{EDS}\n' +
        'xds-grpc                                        -         -          -             &{STRICT_DNS}\n',
    );
  });

  it('sizes a column only over the block of lines that have it', () => {
    assert.equal(tabWrite(['a\tb', 'no tabs here at all', 'ccc\td'], 1), 'a b\nno tabs here at all\nccc d\n');
    assert.equal(tabWrite(['a\tb', 'ccc\td'], 1), 'a   b\nccc d\n');
  });
});
