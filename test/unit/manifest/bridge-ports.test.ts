import { afterAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/manifest/index.js';
import { formatError } from '../../../src/model/errors.js';
import { doc, docs, Scratch } from './helpers.js';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const lan = (uplink: boolean): string =>
  doc('Network', 'lan', `{type: bridge, subnets: [10.8.0.0/16], bridge: br0${uplink ? ', uplink: eth7' : ''}}`);
const members = (n: number): string =>
  docs(
    ...Array.from({ length: n }, (_, i) =>
      doc(
        'Container',
        `c${i}`,
        `{interfaces: [{name: eth0, network: lan, addresses: [10.8.${(i + 2) >> 8}.${(i + 2) & 255}/16]}]}`,
      ),
    ),
  );

const errorsOf = async (files: Record<string, string>): Promise<string[]> => {
  const r = await loadManifests([scratch.dir(files)]);
  return r.ok ? [] : r.errors.map(formatError);
};

describe('a bridge network fits on one Linux bridge (at most 1023 ports)', () => {
  it('takes 1023 ports: 1022 members and the uplink', async () => {
    expect(await errorsOf({ 'n.yaml': lan(true), 'c.yaml': members(1022) })).toEqual([]);
  });

  it('refuses the 1024th port before any change, at the first member over the limit', async () => {
    const errors = await errorsOf({ 'n.yaml': lan(true), 'c.yaml': members(1023) });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/\/c\.yaml:\d+:\d+: .*spec\.interfaces\[0\]\.network.*1024 bridge ports.*at most 1023/);
    // located at a member's network field, in its own document
    const line = Number(/\/c\.yaml:(\d+):/.exec(errors[0])?.[1]);
    expect(members(1023).split('\n')[line - 1]).toContain('network: lan');
  });
});
