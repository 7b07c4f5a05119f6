import { spawn } from 'node:child_process';
import { pool } from '../driver/spawn.js';

/**
 * The iproute2 floor of issue 15: the same containers written by hand as one `ip -batch` for the
 * namespaces, one for the host, then one per container namespace, namespaces in parallel as far
 * as the cores allow. The objects are ctnet's (veth made with its peer in place, up and master in
 * the same `link add`, addresses, routes, proxy entries) without ctnet's marks, sysctls and nft.
 * Teardown deletes the proxy entries (they live on the uplink, which stays), the namespaces (their
 * veths and routes go with them) and the bridge.
 */
export type Mode = 'routed' | 'bridge';

const PARALLEL = 4;

const addrOf = (i: number): string => {
  const n = i + 2;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

function ipBatch(args: readonly string[], lines: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn('ip', [...args, '-batch', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d) => (err += d));
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ip ${args.join(' ')} -batch failed: ${err.slice(0, 500)}`))));
    c.stdin.end(lines.join('\n') + '\n');
  });
}

function hostLines(mode: Mode, ns: readonly string[]): string[] {
  if (mode === 'routed') {
    return ns.flatMap((n, i) => [
      `link add name ve-c${i} mtu 1500 up type veth peer name venet0 netns ${n} mtu 1500`,
      `address add 169.254.0.1/32 dev ve-c${i}`,
      `route add ${addrOf(i)}/32 dev ve-c${i} proto 241`,
      `neigh add proxy ${addrOf(i)} dev up0 protocol 241`,
    ]);
  }
  return [
    'link add name br-lan up type bridge',
    'link set dev up0 master br-lan',
    'address add 10.0.0.1/8 broadcast + dev br-lan',
    ...ns.map((n, i) => `link add name ve-c${i} mtu 1500 master br-lan up type veth peer name eth0 netns ${n} mtu 1500`),
  ];
}

function containerLines(mode: Mode, i: number): string[] {
  if (mode === 'routed') return ['link set dev lo up', 'link set dev venet0 up', `address add ${addrOf(i)}/32 dev venet0`, 'route add default via 169.254.0.1 dev venet0 onlink proto 241'];
  return ['link set dev lo up', 'link set dev eth0 up', `address add ${addrOf(i)}/8 broadcast + dev eth0`, 'route add default via 10.0.0.1 dev eth0 proto 241'];
}

/** Seconds to build N containers of `mode` in `host` (which has `up0`), with namespaces `${prefix}-fN`. */
export async function floorApply(host: string, prefix: string, n: number, mode: Mode): Promise<number> {
  const ns = Array.from({ length: n }, (_, i) => `${prefix}-f${i}`);
  const t0 = process.hrtime.bigint();
  await ipBatch([], ns.map((x) => `netns add ${x}`));
  await ipBatch(['-n', host], hostLines(mode, ns));
  await pool(ns, PARALLEL, (x) => ipBatch(['-n', x], containerLines(mode, ns.indexOf(x))));
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Seconds to tear them down again. */
export async function floorDestroy(host: string, prefix: string, n: number, mode: Mode): Promise<number> {
  const t0 = process.hrtime.bigint();
  if (mode === 'routed') await ipBatch(['-n', host], Array.from({ length: n }, (_, i) => `neigh del proxy ${addrOf(i)} dev up0`));
  await ipBatch([], Array.from({ length: n }, (_, i) => `netns del ${prefix}-f${i}`));
  if (mode === 'bridge') await ipBatch(['-n', host], ['link del dev br-lan']);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
