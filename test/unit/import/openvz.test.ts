import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importOpenvz } from '../../../src/import/openvz.js';
import { emitYaml } from '../../../src/import/emit.js';
import { validate } from '../../../src/engine/inspect.js';
import { expectGolden } from './golden-file.js';

const DIR = 'test/unit/fixtures/openvz';

/** Imports, and validates the YAML printed as `ctnet validate` does. */
async function imported(path: string) {
  const r = importOpenvz(path);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  const yaml = emitYaml(r.value);
  const tmp = mkdtempSync(join(tmpdir(), 'ctnet-import-'));
  try {
    writeFileSync(join(tmp, 'imported.yaml'), yaml);
    return { ...r.value, yaml, valid: await validate([join(tmp, 'imported.yaml')]) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

describe('ctnet import openvz', () => {
  it('turns a directory of vzctl configs into valid manifests (golden YAML)', async () => {
    const r = await imported(DIR);
    expectGolden(r.yaml, 'test/unit/fixtures/openvz.expected.yaml');
    expect(r.valid.errors).toEqual([]);
    expect(r.valid.objects).toBe(9);
    expect(r.docs.map((d) => `${d.kind}/${d.name}`)).toEqual([
      'Network/venet',
      'Network/vmbr0',
      'Network/vmbr1',
      'Network/server-eth0',
      'Container/lists',
      'Container/server',
      'Container/ct103',
      'Container/ct201',
      'Container/ct202',
    ]);
  });

  it('skips malformed lines and entries with a warning naming the file and line, in line order', async () => {
    const r = await imported(DIR);
    expect(r.warnings).toEqual([
      `${DIR}/103.conf:10: IP_ADDRESS: 0.0.0.0 is no address (vzctl's placeholder): skipped`,
      `${DIR}/202.conf:9: NETIF entry "mac=00:18:51:96:D4:8E" has no ifname=: entry skipped`,
      `${DIR}/202.conf:9: NETIF entry "ifname=eth2,mac=01:00:5E:00:00:01,mac_filter=on": ` +
        'mac "01:00:5E:00:00:01" is not a unicast MAC: ignored',
      `${DIR}/202.conf:9: NETIF entry "ifname=eth3,mtu": "mtu" is not key=value: entry skipped`,
      `${DIR}/202.conf:10: DESCRIPTION: text after the value (quote a value that holds spaces): skipped`,
      `${DIR}/202.conf:11: not a KEY="value" line: skipped`,
      `${DIR}/202.conf:12: NAMESERVER: the double quote opened here is never closed: skipped`,
    ]);
  });

  it('reads two NETIF entries of one line as two veths, each on the network of its bridge', async () => {
    const r = await imported(`${DIR}/201.conf`);
    const ct = r.docs.find((d) => d.kind === 'Container')!;
    expect(ct.spec.interfaces).toEqual([
      { name: 'eth0', network: 'vmbr0', mac: '36:2c:84:1a:5b:01', addresses: [] },
      { name: 'eth1', network: 'vmbr1', mac: '36:2c:84:1a:5b:03', addresses: [] },
    ]);
    expect(r.docs.filter((d) => d.kind === 'Network').map((d) => d.spec)).toEqual([
      { type: 'bridge', bridge: 'vmbr0' },
      { type: 'bridge', bridge: 'vmbr1' },
    ]);
  });

  it('gives a veth without a bridge a host-only bridge of its own, and says why', async () => {
    const r = await imported(`${DIR}/102.conf`);
    expect(r.docs[0]).toMatchObject({ kind: 'Network', name: 'server-eth0', spec: { type: 'bridge' } });
    expect(r.docs[0].comment?.join(' ')).toContain('NETIF gives eth0 no bridge');
    expect(r.yaml).toContain('network: server-eth0');
  });

  it('a file that is missing, or a directory without configs, is an error (exit 3)', () => {
    const missing = importOpenvz('/nonexistent/101.conf');
    expect(missing.ok || missing.errors).toEqual([
      { code: 'invalid', message: 'cannot read "/nonexistent/101.conf": no such file or directory' },
    ]);
    const empty = importOpenvz('test/unit/import');
    expect(empty.ok || empty.errors[0].message).toBe('"test/unit/import" holds no container configs (<CTID>.conf)');
  });

  it('names containers by NAME when it is a ctnet name, else ct<CTID>; a NAME taken twice gets a suffix', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ctnet-import-'));
    try {
      writeFileSync(join(tmp, '301.conf'), 'NAME="web"\nIP_ADDRESS="10.1.0.1"\n');
      writeFileSync(join(tmp, '302.conf'), 'NAME="web"\nIP_ADDRESS="10.1.0.2"\n');
      writeFileSync(join(tmp, '303.conf'), 'NAME="Web 3"\n');
      writeFileSync(join(tmp, '0.conf'), 'IP_ADDRESS="10.1.0.9"\n');
      const r = importOpenvz(tmp);
      expect(r.ok && r.value.docs.map((d) => d.name)).toEqual(['venet', 'web', 'web-2', 'ct303']);
      expect(r.ok && r.value.warnings).toEqual([
        `${tmp}/302.conf: the name web is taken by another config: named web-2`,
      ]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
