/**
 * What parsing one document chunk gave: each document's data as `toJS()` returns it, `null` for a
 * document that holds no manifest (empty, comments only, or YAML `null`). The length is the number
 * of documents the chunk holds, empty ones included: the next chunk's documents count on from it.
 * Only error-free chunks whose data is plain JSON are ever cached, so a hit means exactly what a
 * parse would give. The data is shared, never copied: manifest data is read-only everywhere.
 */
export interface CachedChunk {
  readonly docs: readonly unknown[];
  /**
   * The fingerprint of the schema every document of the chunk passed (schema-options.ts): the
   * check is a function of the data alone, so it is not made again while the schema is the same.
   */
  readonly valid?: string;
}

/** Parsed chunks by key (`chunkKey`: the chunk's text and everything that shapes its parse). */
export interface DocCache {
  get(key: string): CachedChunk | undefined;
  put(key: string, chunk: CachedChunk): void;
  /** Every document of the chunk passed the schema of this fingerprint. */
  markValid(key: string, fingerprint: string): void;
}

export interface CacheStats {
  /** Chunks served without parsing. */
  readonly hits: number;
  /** Chunks looked up and not found: each was parsed. */
  readonly misses: number;
  /** Chunks parsed and stored. */
  readonly added: number;
  /** Chunks marked as passing the schema. */
  readonly marked: number;
}

/**
 * A cache in memory that knows which entries were used since the last sweep: those are what the
 * current files need, and all a persisted or long-lived cache keeps, so it never grows without
 * bound as files are edited.
 */
export class MemoryDocCache implements DocCache {
  private all: Map<string, CachedChunk>;
  private used = new Map<string, CachedChunk>();
  private counts = { hits: 0, misses: 0, added: 0, marked: 0 };

  constructor(seed: Iterable<readonly [string, CachedChunk]> = []) {
    this.all = new Map(seed);
  }

  get stats(): CacheStats {
    return { ...this.counts };
  }

  get(key: string): CachedChunk | undefined {
    const c = this.all.get(key);
    if (c) this.used.set(key, c);
    this.counts[c ? 'hits' : 'misses']++;
    return c;
  }

  put(key: string, chunk: CachedChunk): void {
    this.all.set(key, chunk);
    this.used.set(key, chunk);
    this.counts.added++;
  }

  markValid(key: string, fingerprint: string): void {
    const c = this.all.get(key);
    if (!c || c.valid === fingerprint) return;
    const marked = { ...c, valid: fingerprint };
    this.all.set(key, marked);
    if (this.used.has(key)) this.used.set(key, marked);
    this.counts.marked++;
  }

  /** Entries read or stored since the last sweep, in the order first used. */
  usedEntries(): ReadonlyMap<string, CachedChunk> {
    return new Map(this.used);
  }

  /** Forgets every entry not used since the last sweep (watch: after each read of its files). */
  sweep(): void {
    this.all = this.used;
    this.used = new Map();
  }
}
