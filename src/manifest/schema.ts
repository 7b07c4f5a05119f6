import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { CtnetError } from '../model/errors.js';
import type { FieldPath } from './types.js';
import type { LoadedDoc } from './loaded-doc.js';
import { isForbiddenField, message, show } from './schema-messages.js';
import { validator } from './schema-validator.js';

/** `spec.interfaces[0].name`; keys that are not identifiers (sysctl names) are quoted. */
export function pathText(path: FieldPath): string {
  return path.reduce<string>((acc, s) => {
    if (typeof s === 'number') return `${acc}[${s}]`;
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(s)) return `${acc}[${JSON.stringify(s)}]`;
    return acc ? `${acc}.${s}` : s;
  }, '');
}

/** `/spec/interfaces/0/name` → ['spec', 'interfaces', 0, 'name']; a segment is an index only inside a list. */
function fieldPath(pointer: string, data: unknown): (string | number)[] {
  const out: (string | number)[] = [];
  let cur = data;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const step = Array.isArray(cur) ? Number(seg) : seg;
    out.push(step);
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[step] : undefined;
  }
  return out;
}

/** Wrapper keywords only repeat what the errors inside them say. */
const NOISE = new Set(['if', 'then', 'else', 'allOf', 'propertyNames']);

/**
 * Keywords that judge one value, or forbid a field that does not apply, never the document's
 * shape. A document with only such errors still has the types the rules read (an address is a
 * string, if not a valid one; a gateway on a routed network is still a gateway): the rules look
 * at it too, so its other mistakes are listed in the same run. Unknown fields, wrong types and
 * unknown kinds are different: what the author meant is unclear, so the rules skip the document.
 */
const VALUE_KEYWORDS = new Set([
  'pattern',
  'format',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'not',
]);

export interface SchemaCheck {
  readonly errors: CtnetError[];
  /** The document has the shape types.ts describes: semantic rules may read it. */
  readonly typed: boolean;
}

/** Schema errors of one document, each positioned on its field; one message per field and text. */
export function checkSchema(doc: LoadedDoc, validate: ValidateFunction = validator()): SchemaCheck {
  if (validate(doc.data)) return { errors: [], typed: true };
  const seen = new Set<string>();
  const typed = new Set<string>();
  const out: CtnetError[] = [];
  let shapeOk = true;
  for (const e of validate.errors ?? []) {
    if (NOISE.has(e.keyword)) continue;
    if (!VALUE_KEYWORDS.has(e.keyword)) shapeOk = false;
    const path = fieldPath(e.instancePath, doc.data);
    const p = e.params as Record<string, unknown>;
    // a bad key (sysctl name) is reported on the key itself, not on the map holding it
    if (e.propertyName !== undefined) path.push(e.propertyName);
    if (e.keyword === 'additionalProperties') path.push(String(p.additionalProperty));
    const text = pathText(path);
    // a value of the wrong type fails every branch that wanted another type: say it once
    if (e.keyword === 'type' && typed.has(text)) continue;
    if (e.keyword === 'type') typed.add(text);
    const msg =
      path.length === 0 && e.keyword === 'type'
        ? `a manifest is a mapping (apiVersion, kind, metadata, spec), not ${show(e.data)}`
        : message(e, path.at(-1));
    if (seen.has(`${text}|${msg}`)) continue;
    seen.add(`${text}|${msg}`);
    // unknown fields, fields that do not apply and bad keys are written at their key
    const onKey = e.keyword === 'additionalProperties' || e.propertyName !== undefined || isForbiddenField(e);
    out.push({
      code: 'invalid',
      ...(onKey ? doc.keyAt : doc.source.at)(path),
      path: text || '(document)',
      message: msg,
    });
  }
  return { errors: out, typed: shapeOk };
}
