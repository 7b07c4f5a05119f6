import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDemoHost, demoPrefix, lansOf, removeMade, takenNames } from './host.js';

/**
 * `npm run demo`: the seed scenarios of manifests/ (routed containers with IPv6, bridged ones
 * with their own routes and sysctls, a passed-through NIC, a routed and a bridged VM's taps, a
 * container behind NAT, Kleene's loopback and custom networks with ipnet containers, a disabled
 * and a host container) applied inside a sandbox namespace that plays the host, with a "computer
 * X" namespace on each uplink LAN. Never touches the real host; removes everything it made, on
 * failure too, and nothing else: its namespaces carry a prefix of this run's own, it refuses to
 * start when one of its names is taken, and it deletes only the namespaces it created.
 * `CTNET_DEMO_PREFIX` sets the prefix (tests).
 */
const ROOT = resolve(import.meta.dirname, '../..');
const PREFIX = process.env.CTNET_DEMO_PREFIX || demoPrefix();
const HOST = `${PREFIX}host`;
const LANS = lansOf(PREFIX);
const [LAN, DMZ, NIC] = LANS.map((l) => l.ns);

function ctnet(stateDir: string, ...args: string[]): number {
  const r = spawnSync('node', [join(ROOT, 'bin/ctnet.js'), '--host-netns', HOST, '--state-dir', stateDir, ...args], {
    stdio: 'inherit',
  });
  return r.status ?? 1;
}

function ping(ns: string, addr: string): string {
  const ok = spawnSync('ip', ['netns', 'exec', ns, 'ping', '-c', '1', '-W', '2', addr]).status === 0;
  return `  ${ns.padEnd(24)} → ${addr.padEnd(16)} ${ok ? 'ok' : 'FAILED'}`;
}

function main(): number {
  if (!/^[A-Za-z0-9_.-]+$/.test(PREFIX)) {
    console.error(`demo: CTNET_DEMO_PREFIX "${PREFIX}" is not a plain namespace name prefix`);
    return 2;
  }
  const taken = takenNames([HOST, LAN, DMZ, NIC]);
  if (taken.length) {
    const names = taken.join(', ');
    console.error(`demo: namespace ${names} already exists: not this demo's to use or remove; nothing changed`);
    return 1;
  }
  const stateDir = mkdtempSync(join(tmpdir(), 'ctnet-demo-'));
  const manifests = join(ROOT, 'manifests');
  const made: string[] = [];
  try {
    buildDemoHost(HOST, LANS, made);
    console.log(`== ctnet apply ${manifests} (host played by netns ${HOST})\n`);
    if (ctnet(stateDir, 'apply', manifests) !== 0) return 1;
    console.log('\n== reachability');
    const checks = [
      ping(LAN, '192.168.200.101'),
      ping(LAN, '192.168.200.102'),
      ping(LAN, '192.168.200.103'),
      ping('ct101', '192.168.200.102'),
      ping('ct201', '10.30.0.12'),
      ping('ct202', '10.30.0.1'),
      ping(DMZ, '10.40.0.11'),
      ping(LAN, '2001:db8:1::103'),
      ping(NIC, '10.1.1.5'),
      // the LAN has no route back to 10.50.0.0/24: only masquerade brings the answer home
      ping('ct401', '192.168.200.254'),
      // Kleene: ipnet addresses on the loopback and the custom network, the disabled container's lo
      ping(LAN, '10.9.0.2'),
      ping(LAN, '192.168.200.60'),
      ping('quiet', '127.0.0.1'),
    ];
    console.log(checks.join('\n'));
    // no hypervisor has them open: NO-CARRIER, yet up, waiting for one
    console.log('\n== VM taps, ready for a hypervisor to open by name\n');
    spawnSync('ip', ['-n', HOST, '-br', 'link', 'show', 'type', 'tun'], { stdio: 'inherit' });
    console.log('\n== ctnet plan (after apply: nothing to do)\n');
    ctnet(stateDir, 'plan', manifests);
    console.log('== ctnet destroy\n');
    ctnet(stateDir, '-q', 'destroy');
    return checks.some((c) => c.endsWith('FAILED')) ? 1 : 0;
  } finally {
    // ctnet runs only against the host namespace this run made
    if (made.includes(HOST)) {
      spawnSync('node', [join(ROOT, 'bin/ctnet.js'), '--host-netns', HOST, '--state-dir', stateDir, '-q', 'destroy']);
    }
    removeMade(made);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

process.exitCode = main();
