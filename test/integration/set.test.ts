import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Sandbox, expectExit, ipj, ping, sh } from './sandbox.js';

/** `ctnet set`: vzctl's --ipadd/--ipdel (seed openvz-venet), saved to the manifest or a runtime override. */
const NETWORK = `apiVersion: ctnet/v1
kind: Network
metadata: {name: public}
spec: {type: routed, subnets: [192.168.200.0/24], uplink: enp0s5}
`;
// comments, a blank line, a quoted value and a flow map: all must survive the edit
const CONTAINERS = `# web containers
apiVersion: ctnet/v1
kind: Container
metadata: {name: ct1} # the first

spec:
  netns: "@ct1"
  interfaces:
    - name: venet0 # venet
      network: public
      addresses:
        - 192.168.200.11 # main
---
apiVersion: ctnet/v1
kind: Container
metadata: {name: ct2}
spec:
  netns: "@ct2"
  interfaces:
    - {name: venet0, network: public, addresses: [192.168.200.12]}
`;
const X = '192.168.200.50';
const Y = '192.168.200.60';

describe('ctnet set (vzctl --ipadd / --ipdel)', () => {
  const sb = new Sandbox();
  let ext = '';
  let file = '';
  let original = '';
  const addrs = (ct: string): string[] =>
    ipj(sb.ns(ct), 'addr', 'show', 'dev', 'venet0')[0]
      .addr_info.filter((a: any) => a.family === 'inet')
      .map((a: any) => a.local)
      .sort();

  beforeAll(() => {
    ext = sb.external('lan', 'enp0s5', '192.168.200.1/24', '192.168.200.254/24');
    sb.write('net.yaml', NETWORK);
    file = sb.write('cts.yaml', CONTAINERS);
    original = readFileSync(file, 'utf8');
    expectExit(sb.ctnet('apply', '-q', sb.manifestDir), 0);
  });
  afterAll(() => sb.cleanup());

  it('--ipadd --save edits only the address list of the file and applies', () => {
    expectExit(sb.ctnet('set', 'ct1', '--ipadd', X, '--save'), 0);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(
      original.replace('        - 192.168.200.11 # main\n', `        - 192.168.200.11 # main\n        - ${X}\n`),
    );
    expect(ping(ext, X)).toBe(true);
    expect(addrs('ct1')).toEqual(['192.168.200.11', X]);
  });

  it('--ipdel --save takes it out again, byte for byte', () => {
    expectExit(sb.ctnet('set', 'ct1', '--ipdel', X, '--save'), 0);
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(addrs('ct1')).toEqual(['192.168.200.11']);
  });

  it('without --save: a runtime override, shown by plan and status, the file untouched', () => {
    const r = expectExit(sb.ctnet('set', 'ct1', '--ipadd', Y), 0);
    expect(r.stdout).toContain('(runtime override: ctnet set ct1)');
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(ping(ext, Y)).toBe(true);
    // nothing to do (exit 0 with --detailed-exitcode), and the override is said
    const p = expectExit(sb.ctnet('plan', '--detailed-exitcode', sb.manifestDir), 0);
    expect(p.stdout).toBe(
      'No changes. The kernel matches the manifests.\n' +
        'Runtime overrides (ctnet set without --save; kept until `ctnet set CT --reset` or the namespace is recreated):\n' +
        `  container/ct1 venet0 (netns ${sb.ns('ct1')}): +${Y}\n`,
    );
    const s = JSON.parse(expectExit(sb.ctnet('status', '--json'), 0).stdout);
    expect(s.overrides).toEqual([{ container: 'ct1', netns: sb.ns('ct1'), interface: 'venet0', add: [Y], del: [] }]);
    expect(s.drift).toEqual([]);
  });

  it('--reset drops the override and its address', () => {
    expectExit(sb.ctnet('set', 'ct1', '--reset'), 0);
    expect(addrs('ct1')).toEqual(['192.168.200.11']);
  });

  it('an override ends when its namespace is recreated, as an unsaved vzctl --ipadd ends with a restart', () => {
    expectExit(sb.ctnet('set', 'ct1', '--ipadd', Y), 0);
    expect(addrs('ct1')).toEqual(['192.168.200.11', Y]);
    sh('ip', 'netns', 'del', sb.ns('ct1'));
    const r = expectExit(sb.ctnet('apply', sb.manifestDir), 0);
    expect(r.stderr).toContain('runtime override of container ct1 (ctnet set) dropped');
    expect(addrs('ct1')).toEqual(['192.168.200.11']);
    expect(r.stdout).not.toContain('Runtime overrides');
  });

  it('rejects, with the reason and nothing changed, an address outside the subnet or in use', () => {
    const outside = expectExit(sb.ctnet('set', 'ct1', '--ipadd', '10.9.9.9', '--save'), 3);
    expect(outside.stderr).toContain('10.9.9.9 is outside the subnets of network "public"');
    expect(expectExit(sb.ctnet('set', 'ct1', '--ipadd', '192.168.200.12'), 3).stderr).toContain(
      'duplicate address 192.168.200.12',
    );
    expect(expectExit(sb.ctnet('set', 'ct1', '--ipadd', '192.168.200.1'), 3).stderr).toContain(
      '192.168.200.1 (added to container ct1, interface venet0) is in use on the host (enp0s5)',
    );
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(addrs('ct1')).toEqual(['192.168.200.11']);
  });

  it('--ipdel all removes every address; --ipdel all --save empties the list in the file', () => {
    expectExit(sb.ctnet('set', 'ct2', '--ipdel', 'all'), 0);
    expect(addrs('ct2')).toEqual([]);
    // saved over the override: the file says X, and the override has nothing left to say
    expectExit(sb.ctnet('set', 'ct2', '--ipdel', 'all', '--ipadd', X, '--save'), 0);
    expect(readFileSync(file, 'utf8')).toBe(original.replace('addresses: [192.168.200.12]}', `addresses: [${X}]}`));
    expect(addrs('ct2')).toEqual([X]);
    expect(ping(ext, X)).toBe(true);
    expect(JSON.parse(sb.ctnet('status', '--json').stdout).overrides).toEqual([]);
  });
});
