import { describe, expect, it } from 'vitest';
import { readSchemaText } from '../../../src/manifest/schema-options.js';
import { explain, kindsOf, type Explained, type SchemaNode } from '../../../src/manifest/explain.js';
import { explainText } from '../../../src/cli/cmd-schema.js';

const root = JSON.parse(readSchemaText()) as SchemaNode;

const ok = (q: string): Explained => {
  const e = explain(root, q);
  if ('code' in e) throw new Error(e.message);
  return e;
};

/** Every path under a node the way a user writes it, down through arrays and alternatives. */
function paths(q: string): string[] {
  return [q, ...ok(q).fields.flatMap((f) => paths(`${q}.${f.name}`))];
}

describe('explain over the shipped schema', () => {
  it.each(kindsOf(root))('%s explains at its top level, its spec and every field below', (kind) => {
    const top = ok(kind);
    expect(top.fields.map((f) => f.name)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(top.description).not.toBe('');
    const spec = ok(`${kind}.spec`);
    // the kind's own spec, not the generic "depends on kind"
    expect(spec.fields.length).toBeGreaterThan(0);
    expect(spec.description).not.toMatch(/depends on kind/);
    for (const p of paths(kind)) {
      const e = ok(p);
      expect(e.type, p).not.toMatch(/^any|undefined/);
      expect(e.description, p).not.toBe('');
    }
  });

  it('Container.spec.interfaces: an array of objects with their fields', () => {
    const e = ok('Container.spec.interfaces');
    expect(e.type).toBe('[]object');
    expect(e.description).toMatch(/container's interfaces/);
    expect(e.fields.map((f) => f.name)).toEqual(['name', 'network', 'device', 'mac', 'mtu', 'addresses']);
    expect(e.fields.find((f) => f.name === 'mac')).toMatchObject({ type: 'string (MAC address)' });
  });

  it('goes through arrays, with or without [] and an index', () => {
    for (const q of ['Container.spec.interfaces.addresses', 'Container.spec.interfaces[].addresses']) {
      const e = ok(q);
      expect(e.path).toBe('Container.spec.interfaces.addresses');
      expect(e.type).toBe('[]string (IP address)');
    }
    expect(ok('VirtualMachine.spec.interfaces[0].tap').type).toBe('string (interface name)');
    expect(ok('Container.spec.routes.via').fields).toEqual([]);
  });

  it('resolves if/then/else alternatives: a name or {path}, an address or a list', () => {
    const netns = ok('Container.spec.netns');
    expect(netns.type).toBe('string (namespace name) | object');
    expect(netns.fields).toMatchObject([{ name: 'path', required: true }]);
    expect(ok('Container.spec.netns.path').type).toBe('string (namespace path)');
    expect(ok('Network.spec.gateway').type).toBe('string (IP address) | []string (IP address)');
    expect(ok('Host.spec.sysctls').type).toMatch(/^map\[string\]/);
  });

  it('an unknown field names the path and lists what exists at that level', () => {
    const e = explain(root, 'Container.spec.interfaces.adresses');
    expect(e).toMatchObject({ code: 'invalid', path: 'Container.spec.interfaces.adresses' });
    expect((e as { message: string }).message).toBe(
      'no field "adresses" in Container.spec.interfaces; the fields of Container.spec.interfaces are ' +
        'name, network, device, mac, mtu, addresses',
    );
    expect(explain(root, 'Container.spec.driver.x')).toMatchObject({ message: /Container.spec.driver has no fields/ });
  });

  it('an unknown kind lists the kinds', () => {
    expect(explain(root, 'Pod.spec')).toMatchObject({
      code: 'invalid',
      message: 'no kind "Pod"; the kinds are Network, Container, VirtualMachine, Host, Node',
    });
  });

  it('prints as kubectl explain lays it out', () => {
    const text = explainText(ok('Network.spec'));
    expect(text).toMatch(/^KIND: {5}Network\nFIELD: {4}spec <object>\n\nDESCRIPTION:\n {4}What the host builds/);
    expect(text).toMatch(/\nFIELDS:\n {2}type\t<enum: routed, bridge, loopback, custom> -required-\n/);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});
