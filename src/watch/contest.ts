/**
 * Objects someone else keeps changing back. Felix-style repair is right for a one-off change,
 * but two controllers fighting over one object would flap it forever: after CONTESTED repairs
 * within WINDOW, the object is left alone for a while, doubling each time it is contested again
 * (up to MAX), and reported. A quiet WINDOW forgets it.
 */
const CONTESTED = 3;
const WINDOW_MS = 10 * 60_000;
const FIRST_MS = 5_000;
const MAX_MS = 10 * 60_000;

interface Entry {
  times: number[];
  level: number;
  until: number;
}

export interface Contested {
  readonly id: string;
  readonly repairs: number;
  readonly backoffMs: number;
}

export class ContestTracker {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records this run's repairs; returns the objects that have just become contested. */
  repaired(ids: readonly string[]): Contested[] {
    const t = this.now();
    const out: Contested[] = [];
    for (const id of ids) {
      const e = this.entries.get(id) ?? { times: [], level: 0, until: 0 };
      e.times = [...e.times.filter((x) => t - x < WINDOW_MS), t];
      if (e.times.length >= CONTESTED) {
        e.level += 1;
        const backoffMs = Math.min(FIRST_MS * 2 ** (e.level - 1), MAX_MS);
        e.until = t + backoffMs;
        e.times = [];
        out.push({ id, repairs: CONTESTED, backoffMs });
      }
      this.entries.set(id, e);
    }
    for (const [id, e] of this.entries) if (!e.times.length && e.until < t - WINDOW_MS) this.entries.delete(id);
    return out;
  }

  /** How long until the first object left alone may be repaired again; undefined: none is. */
  nextRelease(): number | undefined {
    const t = this.now();
    const left = [...this.entries.values()].filter((e) => e.until > t).map((e) => e.until - t);
    return left.length ? Math.min(...left) : undefined;
  }

  /** Objects not to repair in this run. */
  held(): ReadonlySet<string> {
    const t = this.now();
    return new Set([...this.entries].filter(([, e]) => e.until > t).map(([id]) => id));
  }
}
