import { statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { createHash } from 'node:crypto';
import { loadManifests } from '../manifest/index.js';
import type { ManifestSet } from '../manifest/types.js';
import { buildDesired } from '../desired/build.js';
import { ownerOf } from '../desired/owner.js';
import type { DesiredState } from '../model/desired.js';
import type { CtnetError } from '../model/errors.js';
import { conflictErrors } from './positions.js';
import { MemoryDocCache, type DocCache } from '../manifest/doc-cache.js';
import { readManifestCache, writeManifestCache } from '../state/manifest-cache.js';

export interface Loaded {
  readonly set: ManifestSet;
  readonly desired: DesiredState;
}

export type LoadResult =
  { readonly ok: true; readonly value: Loaded } | { readonly ok: false; readonly errors: readonly CtnetError[] };

const docsOf = (set: ManifestSet) => [...set.networks, ...set.containers, ...set.vms, ...set.hosts, ...set.nodes];

/**
 * Manifests → desired state, with every error at once: YAML, schema and rules (manifest stage),
 * contradictions found while building (a Host sysctl that fights a routed network's needs), and
 * paths that hold no manifest at all. An empty path would prune everything ctnet owns: refused
 * unless `allowEmpty`.
 */
export async function loadDesired(
  paths: readonly string[],
  opts: { partial?: boolean; allowEmpty?: boolean; cache?: DocCache; node?: string } = {},
): Promise<LoadResult> {
  const r = await loadManifests([...paths], { partial: opts.partial, cache: opts.cache, node: opts.node });
  if (!r.ok) return r;
  const set = r.value;
  const errors: CtnetError[] = [];
  if (!opts.allowEmpty) errors.push(...emptyPaths(paths, set));
  const desired = buildDesired(set);
  errors.push(...conflictErrors(set, desired.conflicts));
  return errors.length ? { ok: false, errors } : { ok: true, value: { set, desired } };
}

/**
 * `loadDesired` through the state dir's cache of parsed documents: an unchanged manifest is not
 * parsed again. The file is rewritten only when this run parsed something new, and then holds
 * only what this run used, so it follows the manifests instead of growing; never with `readOnly`.
 */
export async function loadDesiredCached(
  stateDir: string,
  paths: readonly string[],
  opts: { partial?: boolean; allowEmpty?: boolean; readOnly?: boolean; node?: string } = {},
): Promise<LoadResult> {
  const cache = new MemoryDocCache(readManifestCache(stateDir));
  const r = await loadDesired(paths, { partial: opts.partial, allowEmpty: opts.allowEmpty, cache, node: opts.node });
  if ((cache.stats.added || cache.stats.marked) && !opts.readOnly) writeManifestCache(stateDir, cache.usedEntries());
  return r;
}

function emptyPaths(paths: readonly string[], set: ManifestSet): CtnetError[] {
  const files = new Set((set.fleet?.docFiles ?? docsOf(set).map((m) => m.source.file)).map((f) => resolve(f)));
  return paths.flatMap((p) => {
    const root = resolve(p);
    const dir = (() => {
      try {
        return statSync(root).isDirectory();
      } catch {
        return false;
      }
    })();
    const used = [...files].some((f) => f === root || (dir && f.startsWith(root + sep)));
    return used
      ? []
      : [
          {
            code: 'invalid' as const,
            message: `"${p}" holds no manifests: applying an empty set would delete everything ctnet owns. Use \`ctnet destroy\` to remove everything, or --allow-empty if that is meant`,
          },
        ];
  });
}

export function digestOf(set: ManifestSet): string {
  const docs = docsOf(set).map((m) => ({ kind: m.kind, name: m.metadata.name, spec: m.spec }));
  return createHash('sha256').update(JSON.stringify(docs)).digest('hex').slice(0, 16);
}

/** `container/ct1`, `network/lan`, ...: the owners of the objects these manifests describe. */
export function ownersOf(set: ManifestSet): ReadonlySet<string> {
  return new Set(docsOf(set).map(ownerOf));
}
