import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadDesired, type Loaded } from '../engine/load.js';
import { formatError, type CtnetError } from '../model/errors.js';
import { MemoryDocCache, type CacheStats } from '../manifest/doc-cache.js';

export type SourceRead =
  /** Valid manifests: the new last good state. */
  | { readonly kind: 'good'; readonly loaded: Loaded; readonly recovered: boolean }
  /** Invalid, empty or unreadable: the last good state (if any) stays. `fresh`: not the errors logged last time. */
  | {
      readonly kind: 'invalid';
      readonly errors: readonly CtnetError[];
      readonly lastGood?: Loaded;
      readonly fresh: boolean;
    }
  /** Files changed while they were read: a half-written checkout, never applied. */
  | { readonly kind: 'changing' };

/**
 * The watched directory as a source of desired state. It remembers the last good state, so that
 * invalid manifests (or a directory that became empty or unreadable, unless `allowEmpty`) change
 * nothing. A read whose files changed between before and after loading is discarded: the file
 * watcher will trigger again once the writer is done.
 */
export class DesiredSource {
  private good: Loaded | undefined;
  private goodPrint = '';
  private lastErrors = '';
  /** Parsed documents across runs: an edit parses only the documents it changed. */
  private readonly cache = new MemoryDocCache();

  constructor(
    private readonly dir: string,
    private readonly allowEmpty: boolean,
    private readonly node?: string,
  ) {}

  get lastGood(): Loaded | undefined {
    return this.good;
  }

  /** Documents served from the cache or parsed, over the daemon's life. */
  get parseStats(): CacheStats {
    return this.cache.stats;
  }

  get degraded(): boolean {
    return this.lastErrors !== '';
  }

  /**
   * `unchanged`: the run was triggered by the kernel alone, so the files are most likely as they
   * were: when their names, sizes and times say so, the last good state is used as it is, without
   * parsing every manifest again (at 500 containers that is most of a drift repair's time).
   */
  async read(unchanged = false): Promise<SourceRead> {
    const before = fingerprint(this.dir);
    if (unchanged && this.good && !this.degraded && before === this.goodPrint)
      return { kind: 'good', loaded: this.good, recovered: false };
    const r = await loadDesired([this.dir], { allowEmpty: this.allowEmpty, cache: this.cache, node: this.node });
    // what the files no longer hold is dropped: the cache stays the size of the manifests
    this.cache.sweep();
    if (fingerprint(this.dir) !== before) return { kind: 'changing' };
    if (r.ok) {
      const recovered = this.degraded;
      this.good = r.value;
      this.goodPrint = before;
      this.lastErrors = '';
      return { kind: 'good', loaded: r.value, recovered };
    }
    const key = r.errors.map(formatError).join('\n');
    const fresh = key !== this.lastErrors;
    this.lastErrors = key;
    return { kind: 'invalid', errors: r.errors, lastGood: this.good, fresh };
  }
}

/** Names, sizes and modification times of every manifest file the loader would read. */
function fingerprint(dir: string): string {
  const out: string[] = [];
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      out.push(`${d}:unreadable`);
      return;
    }
    for (const n of names) {
      if (n.startsWith('.')) continue;
      const p = join(d, n);
      try {
        const st = statSync(p);
        if (st.isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(n)) out.push(`${p}:${st.size}:${st.mtimeMs}`);
      } catch {
        out.push(`${p}:gone`);
      }
    }
  };
  try {
    out.push(realpathSync(dir));
  } catch {
    out.push('missing');
  }
  walk(dir);
  return out.join('\n');
}
