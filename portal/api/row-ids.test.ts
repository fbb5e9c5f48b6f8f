import { describe, expect, it } from 'vitest';
import { rowIds } from './row-ids';

describe('row ids', () => {
  const claims = rowIds('cl');

  it('writes a row number behind its kind', () => {
    expect(claims.format(42)).toBe('cl_42');
  });

  it.each([
    ['cl_42', 42],
    ['cl_9007199254740991', 9007199254740991],
    ['cl_0', undefined],
    ['cl_042', undefined],
    ['cl_-1', undefined],
    ['p_42', undefined],
    ['xcl_42', undefined],
    ['cl_42 ', undefined],
    ['cl_12345678901234567', undefined],
  ])('reads %j as %j', (id, rowId) => {
    expect(claims.parse(id)).toBe(rowId);
  });
});
