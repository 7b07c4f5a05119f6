import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The parsed-manifest cache on disk, `<state-dir>/cache/manifests.json`: parsed document chunks by
 * key, so a run whose manifests have not changed does not parse their YAML again. It is only ever
 * a cache: anything wrong with the file reads as an empty cache, and a write that fails (a
 * read-only state dir, no permission) is dropped; either way the run is the same, only slower.
 * This stage knows nothing of manifests: the entries are opaque JSON with a `docs` list.
 */

/** Bumped when the file's layout changes; a file of another version is an empty cache. */
const VERSION = 1;

export interface StoredChunk {
  readonly docs: readonly unknown[];
  /** The fingerprint of the schema its documents passed, if they did. */
  readonly valid?: string;
}

const cacheFile = (stateDir: string): string => join(stateDir, 'cache', 'manifests.json');

const isChunk = (v: unknown): v is StoredChunk =>
  typeof v === 'object' &&
  v !== null &&
  Array.isArray((v as { docs?: unknown }).docs) &&
  ['undefined', 'string'].includes(typeof (v as { valid?: unknown }).valid);

/** The entries of the cache file; none when it is missing, unreadable, corrupt or of another version. */
export function readManifestCache(stateDir: string): ReadonlyMap<string, StoredChunk> {
  try {
    const j = JSON.parse(readFileSync(cacheFile(stateDir), 'utf8')) as { version?: unknown; entries?: unknown };
    if (j.version !== VERSION || typeof j.entries !== 'object' || j.entries === null || Array.isArray(j.entries))
      return new Map();
    const entries = Object.entries(j.entries as Record<string, unknown>);
    return entries.every(([, v]) => isChunk(v)) ? new Map(entries as [string, StoredChunk][]) : new Map();
  } catch {
    return new Map();
  }
}

/**
 * Replaces the cache file with `entries` (the ones this run used): written to a temporary file and
 * renamed, so a reader sees the old file or the new one, never half. No fsync: a cache lost in a
 * crash only costs a parse. Any failure is ignored.
 */
export function writeManifestCache(stateDir: string, entries: ReadonlyMap<string, StoredChunk>): void {
  const file = cacheFile(stateDir);
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    mkdirSync(join(stateDir, 'cache'), { recursive: true, mode: 0o700 });
    writeFileSync(tmp, JSON.stringify({ version: VERSION, entries: Object.fromEntries(entries) }), { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing was written, or nothing can be
    }
  }
}
