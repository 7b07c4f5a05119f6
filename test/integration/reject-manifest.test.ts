import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, hostSnapshot, sh } from './sandbox.js';
import { container, doc, docs, routedNet } from '../fixtures.js';

/**
 * Invalid manifests spread over several files (issue 11): `validate` and `apply` list every
 * error, YAML, schema and semantic, each with file:line:col, exit 3, and the kernel is untouched.
 */
describe('rejected manifests: every error of every file, nothing changed', () => {
  const sb = new Sandbox();
  // a shell would run this; ctnet must only ever quote it back
  const canary = join(sb.dir, 'pwned');
  beforeAll(() => {
    sb.external('lan', 'enp0s5', '192.168.200.1/24', '192.168.200.254/24');
    sb.write('a-yaml.yaml', 'apiVersion: ctnet/v1\nkind: Network\nmetadata: {name: broken\nspec: {type: routed}\n');
    sb.write('b-schema.yaml', doc('Network', 'lan', '{type: bridge, mtu: 70000, colour: red}'));
    sb.write(
      'c-semantic.yaml',
      docs(
        routedNet('public', '192.168.200.0/24', ', uplink: enp0s5'),
        container('ct1', '{name: venet0, network: public, addresses: [192.168.201.11]}'),
      ),
    );
    sb.write('d-gateway.yaml', doc('Network', 'pub2', '{type: routed, gateway: 10.9.0.1}'));
    sb.write('e-subnet.yaml', doc('Network', 'pub3', '{type: routed, subnets: [10.0.0.7/24]}'));
    sb.write('f-zone.yaml', container('ct2', '{name: venet0, network: public, addresses: ["fe80::1%eth0"]}'));
    sb.write(
      'g-sysctl.yaml',
      doc(
        'Host',
        'default',
        `{sysctls: {"net.ipv4.conf.all.forwarding;id": "1", net.ipv4.ip_forward: "$(touch ${canary})"}}`,
      ),
    );
  });
  afterAll(() => {
    rmSync(canary, { force: true });
    sb.cleanup();
  });

  const mine = (): string[] =>
    sh('ip', 'netns', 'list')
      .split('\n')
      .map((l) => l.split(' ')[0])
      .filter((n) => n.startsWith(sb.prefix));

  const expectAllErrors = (stderr: string): void => {
    const lines = stderr.trim().split('\n');
    const expected: RegExp[] = [
      /a-yaml\.yaml:\d+:\d+: YAML: /,
      /b-schema\.yaml:4:\d+: spec\.mtu: must be <= 65535/,
      /b-schema\.yaml:4:\d+: spec\.colour: unknown field "colour"/,
      /c-semantic\.yaml:\d+:\d+: spec\.interfaces\[0\]\.addresses\[0\]: 192\.168\.201\.11 is outside the subnets of network "public"/,
      /d-gateway\.yaml:4:\d+: spec\.gateway: field "gateway" does not apply to a routed network/,
      /e-subnet\.yaml:4:\d+: spec\.subnets\[0\]: "10\.0\.0\.7\/24" has host bits set: did you mean 10\.0\.0\.0\/24\?/,
      /f-zone\.yaml:4:\d+: spec\.interfaces\[0\]\.addresses\[0\]: "fe80::1%eth0" has an IPv6 zone suffix/,
      /g-sysctl\.yaml:4:\d+: spec\.sysctls\["net\.ipv4\.conf\.all\.forwarding;id"\]: "net\.ipv4\.conf\.all\.forwarding;id" is not a valid sysctl key/,
      /g-sysctl\.yaml:4:\d+: spec\.sysctls\["net\.ipv4\.ip_forward"\]: "\$\(touch [^"]+\)" is not a valid sysctl value/,
    ];
    for (const re of expected)
      expect(
        lines.filter((l) => re.test(l)),
        String(re),
      ).toHaveLength(1);
    // every line names its place; none is a stray "unknown network" for the networks with errors
    expect(lines.every((l) => /\.yaml:\d+:\d+: /.test(l))).toBe(true);
    expect(stderr).not.toContain('unknown network');
    expect(existsSync(canary)).toBe(false);
  };

  it('validate: exit 3, every error listed with file:line:col', () => {
    const r = sb.ctnet('validate', sb.manifestDir);
    expect(r.code).toBe(3);
    expectAllErrors(r.stderr);
  });

  it('apply: exit 3, the same errors, no namespace created and the host as it was', () => {
    const before = hostSnapshot(sb.host);
    // the sandbox's own: the host and the external LAN behind the uplink
    const ours = [sb.host, sb.ns('lan')].sort();
    expect(mine().sort()).toEqual(ours);
    const r = sb.ctnet('apply', sb.manifestDir);
    expect(r.code).toBe(3);
    expectAllErrors(r.stderr);
    expect(mine().sort()).toEqual(ours);
    expect(hostSnapshot(sb.host)).toEqual(before);
    expect(sh('ip', 'netns', 'exec', sb.host, 'cat', '/proc/sys/net/ipv4/ip_forward').trim()).toBe('0');
  });
});
