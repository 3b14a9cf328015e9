import { describe, expect, it } from 'vitest';
import { wantsDebugHandles } from './debug.ts';

describe('wantsDebugHandles', () => {
  it('is off in a production build without the opt-in', () => {
    expect(wantsDebugHandles('', false)).toBe(false);
    expect(wantsDebugHandles('?view=week', false)).toBe(false);
    expect(wantsDebugHandles('?debugger', false)).toBe(false);
  });

  it('is on with ?debug, with or without a value', () => {
    expect(wantsDebugHandles('?debug', false)).toBe(true);
    expect(wantsDebugHandles('?debug=1', false)).toBe(true);
    expect(wantsDebugHandles('?x=1&debug', false)).toBe(true);
  });

  it('stays off when ?debug says no', () => {
    expect(wantsDebugHandles('?debug=0', false)).toBe(false);
    expect(wantsDebugHandles('?debug=false', false)).toBe(false);
  });

  it('is on on the dev server', () => {
    expect(wantsDebugHandles('', true)).toBe(true);
  });
});
