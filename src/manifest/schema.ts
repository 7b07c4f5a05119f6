import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { CtnetError } from '../model/errors.js';
import type { RawDoc } from './load.js';

const Ajv = AjvModule.default ?? AjvModule;
const SCHEMA = fileURLToPath(new URL('../../schemas/ctnet.schema.json', import.meta.url));
let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
  return compiled;
}

/** `/spec/interfaces/0/name` → ['spec', 'interfaces', 0, 'name']. */
const segments = (pointer: string): (string | number)[] =>
  pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s));

export const pathText = (segs: readonly (string | number)[]): string =>
  segs.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');

function message(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': return `unknown field "${String(p.additionalProperty)}"`;
    case 'required': return `missing required field "${String(p.missingProperty)}"`;
    case 'enum': return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'not': return `${JSON.stringify(e.data)} is not allowed here`;
    case 'const': return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'pattern': return `${e.parentSchema && (e.parentSchema as { description?: string }).description ? `invalid: ${(e.parentSchema as { description: string }).description}` : `must match ${String(p.pattern)}`}`;
    default: return e.message ?? 'invalid';
  }
}

/** Schema errors of one document, positioned; noise from `if`/`oneOf` wrappers is dropped. */
export function schemaErrors(doc: RawDoc): CtnetError[] {
  const validate = validator();
  if (validate(doc.data)) return [];
  const errs = (validate.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'oneOf');
  const items = errs.map((e) => {
    const segs = segments(e.instancePath);
    if (e.keyword === 'additionalProperties') segs.push(String((e.params as Record<string, unknown>).additionalProperty));
    return { e, segs, path: pathText(segs) };
  });
  // a oneOf alternative that failed on type only adds noise next to the real error at that path
  const specific = new Set(items.filter((i) => i.e.keyword !== 'type').map((i) => i.path));
  const seen = new Set<string>();
  const out: CtnetError[] = [];
  for (const { e, segs, path } of items) {
    if (e.keyword === 'type' && specific.has(path)) continue;
    const msg = message(e);
    if (seen.has(`${path}|${msg}`)) continue;
    seen.add(`${path}|${msg}`);
    out.push({ code: 'invalid', ...doc.source.at(segs), path: path || '(document)', message: msg });
  }
  return out;
}
