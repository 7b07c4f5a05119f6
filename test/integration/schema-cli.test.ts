import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '../../bin/ctnet.js');
const SCHEMA = resolve(import.meta.dirname, '../../schemas/ctnet.schema.json');
const ctnet = (...args: string[]) => spawnSync('node', [BIN, ...args], { encoding: 'utf8' });

describe('ctnet schema and ctnet explain (offline: they read only the shipped schema)', () => {
  it('schema prints the shipped schema, byte for byte, as JSON', () => {
    const r = ctnet('schema');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(SCHEMA, 'utf8'));
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(SCHEMA, 'utf8')));
  });

  it('explain KIND.field prints the field, its type, description and sub-fields', () => {
    const r = ctnet('explain', 'Container.spec.interfaces');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^KIND: +Container\nFIELD: +spec\.interfaces <\[\]object>\n\nDESCRIPTION:\n/);
    expect(r.stdout).toMatch(/\n {2}addresses\t<\[\]string \(IP address\)>\n/);
  });

  it('explain KIND shows the top level; --json gives the same as data', () => {
    expect(ctnet('explain', 'Host').stdout).toMatch(/FIELDS:\n {2}apiVersion\t/);
    const doc = JSON.parse(ctnet('--json', 'explain', 'VirtualMachine.spec.interfaces.tap').stdout) as object;
    expect(doc).toMatchObject({ kind: 'VirtualMachine', type: 'string (interface name)', fields: [] });
  });

  it('an unknown field or kind: exit 3, naming the path and what exists there', () => {
    const r = ctnet('explain', 'Network.spec.uplinks');
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^error: Network\.spec\.uplinks: no field "uplinks" in Network\.spec; the fields .* uplink/,
    );
    const k = ctnet('explain', 'container');
    expect(k.status).toBe(3);
    expect(k.stderr).toContain('the kinds are Network, Container, VirtualMachine, Host');
  });
});
