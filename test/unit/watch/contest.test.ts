import { describe, expect, it } from 'vitest';
import { ContestTracker } from '../../../src/watch/contest.js';

describe('contested objects', () => {
  it('after three repairs within ten minutes an object is held, with a doubling backoff', () => {
    let now = 0;
    const t = new ContestTracker(() => now);
    expect(t.repaired(['a'])).toEqual([]);
    now += 1000;
    expect(t.repaired(['a', 'b'])).toEqual([]);
    now += 1000;
    expect(t.repaired(['a'])).toEqual([{ id: 'a', repairs: 3, backoffMs: 5000 }]);
    expect([...t.held()]).toEqual(['a']);
    now += 5001;
    expect([...t.held()]).toEqual([]);
    t.repaired(['a']);
    t.repaired(['a']);
    expect(t.repaired(['a'])).toEqual([{ id: 'a', repairs: 3, backoffMs: 10_000 }]);
  });

  it('repairs spread over more than ten minutes are no fight', () => {
    let now = 0;
    const t = new ContestTracker(() => now);
    for (let i = 0; i < 5; i++) {
      expect(t.repaired(['a'])).toEqual([]);
      now += 6 * 60_000;
    }
    expect(t.held().size).toBe(0);
  });
});
