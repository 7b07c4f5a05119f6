import { fail, ok, type CtnetError, type Result } from '../model/errors.js';
import { readManifestFiles, type LoadedDoc } from './load.js';
import { schemaErrors } from './schema.js';
import { RULES } from './rules/index.js';
import type { HostSpec, Manifest, ManifestSet } from './types.js';

export interface LoadOptions {
  /** Cross-object rules off: `destroy PATH` names what to remove, not a complete world. */
  readonly partial?: boolean;
}

/** load → schema → semantic rules; every error of every file at once, or the validated set. */
export async function loadManifests(paths: readonly string[], opts: LoadOptions = {}): Promise<Result<ManifestSet>> {
  const read = readManifestFiles(paths);
  const errors: CtnetError[] = [...read.errors];
  for (const d of read.docs) errors.push(...schemaErrors(d));
  // rules read typed fields: they run only on documents the schema accepted
  if (errors.length) return fail(sortErrors(errors));
  const set = buildSet(read.docs.map(toManifest), read.files);
  for (const rule of RULES) {
    if (opts.partial && rule.complete) continue;
    errors.push(...rule.check(set));
  }
  return errors.length ? fail(sortErrors(errors)) : ok(set);
}

function toManifest(d: LoadedDoc): Manifest {
  const m = { ...(d.data as Manifest), source: d.source };
  if (m.kind !== 'Container' && m.kind !== 'Host') return m;
  // the schema accepts integer sysctl values for convenience; the model promises strings
  const sysctls = (m.spec as HostSpec).sysctls;
  if (!sysctls) return m;
  const text = Object.fromEntries(Object.entries(sysctls).map(([k, v]) => [k, String(v)]));
  return { ...m, spec: { ...m.spec, sysctls: text } } as Manifest;
}

const byName = (a: Manifest, b: Manifest): number => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);

/** Sorted by name, except Host documents: they merge, in file order (ManifestSet.hosts). */
function buildSet(manifests: readonly Manifest[], files: readonly string[]): ManifestSet {
  const of = <K extends Manifest['kind']>(kind: K) =>
    manifests.filter((m): m is Extract<Manifest, { kind: K }> => m.kind === kind).sort(byName);
  return { networks: of('Network'), containers: of('Container'), vms: of('VirtualMachine'), hosts: manifests.filter((m) => m.kind === 'Host'), files };
}

/** In reading order: file, line, column; errors without a place (unreadable paths) first. */
function sortErrors(errors: readonly CtnetError[]): CtnetError[] {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...errors].sort((a, b) => cmp(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
