import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifests } from '../../../src/manifest/index.js';
import { formatError } from '../../../src/model/errors.js';

const root = mkdtempSync(join(tmpdir(), 'ctnet-unit-'));
let n = 0;
function dir(files: Record<string, string>): string {
  const d = join(root, String(n++));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(d, f, '..'), { recursive: true });
    writeFileSync(join(d, f), text);
  }
  return d;
}
async function errors(files: Record<string, string>): Promise<string[]> {
  const d = dir(files);
  const r = await loadManifests([d]);
  return r.ok ? [] : r.errors.map((e) => formatError(e).replace(d + '/', ''));
}

const NET = `apiVersion: ctnet/v1
kind: Network
metadata: {name: pub}
spec: {type: routed, subnets: [192.168.200.0/24], uplink: eth9}
`;
const ct = (name: string, ifs: string, extra = ''): string => `---
apiVersion: ctnet/v1
kind: Container
metadata: {name: ${name}}
spec:
${extra}  interfaces:
${ifs}`;

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('loading', () => {
  it('reads multi-document files and directories recursively, skipping hidden ones', async () => {
    const d = dir({ 'a.yaml': NET + ct('c1', '    - {name: venet0, network: pub, addresses: [192.168.200.1]}\n'), 'sub/b.yml': ct('c2', '    []\n'), '.hidden/x.yaml': 'garbage: [', 'sub/.y.yaml': 'nope', 'notes.txt': 'x' });
    const r = await loadManifests([d]);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.containers.map((c) => c.metadata.name)).toEqual(['c1', 'c2']);
      expect(r.value.files.map((f) => f.replace(d + '/', ''))).toEqual(['a.yaml', 'sub/b.yml']);
    }
  });

  it('names file, line, column and field of a bad address nested in a list', async () => {
    expect(await errors({ 'ct.yaml': NET + ct('c1', '    - name: venet0\n      network: pub\n      addresses:\n        - 192.168.200.5\n        - 10.0.0.300\n') })).toEqual([
      'ct.yaml:15:11: spec.interfaces[0].addresses[1]: "10.0.0.300" is not an IP address',
    ]);
  });

  it('reports YAML syntax errors with their position', async () => {
    const e = await errors({ 'bad.yaml': 'apiVersion: ctnet/v1\nkind: [Network\n' });
    expect(e[0]).toMatch(/^bad\.yaml:\d+:\d+: YAML: /);
  });

  it('rejects unknown fields, bad enums and bad names, all at once and across files', async () => {
    const e = await errors({
      'a.yaml': 'apiVersion: ctnet/v1\nkind: Network\nmetadata: {name: Pub}\nspec: {type: routd, colour: red}\n',
      'b.yaml': ct('c1', '    - {name: this-name-is-too-long0, network: pub, mtu: 10}\n'),
    });
    expect(e).toEqual([
      'a.yaml:3:18: metadata.name: invalid: Lower-case letters, digits and dashes, at most 63 characters.',
      'a.yaml:4:14: spec.type: must be one of "routed", "bridge", "loopback", "custom"',
      'a.yaml:4:29: spec.colour: unknown field "colour"',
      'b.yaml:7:14: spec.interfaces[0].name: invalid: A Linux interface name: 1-15 of [A-Za-z0-9_.-].',
      'b.yaml:7:57: spec.interfaces[0].mtu: must be >= 68',
    ]);
  });
});
