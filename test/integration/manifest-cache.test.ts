import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox } from './sandbox.js';

/**
 * The parse cache through the real CLI: `apply --dry-run` (a run that may write) fills it, a plan
 * then parses nothing and says the same; plan itself never writes it (it changes nothing on disk).
 */
const NETWORK = `apiVersion: ctnet/v1
kind: Network
metadata: {name: public}
spec: {type: routed, subnets: [192.168.210.0/24], uplink: enp0s5}
`;
const container = (n: number, addr = `192.168.210.${n}`): string => `---
apiVersion: ctnet/v1
kind: Container
metadata: {name: ct${n}}
spec:
  netns: "@ct${n}"
  interfaces:
    - {name: venet0, network: public, addresses: [${addr}]}
`;

describe('manifest parse cache (apply --dry-run writes it, plan reads it)', () => {
  const sb = new Sandbox();
  const cacheFile = join(sb.stateDir, 'cache', 'manifests.json');
  const entries = (): string[] => Object.keys(JSON.parse(readFileSync(cacheFile, 'utf8')).entries as object);
  const write = (second = container(102)): void =>
    void sb.write('cts.yaml', [container(101), second, container(103)].join(''));
  const parse = () => sb.ctnet('apply', '--dry-run', sb.manifestDir);

  beforeAll(() => {
    sb.external('lan', 'enp0s5', '192.168.210.1/24', '192.168.210.254/24');
    sb.write('net.yaml', NETWORK);
    write();
  });
  afterAll(() => sb.cleanup());

  it('keeps every document of the first run, and a plan uses them without writing anything', () => {
    const filled = parse();
    expect(filled.stderr).toBe('');
    expect(filled.code).toBe(0);
    // net.yaml, and cts.yaml's three documents
    expect(entries()).toHaveLength(4);
    const before = statSync(cacheFile).mtimeMs;
    const first = sb.ctnet('plan', sb.manifestDir);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('192.168.210.102');
    expect(sb.ctnet('plan', sb.manifestDir)).toEqual(first);
    // a run that parsed anything would have rewritten the file
    expect(statSync(cacheFile).mtimeMs).toBe(before);
  });

  it('parses an edited document again: the plan follows the edit, writing nothing; the file keeps what is used', () => {
    const old = entries();
    write(container(102, '192.168.210.112'));
    const r = sb.ctnet('plan', sb.manifestDir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('192.168.210.112');
    expect(r.stdout).not.toContain('192.168.210.102');
    expect(entries()).toEqual(old);
    expect(parse().code).toBe(0);
    const now = entries();
    expect(now).toHaveLength(4);
    expect(now.filter((k) => !old.includes(k))).toHaveLength(1);
  });

  it('reports the errors of cached documents at the same places', () => {
    write(container(102, '192.168.210.300'));
    const first = parse();
    expect(first.code).toBe(3);
    expect(first.stderr).toContain(
      'cts.yaml:16:51: spec.interfaces[0].addresses[0]: "192.168.210.300" is not an IP address',
    );
    const before = statSync(cacheFile).mtimeMs;
    expect(parse()).toEqual(first);
    expect(statSync(cacheFile).mtimeMs).toBe(before);
  });

  it('ignores a corrupt cache file, and replaces it', () => {
    sb.write('../state/cache/manifests.json', '{"version": 1, "entries": {"x": ');
    write();
    const r = parse();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('192.168.210.102');
    expect(entries()).toHaveLength(4);
  });
});
