import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseAllDocuments, stringify } from 'yaml';
import { AJV_OPTIONS, readSchemaText } from '../../../src/manifest/schema-options.js';
import { Scratch } from '../manifest/helpers.js';

/**
 * docs/manifests.md is generated from the schema (scripts/gen-manifest-docs.mjs, `npm run docs`):
 * the committed page must be what the script makes of the committed schema, and what the schema
 * shows editors and readers (descriptions, examples) must hold.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const schema = JSON.parse(readSchemaText()) as Schema;
const s = new Scratch();
afterAll(() => s.cleanup());

interface Schema {
  readonly $id?: string;
  readonly $ref?: string;
  readonly description?: string;
  readonly examples?: unknown[];
  readonly properties?: Record<string, Schema>;
  readonly else?: Schema;
  readonly items?: Schema;
  readonly $defs?: Record<string, Schema>;
}

/** Every property of the schema a user writes (not the `not: {}` markers of fields that do not apply), by JSON pointer. */
function properties(): [string, Schema][] {
  const out: [string, Schema][] = [];
  const walk = (x: Schema, pointer: string): void => {
    for (const [k, v] of Object.entries(x.properties ?? {})) {
      if (!v.$ref?.startsWith('#/$defs/notFor')) out.push([`${pointer}/properties/${k}`, v]);
    }
    if (x.else) walk(x.else, `${pointer}/else`);
  };
  walk(schema, '');
  for (const [name, def] of Object.entries(schema.$defs ?? {})) walk(def, `/$defs/${name}`);
  return out;
}

describe('the manifest reference (docs/manifests.md)', () => {
  it('is what `npm run docs` generates from the schema', () => {
    const generated = execFileSync(process.execPath, [resolve(ROOT, 'scripts/gen-manifest-docs.mjs'), '--stdout'], {
      encoding: 'utf8',
    });
    const committed = readFileSync(resolve(ROOT, 'docs/manifests.md'), 'utf8');
    expect(committed, 'docs/manifests.md is out of date with schemas/ctnet.schema.json: run `npm run docs`').toBe(
      generated,
    );
  });

  it('shows YAML that reads back as the schema’s example documents', () => {
    const text = readFileSync(resolve(ROOT, 'docs/manifests.md'), 'utf8');
    const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
    const docs = blocks.flatMap((b) => parseAllDocuments(b).map((d) => d.toJSON() as unknown));
    expect(docs).toEqual(schema.examples);
  });
});

describe('the schema’s words for editors', () => {
  it('describe every property a user writes', () => {
    const bare = properties()
      .filter(([, p]) => !p.description)
      .map(([pointer]) => pointer);
    expect(bare).toEqual([]);
  });

  it('give example documents that are valid manifests together', async () => {
    // a fleet's documents (a Node, a spanning network) make every container name its node: apart
    const fleet = (d: any): boolean => d.kind === 'Node' || d.spec?.vxlan !== undefined;
    const local = (schema.examples ?? []).filter((d) => !fleet(d));
    expect(await s.errors({ 'examples.yaml': local.map((d) => stringify(d)).join('---\n') })).toEqual([]);
    const ct = {
      apiVersion: 'ctnet/v1',
      kind: 'Container',
      metadata: { name: 'c' },
      spec: { node: 'h1', interfaces: [{ network: 'overlay' }] },
    };
    const nodes = [...(schema.examples ?? []).filter(fleet), ct].map((d) => stringify(d)).join('---\n');
    expect(await s.errors({ 'fleet.yaml': nodes })).toEqual([]);
  });

  it('give field examples that the field accepts', () => {
    const ajv = new Ajv2020(AJV_OPTIONS);
    ajv.addSchema(schema);
    const wrong: string[] = [];
    for (const [pointer, p] of properties()) {
      const validate = ajv.getSchema(`${schema.$id}#${pointer}`)!;
      for (const e of p.examples ?? []) if (!validate(e)) wrong.push(`${pointer}: ${JSON.stringify(e)}`);
    }
    expect(wrong).toEqual([]);
    expect(properties().filter(([, p]) => p.examples).length).toBeGreaterThan(20);
  });
});
