import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './spawn.js';

const ROOT = '/proc/sys/';

/** `/proc/sys/net/ipv4/conf/eth0.100/forwarding` → `net.ipv4.conf.eth0.100.forwarding`. */
const keyOfPath = (path: string): string => path.slice(ROOT.length).replace(/\//g, '.');

/** Throws for a directory outside `[a-z0-9_/]` or with `..` (as `readSysctlTree` does). */
export function checkSysctlDirs(dirs: readonly string[]): void {
  if (dirs.some((d) => !/^[a-z0-9_/]+$/.test(d) || d.includes('..')))
    throw new Error(`invalid sysctl directory in ${dirs.join(', ')}`);
}

/**
 * Every value under some `/proc/sys` directories (`net`, `net/ipv4/conf`), optionally only the
 * files named `leaves`: one `grep -r` in a named namespace, in-process for the real host. Files
 * that cannot be read (write-only ones such as `route/flush`) are skipped.
 */
export async function readSysctlTree(
  netns: string | null,
  dirs: readonly string[],
  leaves?: readonly string[],
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (dirs.length === 0) return out;
  checkSysctlDirs(dirs);
  if (netns === null) {
    for (const d of dirs) await walk(join(ROOT, d), leaves, out);
    return out;
  }
  const include = (leaves ?? []).flatMap((l) => ['--include', l]);
  const res = await run('ip', [
    'netns',
    'exec',
    netns,
    'grep',
    '-rsH',
    '',
    ...include,
    ...dirs.map((d) => join(ROOT, d)),
  ]);
  for (const line of res.stdout.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[keyOfPath(line.slice(0, i))] = line.slice(i + 1).trim();
  }
  return out;
}

async function walk(dir: string, leaves: readonly string[] | undefined, out: Record<string, string>): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, leaves, out);
    else if (!leaves || leaves.includes(e.name)) {
      const v = await readFile(p, 'utf8').catch(() => undefined);
      if (v !== undefined) out[keyOfPath(p)] = v.trim();
    }
  }
}
