import { fail, type CtnetError, type Result } from '../model/errors.js';
import { promised } from '../model/promised.js';
import { docIdentity, readManifestFiles } from './load.js';
import type { LoadedDoc } from './loaded-doc.js';
import { checkSchema, type SchemaCheck } from './schema.js';
import { schemaFingerprint } from './schema-options.js';
import type { DocCache } from './doc-cache.js';
import { errorList } from './error-list.js';
import { RULES } from './rules/index.js';
import type { HostSpec, Manifest, ManifestSet } from './types.js';
import { selectNode, sliceFor } from './fleet.js';

export interface LoadOptions {
  /** Cross-object rules off: `destroy PATH` names what to remove, not a complete world. */
  readonly partial?: boolean;
  /** Parsed documents to reuse, and to add to: only YAML parsing is skipped, every check still runs. */
  readonly cache?: DocCache;
  /** This host's node: with Node manifests, the set returned is its slice (all of it is validated). */
  readonly node?: string;
}

/**
 * load → schema → semantic rules; every error of every file at once, or the validated set.
 * The rules run on every document whose shape the schema accepted, even when others failed: a
 * user fixes the whole list in one go instead of one stage at a time.
 */
export function loadManifests(paths: readonly string[], opts: LoadOptions = {}): Promise<Result<ManifestSet>> {
  return promised(() => loadNow(paths, opts));
}

function loadNow(paths: readonly string[], opts: LoadOptions): Result<ManifestSet> {
  const read = readManifestFiles(paths, opts.cache);
  const errors: CtnetError[] = [...read.errors];
  const typed: LoadedDoc[] = [];
  // objects that exist in the files but that the rules cannot read: references to them are not "unknown"
  const rejected = new Set(read.broken);
  for (const { d, s } of schemaChecked(read.docs, opts.cache)) {
    errors.push(...s.errors);
    if (s.typed) typed.push(d);
    else rejected.add(docIdentity(d.data) ?? '');
  }
  const set = buildSet(typed.map(toManifest), read.files);
  // what one host holds alone (its namespaces, its interfaces) is checked on each host's slice,
  // cut once for every such rule
  const slices = set.nodes.length ? set.nodes.map((n) => sliceFor(set, n.metadata.name, [])) : [set];
  for (const rule of RULES) {
    if (opts.partial && rule.complete) continue;
    for (const s of rule.perNode ? slices : [set]) errors.push(...rule.check(s, { rejected }));
  }
  return errors.length ? fail(errorList(errors)) : selectNode(set, opts.node);
}

/**
 * Each document's schema check. A document from a cached chunk that already passed this schema is
 * not checked again (the check is a function of the data alone); a chunk whose documents all pass
 * now is marked so in the cache.
 */
function schemaChecked(docs: readonly LoadedDoc[], cache?: DocCache): { d: LoadedDoc; s: SchemaCheck }[] {
  const fp = cache ? schemaFingerprint() : undefined;
  const passed = new Map<string, boolean>();
  const out = docs.map((d) => {
    if (fp !== undefined && d.chunk?.valid === fp) return { d, s: { errors: [], typed: true } };
    const s = checkSchema(d);
    if (d.chunk) passed.set(d.chunk.key, (passed.get(d.chunk.key) ?? true) && !s.errors.length);
    return { d, s };
  });
  for (const [key, ok] of passed) if (ok && fp !== undefined) cache?.markValid(key, fp);
  return out;
}

/**
 * The semantic rules alone, on a set changed in memory (`ctnet set`'s addresses): the same checks
 * a set read from files gets, so an edit is never held to a lower standard.
 */
export function checkRules(set: ManifestSet): CtnetError[] {
  return RULES.flatMap((rule) => rule.check(set, { rejected: new Set() }));
}

/** The model promises text: YAML integers and booleans (`1`, `true`) become what the kernel reads. */
const sysctlText = (v: unknown): string => (v === true ? '1' : v === false ? '0' : String(v));

function toManifest(d: LoadedDoc): Manifest {
  const m = { ...(d.data as Manifest), source: d.source };
  if (m.kind !== 'Container' && m.kind !== 'Host') return m;
  const sysctls = (m.spec as HostSpec).sysctls;
  if (!sysctls) return m;
  const text = Object.fromEntries(Object.entries(sysctls).map(([k, v]) => [k, sysctlText(v)]));
  return { ...m, spec: { ...m.spec, sysctls: text } };
}

const byName = (a: Manifest, b: Manifest): number =>
  a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;

/** Sorted by name, except Host documents: they merge, in file order (ManifestSet.hosts). */
function buildSet(manifests: readonly Manifest[], files: readonly string[]): ManifestSet {
  const of = <K extends Manifest['kind']>(kind: K) =>
    manifests.filter((m): m is Extract<Manifest, { kind: K }> => m.kind === kind).sort(byName);
  return {
    networks: of('Network'),
    containers: of('Container'),
    vms: of('VirtualMachine'),
    hosts: manifests.filter((m) => m.kind === 'Host'),
    nodes: of('Node'),
    files,
  };
}
