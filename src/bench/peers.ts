import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/**
 * The peers that are Debian packages (containernetworking-plugins: /usr/lib/cni; netavark:
 * /usr/lib/podman) are installed with `apt-get install -y` when missing. A failed install skips
 * that peer with a printed line; it never fails the bench.
 */
export const CNI_PATH = '/usr/lib/cni';
const NETAVARK_PATHS = [
  '/usr/lib/podman/netavark',
  '/usr/libexec/podman/netavark',
  '/usr/local/libexec/podman/netavark',
];

const executable = (p: string): boolean => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export const cniPresent = (): boolean => ['ptp', 'bridge', 'host-local'].every((p) => executable(join(CNI_PATH, p)));

export function netavarkPath(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v netavark'], { encoding: 'utf8' }).stdout.trim();
  return NETAVARK_PATHS.find(executable) ?? (onPath && executable(onPath) ? onPath : undefined);
}

/** The package manager's own words, the last lines of what it printed, indented under the peer's line. */
const tail = (r: SpawnSyncReturns<string>): string =>
  // a program that did not start has null output despite the type
  `${r.error?.message ?? ''}\n${(r.stdout as string | null) ?? ''}\n${(r.stderr as string | null) ?? ''}`
    .split('\n')
    .filter((l) => l.trim())
    .slice(-12)
    .map((l) => `    ${l}`)
    .join('\n');

/** Installs `pkg`; undefined when it worked, else what apt-get said. */
function aptInstall(pkg: string): string | undefined {
  console.log(`installing ${pkg} (apt-get install -y ${pkg})`);
  const opts = { encoding: 'utf8' as const, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  const first = spawnSync('apt-get', ['install', '-y', pkg], opts);
  if (first.status === 0) return undefined;
  // a fresh machine may have no package lists yet
  const update = spawnSync('apt-get', ['update'], opts);
  const again = spawnSync('apt-get', ['install', '-y', pkg], opts);
  if (again.status === 0) return undefined;
  const why = update.status === 0 ? '' : `apt-get update exited ${update.status ?? update.signal}:\n${tail(update)}\n`;
  return `${why}apt-get install -y ${pkg} exited ${again.status ?? again.signal}:\n${tail(again)}`;
}

/**
 * Which of `wanted` peers can run; installs what is missing. A peer that cannot run is in
 * `skipped` with the reason, the package manager's own error included, and that is printed.
 */
export function ensurePeers(wanted: readonly string[], skipped: Record<string, string>): Set<string> {
  const ok = new Set<string>();
  const need: [string, string, () => boolean][] = [
    ['cni', 'containernetworking-plugins', cniPresent],
    ['netavark', 'netavark', () => netavarkPath() !== undefined],
  ];
  for (const [peer, pkg, present] of need) {
    if (!wanted.includes(peer)) continue;
    if (present()) {
      ok.add(peer);
      continue;
    }
    const failed = aptInstall(pkg);
    if (failed === undefined && present()) ok.add(peer);
    else {
      skipped[peer] =
        `${pkg} is not installed: ${failed ?? 'apt-get install succeeded, but its programs are not where expected'}`;
      console.log(`${peer}: skipped, ${skipped[peer]}`);
    }
  }
  return ok;
}
