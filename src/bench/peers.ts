import { spawnSync } from 'node:child_process';
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

function aptInstall(pkg: string): boolean {
  console.log(`installing ${pkg} (apt-get install -y ${pkg})`);
  const opts = { stdio: 'ignore' as const, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  if (spawnSync('apt-get', ['install', '-y', pkg], opts).status === 0) return true;
  // a fresh machine may have no package lists yet
  spawnSync('apt-get', ['update'], opts);
  return spawnSync('apt-get', ['install', '-y', pkg], opts).status === 0;
}

/** Which of `wanted` peers can run; installs what is missing, prints why a peer is skipped. */
export function ensurePeers(wanted: readonly string[]): Set<string> {
  const ok = new Set<string>();
  const need: [string, string, () => boolean][] = [
    ['cni', 'containernetworking-plugins', cniPresent],
    ['netavark', 'netavark', () => netavarkPath() !== undefined],
  ];
  for (const [peer, pkg, present] of need) {
    if (!wanted.includes(peer)) continue;
    if (present() || (aptInstall(pkg) && present())) ok.add(peer);
    else console.log(`${peer}: skipped, ${pkg} is not installed and apt-get install -y ${pkg} failed`);
  }
  return ok;
}
