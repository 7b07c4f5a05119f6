import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readManifestFiles } from '../../../src/manifest/load.js';
import { checkSchema } from '../../../src/manifest/schema.js';
import { standaloneModule } from '../../../src/manifest/schema-build.js';
import { compileNow, loadValidator } from '../../../src/manifest/schema-validator.js';
import { readSchemaText } from '../../../src/manifest/schema-options.js';
import { Scratch, doc, docs } from './helpers.js';

// inside the project, so the generated module's require of ajv's runtime helpers resolves as in dist/
const gen = mkdtempSync(resolve(import.meta.dirname, '../../../node_modules/.ctnet-test-'));
const s = new Scratch();
afterAll(() => {
  rmSync(gen, { recursive: true, force: true });
  s.cleanup();
});

const text = readSchemaText();
const code = standaloneModule(text);
const write = (name: string, body: string): string => {
  const p = join(gen, name);
  writeFileSync(p, body);
  return p;
};

/** Documents that exercise every kind of message: types, enums, patterns, fields that do not apply, sysctls. */
const CORPUS = docs(
  'apiVersion: ctnet/v2\nkind: Pod\nmetadata: {labels: {a: 1}}\nspec: {}\n',
  doc(
    'Network',
    'Lan',
    '{type: routed, gateway: 10.0.0.1, subnets: [10.0.0.0/33, "fe80::%x/64"], mtu: 70000, nat: "yes"}',
  ),
  doc(
    'Container',
    'c',
    '{driver: host, netns: "..", interfaces: [{name: this-is-too-long0, mac: "02:00", addresses: [10.0.0.300]}], routes: [{to: x, via: 7}]}',
  ),
  doc('Host', 'h', '{sysctls: {Bad: 1, net.a.b: "$(x)", net.c.d: [1]}, protectedInterfaces: [eth0, 5]}'),
);

describe('the precompiled validator', () => {
  it('is used when built from this schema, and reports exactly what a runtime compile reports', () => {
    const loaded = loadValidator(write('ok.cjs', code));
    expect(loaded.precompiled).toBe(true);
    const d = s.dir({ 'm.yaml': CORPUS });
    const { docs: read } = readManifestFiles([d]);
    const runtime = compileNow(text);
    const pre = read.map((x) => checkSchema(x, loaded.validate));
    expect(pre.flatMap((x) => x.errors).length).toBeGreaterThan(20);
    expect(pre).toEqual(read.map((x) => checkSchema(x, runtime)));
  });

  it('is ignored when stale (schema edited, not rebuilt), missing or broken: the schema is compiled instead', () => {
    const stale = write('stale.cjs', code.replace(/fingerprint = "[0-9a-f]+"/, 'fingerprint = "0"'));
    expect(loadValidator(stale).precompiled).toBe(false);
    expect(loadValidator(join(gen, 'missing.cjs')).precompiled).toBe(false);
    expect(loadValidator(write('broken.cjs', 'this is not javascript')).precompiled).toBe(false);
    const v = loadValidator(stale).validate;
    expect(v({ apiVersion: 'ctnet/v1', kind: 'Network', metadata: { name: 'n' }, spec: { type: 'routed' } })).toBe(
      true,
    );
  });

  it("needs no compiler at run time: the generated code requires only ajv's runtime helpers", () => {
    const requires = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(requires.every((r) => r.startsWith('ajv/dist/runtime/'))).toBe(true);
  });
});
