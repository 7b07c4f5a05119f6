import { describe, expect, it } from 'vitest';
import { Scratch } from '../../../src/driver/netlink/scratch.js';

/** Datagrams received into one reused block: each chunk keeps its bytes until the block is reset. */
const receive = (s: Scratch, fill: number, n: number): Buffer => {
  const room = s.room();
  expect(room.length).toBeGreaterThanOrEqual(1 << 20); // as much as a datagram may need
  room.fill(fill, 0, n);
  return s.take(n);
};

describe('scratch memory for dumps', () => {
  it('hands out views that do not overlap until reset, across a new block when one fills up', () => {
    const s = new Scratch();
    const chunks = Array.from({ length: 200 }, (_, i) => receive(s, i & 255, 32_000 + i));
    // 200 datagrams of 32 kB do not fit in one 4 MB block: later ones went to new blocks
    expect(new Set(chunks.map((c) => c.buffer)).size).toBeGreaterThan(1);
    chunks.forEach((c, i) => {
      expect(c.length).toBe(32_000 + i);
      expect(c.every((b) => b === (i & 255))).toBe(true);
    });
  });

  it('starts again at the beginning of its block after a reset', () => {
    const s = new Scratch();
    const a = receive(s, 1, 100);
    s.reset();
    const b = receive(s, 2, 100);
    expect(b.byteOffset).toBe(a.byteOffset);
    expect(b.buffer).toBe(a.buffer);
  });
});
