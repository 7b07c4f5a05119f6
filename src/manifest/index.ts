import { fail, ok, type CtnetError, type Result } from '../model/errors.js';
import { manifestFiles, readDocs, type RawDoc } from './load.js';
import { schemaErrors } from './schema.js';
import { RULES } from './rules/index.js';
import type { Manifest, ManifestSet } from './types.js';

export interface LoadOptions {
  /** Cross-object rules off: `destroy PATH` names what to remove, not a complete world. */
  readonly partial?: boolean;
}

/** load → schema → semantic rules; every error of every file at once, or the validated set. */
export async function loadManifests(paths: readonly string[], opts: LoadOptions = {}): Promise<Result<ManifestSet>> {
  const errors: CtnetError[] = [];
  const files = [...new Set(paths.flatMap((p) => manifestFiles(p, errors)))];
  const docs: RawDoc[] = files.flatMap((f) => readDocs(f, errors));
  for (const d of docs) errors.push(...schemaErrors(d));
  if (errors.length) return fail(sortErrors(errors));
  const manifests = docs.map((d) => ({ ...(d.data as object), source: d.source }) as Manifest);
  const byName = <K extends Manifest['kind']>(kind: K) =>
    manifests.filter((m): m is Extract<Manifest, { kind: K }> => m.kind === kind).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  const set: ManifestSet = { networks: byName('Network'), containers: byName('Container'), vms: byName('VirtualMachine'), hosts: byName('Host'), files };
  for (const rule of RULES) {
    if (opts.partial && rule.name === 'references') continue;
    errors.push(...rule.check(set));
  }
  return errors.length ? fail(sortErrors(errors)) : ok(set);
}

/** In reading order: file, line, column; stable for errors at the same place. */
function sortErrors(errors: readonly CtnetError[]): CtnetError[] {
  return [...errors].sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
