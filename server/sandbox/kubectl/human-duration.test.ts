import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { humanDuration } from './human-duration.ts';

describe('humanDuration', () => {
  it('follows apimachinery’s steps from seconds to years', () => {
    const second = 1000;
    const hour = 3600 * second;
    assert.equal(humanDuration(-5 * second), '<invalid>');
    assert.equal(humanDuration(119 * second), '119s');
    assert.equal(humanDuration(150 * second), '2m30s');
    assert.equal(humanDuration(45 * 60 * second), '45m');
    assert.equal(humanDuration(5.5 * hour), '5h30m');
    assert.equal(humanDuration(30 * hour), '30h');
    assert.equal(humanDuration(3 * 24 * hour + 2 * hour), '3d2h');
    assert.equal(humanDuration(326 * 24 * hour), '326d');
    assert.equal(humanDuration((3 * 365 + 10) * 24 * hour), '3y10d');
  });
});
