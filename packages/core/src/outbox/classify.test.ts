import { describe, expect, it } from 'vitest';
import { backoffMs, classifyWrite } from './classify.ts';

describe('classifyWrite', () => {
  it.each([
    [201, 'done'],
    [204, 'done'],
    [412, 'precondition'],
    [404, 'gone'],
    [410, 'gone'],
    [401, 'auth'],
    [403, 'reject'],
    [500, 'retry'],
    [503, 'retry'],
    [429, 'retry'],
    [400, 'reject'],
    [409, 'reject'],
    [415, 'reject'],
    [302, 'reject'],
  ] as const)('%i → %s', (status, outcome) => {
    expect(classifyWrite(status)).toBe(outcome);
  });
});

describe('backoffMs', () => {
  it('grows exponentially and is capped', () => {
    const top = () => 1;
    expect(backoffMs(1, top)).toBe(2_000);
    expect(backoffMs(2, top)).toBe(4_000);
    expect(backoffMs(5, top)).toBe(32_000);
    expect(backoffMs(50, top)).toBe(300_000);
    expect(backoffMs(3, () => 0)).toBe(4_000);
  });
});
