import type { ErrorObject } from 'ajv/dist/2020.js';

/** The schema's words for its own parts: title and description for editors, custom messages for both. */
interface Annotated {
  readonly title?: string;
  readonly description?: string;
  /** A predicate, printed after the value: `"10.0.0.300" is not an IP address`. */
  readonly patternErrorMessage?: string;
  /** For a field that does not apply: printed after the field's name. */
  readonly errorMessage?: string;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
};

/** JSON's text of `v`; undefined for undefined, a function or a symbol, which the declared type of stringify omits. */
const jsonText = (v: unknown): string | undefined => JSON.stringify(v);

/** A value as the message quotes it; YAML reads `1e400` as Infinity, which JSON would print as null. */
export const show = (v: unknown): string =>
  typeof v === 'number' && !Number.isFinite(v) ? `a number out of range (${v})` : (jsonText(v) ?? String(v));

/** `not: {}`: the schema's way to say that a field does not apply here (a gateway on a routed network). */
export const isForbiddenField = (e: ErrorObject): boolean =>
  e.keyword === 'not' && typeof e.schema === 'object' && e.schema !== null && Object.keys(e.schema).length === 0;

/** One error's text; `field` is the last segment of its path, the name of a field that does not apply. */
export function message(e: ErrorObject, field: string | number | undefined): string {
  const p = e.params as Record<string, unknown>;
  const parent = (e.parentSchema ?? {}) as Annotated;
  // inside propertyNames, ajv's `data` is the map; the offending value is the key
  const data = e.propertyName ?? e.data;
  switch (e.keyword) {
    case 'additionalProperties':
      return `unknown field "${String(p.additionalProperty)}"`;
    case 'required':
      return `missing required field "${String(p.missingProperty)}"`;
    case 'enum':
      return `${show(e.data)} is not allowed; use one of ${(p.allowedValues as unknown[]).map(show).join(', ')}`;
    case 'const':
      return `must be ${show(p.allowedValue)}`;
    // ajv's own words are kept first: scripts match on "must be <= 65535"
    case 'minimum':
    case 'maximum':
      return `${e.message ?? 'out of range'}${parent.description ? ` (${parent.description})` : ''}`;
    case 'type': {
      const want = ([] as string[])
        .concat(p.type as string)
        .map((t) => TYPE_NAMES[t] ?? t)
        .join(' or ');
      return parent.title
        ? `${show(e.data)} is not a valid ${parent.title}: ${parent.description ?? `must be ${want}`}`
        : `must be ${want}, not ${show(e.data)}`;
    }
    case 'pattern':
      // the same words as the semantic rules that re-check the value: one bad value, one line
      if (parent.patternErrorMessage) return `${show(data)} ${parent.patternErrorMessage}`;
      break;
    case 'not':
      if (isForbiddenField(e)) return `field "${String(field)}" ${parent.errorMessage ?? 'does not apply here'}`;
      break;
  }
  if (parent.title) return `${show(data)} is not a valid ${parent.title}: ${parent.description ?? e.message}`;
  return e.message ?? 'invalid';
}
