import type { Result } from '../model/errors.js';
import type { ImportResult } from '../import/doc.js';
import { emitYaml } from '../import/emit.js';
import { json, jsonError, printErrors, printNotices, type GlobalOpts } from './output.js';
import { exitCodeFor } from '../model/errors.js';

/**
 * Prints an import: the manifests as YAML on stdout (with --json, one document holding them and
 * the warnings), the warnings on stderr. Warnings do not fail it: what they name is left out.
 */
function printImport(g: GlobalOpts, r: Result<ImportResult>): number {
  if (!r.ok) {
    if (g.json) json({ manifests: null, warnings: [], errors: r.errors.map(jsonError) });
    else printErrors(r.errors);
    return exitCodeFor(r.errors);
  }
  const { docs, warnings } = r.value;
  if (g.json) {
    const manifests = docs.map((d) => ({
      apiVersion: 'ctnet/v1',
      kind: d.kind,
      metadata: { name: d.name, ...(d.labels ? { labels: d.labels } : {}) },
      spec: d.spec,
    }));
    json({ manifests, warnings, errors: [] });
    return 0;
  }
  printNotices(warnings);
  process.stdout.write(emitYaml(r.value));
  return 0;
}

export async function cmdImportOpenvz(g: GlobalOpts, path: string): Promise<number> {
  const { importOpenvz } = await import('../import/openvz.js');
  return printImport(g, importOpenvz(path));
}

export async function cmdImportKernel(g: GlobalOpts, opts: { netns?: string[] }): Promise<number> {
  const { importKernel } = await import('../import/kernel.js');
  return printImport(g, await importKernel(g, opts.netns ?? []));
}
