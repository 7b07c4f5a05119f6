import { describe, expect, it } from 'vitest';
import { delayFor, retryInterrupted, type RetryPolicy } from '../../../src/driver/netlink/dump-retry.js';

/** The retry of interrupted netlink dumps: bounded in attempts and time, waits growing with jitter. */
const FAST: RetryPolicy = { attempts: 8, firstDelayMs: 1, maxDelayMs: 4, budgetMs: 10_000 };

describe('retryInterrupted', () => {
  it('returns the first dump the kernel did not mark interrupted', () => {
    let n = 0;
    expect(retryInterrupted('address dump', () => ({ value: ++n, interrupted: n < 6 }), FAST)).toBe(6);
  });

  it('gives up after the attempts, naming the dump and how often it was interrupted', () => {
    let n = 0;
    expect(() => retryInterrupted('address dump in netns x', () => ({ value: ++n, interrupted: true }), FAST)).toThrow(
      /netlink address dump in netns x interrupted 8 times in [\d.]+ s/,
    );
    expect(n).toBe(8);
  });

  it('gives up when the time budget is spent', () => {
    let n = 0;
    const p = { ...FAST, attempts: 1000, budgetMs: 30 };
    expect(() => retryInterrupted('link dump', () => ({ value: ++n, interrupted: true }), p)).toThrow(/interrupted/);
    expect(n).toBeLessThan(1000);
  });

  it('waits between half the bound and the bound, the bound doubling up to its maximum', () => {
    const p = { attempts: 10, firstDelayMs: 1, maxDelayMs: 200, budgetMs: 1000 };
    expect([1, 2, 3, 9].map((r) => delayFor(r, p, () => 0))).toEqual([0.5, 1, 2, 100]);
    expect([1, 2, 3, 9].map((r) => delayFor(r, p, () => 1))).toEqual([1, 2, 4, 200]);
  });
});
