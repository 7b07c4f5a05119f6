import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, expectExit, ipj, ping, sh } from './sandbox.js';

/** `ctnet import ...` written as it is to a file in the sandbox; no warnings expected on stderr. */
function imported(sb: Sandbox, file: string, ...args: string[]): { file: string; text: string } {
  const r = expectExit(sb.ctnet('import', ...args), 0);
  expect(r.stderr).toBe('');
  writeFileSync(join(sb.manifestDir, file), r.stdout);
  return { file: join(sb.manifestDir, file), text: r.stdout };
}

describe('ctnet import openvz: a vzctl config applied in a sandbox', () => {
  const sb = new Sandbox();
  afterAll(() => sb.cleanup());

  it('venet addresses, a bridged veth, one without a bridge and a NETDEV, applied; the venet address answers', () => {
    // a NIC to pass through, in the namespace playing the host
    sh('ip', '-n', sb.host, 'link', 'add', 'nic7', 'type', 'veth', 'peer', 'name', 'nic7p');
    const conf = join(sb.dir, '500.conf');
    writeFileSync(
      conf,
      [
        `NAME="${sb.ns('web')}"`,
        'HOSTNAME="web.example.net"',
        'IP_ADDRESS="10.61.0.5 10.61.0.6/24"',
        // two entries on one line; the second names no bridge
        'NETIF="ifname=eth1,bridge=vmbr7,mac=02:00:0a:3d:00:05,host_ifname=veth500.1;' +
          'ifname=eth2,mac=02:00:0a:3d:00:06"',
        'NETDEV="nic7"',
        '',
      ].join('\n'),
    );
    const { file } = imported(sb, 'web.yaml', 'openvz', conf);
    expectExit(sb.ctnet('validate', file), 0);
    expectExit(sb.ctnet('apply', file), 0);
    const ct = sb.ns('web');
    expect(ping(sb.host, '10.61.0.5')).toBe(true);
    expect(ping(ct, '10.61.0.6')).toBe(true);
    const links = new Map(ipj(ct, 'link', 'show').map((l) => [l.ifname as string, l]));
    expect([...links.keys()].sort()).toEqual(['eth1', 'eth2', 'lo', 'nic7', 'venet0']);
    expect(links.get('eth1').address).toBe('02:00:0a:3d:00:05');
    // eth1's host end is a port of vmbr7; eth2's of a bridge of its own
    const hostEnds = ipj(sb.host, 'link', 'show', 'type', 'veth').filter((l) => l.master);
    expect(hostEnds.map((l) => l.master).sort()).toEqual(expect.arrayContaining(['vmbr7']));
    expect(new Set(hostEnds.map((l) => l.master)).size).toBe(2);
    expect(expectExit(sb.ctnet('plan', '--detailed-exitcode', file), 0).stdout).toContain('No changes.');
  });
});

describe('ctnet import kernel: a host built by hand, adopted', () => {
  const sb = new Sandbox();
  afterAll(() => sb.cleanup());
  const [a, b] = [sb.ns('a'), sb.ns('b')];

  /** A bridge with an address, two namespaces on it by veths, addresses and default routes: by hand. */
  function buildByHand(): void {
    const ip = (...args: string[]) => sh('ip', ...args);
    ip('-n', sb.host, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', sb.host, 'link', 'set', 'br0', 'up');
    ip('-n', sb.host, 'addr', 'add', '10.62.0.1/24', 'dev', 'br0');
    [a, b].forEach((ns, i) => {
      ip('netns', 'add', ns);
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', sb.host, 'link', 'add', `hv${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      ip('-n', sb.host, 'link', 'set', `hv${i}`, 'master', 'br0', 'up');
      ip('-n', ns, 'link', 'set', 'eth0', 'up');
      ip('-n', ns, 'addr', 'add', `10.62.0.${11 + i}/24`, 'dev', 'eth0');
      ip('-n', ns, 'route', 'add', 'default', 'via', '10.62.0.1');
    });
    ip('-n', a, 'route', 'add', '10.63.0.0/16', 'via', '10.62.0.254');
  }

  it('describes it; apply --adopt takes it over, then the plan is empty and the pings still work', () => {
    buildByHand();
    expect(ping(a, '10.62.0.12')).toBe(true);
    const { file, text } = imported(sb, 'host.yaml', 'kernel', '--netns', a, '--netns', b);
    // the namespaces as they are named, sandbox prefix and all
    expect(text).toContain(`netns: ${a}\n`);
    expect(text).toContain(`netns: ${b}\n`);
    expectExit(sb.ctnet('validate', file), 0);
    expectExit(sb.ctnet('apply', '--adopt', file), 0);
    expect(expectExit(sb.ctnet('plan', '--detailed-exitcode', file), 0).stdout).toContain('No changes.');
    expect(ping(a, '10.62.0.12')).toBe(true);
    expect(ping(b, '10.62.0.1')).toBe(true);
    expect(ipj(a, 'route', 'show', '10.63.0.0/16')[0]).toMatchObject({ gateway: '10.62.0.254', dev: 'eth0' });
    // the hand-made host ends went with their pairs; ctnet's are br0's ports now
    const ports = ipj(sb.host, 'link', 'show', 'master', 'br0').map((l) => l.ifname as string);
    expect(ports).toHaveLength(2);
    expect(ports).not.toContain('hv0');
  });
});
