import { describe, expect, it } from 'vitest';
import { decodeHash, encodeHash } from './url';

describe('URL state', () => {
  it('round-trips program (with Korean and symbols), view and step', () => {
    const program = 'import torch\n# 한국어 주석 & <b>\nx = torch.tensor(1., requires_grad=True)\n';
    const hash = encodeHash({ program, view: 'backward', segment: 2, position: 7 });
    expect(decodeHash(hash)).toEqual({ program, view: 'backward', segment: 2, position: 7 });
    expect(hash).not.toMatch(/[<>&]b/);
  });

  it('ignores malformed values instead of failing', () => {
    expect(decodeHash('#view=sideways&step=-3&it=abc&program=%%%')).toEqual({});
    expect(decodeHash('')).toEqual({});
  });
});
