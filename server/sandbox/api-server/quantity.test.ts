import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addQuantities, formatQuantity, parseQuantity, QuantityParseError } from './quantity.ts';

describe('quantities', () => {
  it('parse decimal, binary and exponent forms', () => {
    assert.deepEqual(parseQuantity('500m'), { value: 0.5, format: 'DecimalSI' });
    assert.deepEqual(parseQuantity('128Mi'), { value: 128 * 2 ** 20, format: 'BinarySI' });
    assert.deepEqual(parseQuantity('1e3'), { value: 1000, format: 'DecimalExponent' });
    assert.deepEqual(parseQuantity(2), { value: 2, format: 'DecimalSI' });
    assert.throws(() => parseQuantity('lots'), QuantityParseError);
  });

  it('print canonically, as status.used shows them', () => {
    assert.equal(formatQuantity(parseQuantity('0.5')), '500m');
    assert.equal(formatQuantity(addQuantities([parseQuantity('500m'), parseQuantity('500m')])), '1');
    assert.equal(formatQuantity(addQuantities([parseQuantity('250m'), parseQuantity('1')])), '1250m');
    assert.equal(formatQuantity(addQuantities([parseQuantity('128Mi'), parseQuantity('128Mi')])), '256Mi');
    assert.equal(formatQuantity(addQuantities([parseQuantity('512Mi'), parseQuantity('512Mi')])), '1Gi');
    assert.equal(formatQuantity(parseQuantity('1G')), '1G');
    assert.equal(formatQuantity(parseQuantity('100')), '100');
    assert.equal(formatQuantity(parseQuantity('0')), '0');
  });
});
