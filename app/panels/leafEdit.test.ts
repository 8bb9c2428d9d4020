import { describe, expect, it } from 'vitest';
import { pyLiteral, replaceTensorLiteral } from './leafEdit';
import { TUTORIAL_PROGRAM } from '../store/fixtures/events';

describe('leaf literal editing', () => {
  it('writes Python literals by shape', () => {
    expect(pyLiteral([2, 3.5], [2], true)).toBe('[2., 3.5]');
    expect(pyLiteral([1, 2, 3, 4], [2, 2], false)).toBe('[[1, 2], [3, 4]]');
    expect(pyLiteral([7], [], true)).toBe('7.');
  });
  it("replaces the creation call's first argument and nothing else", () => {
    const out = replaceTensorLiteral(TUTORIAL_PROGRAM, { line: 3, col: 5 }, '[5., 3.]');
    expect(out).toContain('a = torch.tensor([5., 3.], requires_grad=True)');
    expect(out!.split('\n').length).toBe(TUTORIAL_PROGRAM.split('\n').length);
  });
  it('refuses to rewrite a non-literal argument', () => {
    expect(replaceTensorLiteral('x = torch.tensor(y)\n', { line: 1, col: 5 }, '[1.]')).toBeNull();
  });
});
