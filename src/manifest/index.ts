// Temporary loader (no schema, no positions) until the manifest stage lands.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ok, type Result } from '../model/errors.js';
import type { Manifest, ManifestSet } from './types.js';

function files(p: string): string[] {
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p).filter((n) => !n.startsWith('.')).sort().flatMap((n) => {
    const f = join(p, n);
    return statSync(f).isDirectory() ? files(f) : /\.ya?ml$/.test(n) ? [f] : [];
  });
}

export async function loadManifests(paths: string[]): Promise<Result<ManifestSet>> {
  const all = paths.flatMap(files);
  const docs: Manifest[] = [];
  for (const f of all) {
    for (const d of parseAllDocuments(readFileSync(f, 'utf8'))) {
      const j = (d as any).toJS();
      if (j) docs.push({ ...j, source: { file: f, at: () => ({ file: f, line: 1, column: 1 }) } });
    }
  }
  const by = (k: string) => docs.filter((d) => d.kind === k).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)) as any;
  return ok({ networks: by('Network'), containers: by('Container'), vms: by('VirtualMachine'), hosts: by('Host'), files: all });
}
