// The fields of the manifest schema as docs/manifests.md lists them: every property a user writes,
// with its path, the value it takes (the words of the schema's titled formats, which are also the
// words of ctnet's error messages), where it applies and when it is required. Read by
// gen-manifest-docs.mjs; knows nothing about Markdown beyond inline code.

/** The definition a `$ref` points to (only local `#/$defs/NAME` references occur). */
export const target = (root, s) => (s?.$ref ? root.$defs[s.$ref.split('/').pop()] : s);

/** A schema with its reference followed; the local keys (description, examples) win. */
const resolve = (root, s) => {
  if (!s?.$ref) return s;
  const local = { ...s };
  delete local.$ref;
  return { ...resolve(root, target(root, s)), ...local };
};

/** A value as it is written in YAML flow style: `[10.30.0.1, "fd00:30::1"]`, `{to: default}`. */
export function flow(v) {
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}: ${flow(x)}`)
      .join(', ')}}`;
  // quoted where YAML would read another type (a number, a boolean) or could not read it plain
  const plain =
    /^[A-Za-z0-9_./-]+$/.test(v) && !/^([-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|true|false|null|yes|no|on|off)$/i.test(v);
  if (typeof v === 'string' && !plain) return JSON.stringify(v);
  return String(v);
}

const capital = (s) => s[0].toUpperCase() + s.slice(1);

/** What a field takes, in a sentence. */
export function valueText(root, s) {
  const t = target(root, s);
  if (t.title) {
    const map = t.propertyNames
      ? ` Keys: ${t.propertyNames.description}. Values: ${t.additionalProperties.description}.`
      : '';
    return `${capital(t.title)}: ${t.description}.${map}`;
  }
  if (t.enum) return `One of ${t.enum.map((x) => '`' + flow(x) + '`').join(', ')}.`;
  if (t.const !== undefined) return `Always \`${flow(t.const)}\`.`;
  if (t.type === 'boolean') return '`true` or `false`.';
  if (t.type === 'array') {
    const item = target(root, t.items);
    if (item.title) return `A list; each item: ${valueText(root, t.items)}`;
    return 'A list of mappings, with the fields below.';
  }
  if (t.additionalProperties?.title)
    return `A mapping of names to values; each value: ${valueText(root, t.additionalProperties)}`;
  return 'A mapping, with the fields below.';
}

/**
 * Where each field of a spec applies and when it is required, from the schema's own rules:
 * `allOf: [{if: {properties: {type: {const: V}}}, then: {properties: {F: {$ref: notFor...}}}}]`.
 */
export function conditions(s) {
  const forbidden = new Map();
  const requiredWhen = new Map();
  let on;
  const note = (map, path, value) => map.set(path, [...(map.get(path) ?? []), value]);
  const walk = (then, prefix, value) => {
    for (const [k, v] of Object.entries(then.properties ?? {})) {
      const path = prefix + k;
      if (v.$ref?.startsWith('#/$defs/notFor')) note(forbidden, path, value);
      else if (v.items) walk(v.items, `${path}[].`, value);
      else walk(v, `${path}.`, value);
    }
    for (const k of then.required ?? []) note(requiredWhen, prefix + k, value);
  };
  for (const rule of s.allOf ?? []) {
    const [[key, test]] = Object.entries(rule.if.properties);
    on = key;
    walk(rule.then, '', test.const);
  }
  return { on, values: on ? s.properties[on].enum : [], forbidden, requiredWhen };
}

/** Every field under a schema, depth first: `{path, schema, required}`; lists add `[]` to the path. */
export function fieldsOf(root, schema, prefix = '') {
  const s = resolve(root, schema);
  const out = [];
  const props = { ...(s.properties ?? {}), ...(s.else?.properties ?? {}) };
  const required = [...(s.required ?? []), ...(s.else?.required ?? [])];
  for (const [k, v] of Object.entries(props)) {
    const path = prefix + k;
    out.push({ path, schema: v, required: required.includes(k) });
    const r = resolve(root, v);
    if (r.type === 'array' && r.items) out.push(...fieldsOf(root, r.items, `${path}[].`));
    else if (r.properties || r.else?.properties) out.push(...fieldsOf(root, r, `${path}.`));
  }
  return out;
}

/** "Applies to" and "Required" words of one field, from `conditions`. */
export function whenText(c, path, required) {
  const words = [];
  const no = c.forbidden.get(path);
  if (no) {
    // a field inside one that does not apply (interfaces[].mac of a host container) does not either
    const parts = path.split('.');
    const above = parts.slice(1).flatMap(
      (_, i) =>
        c.forbidden.get(
          parts
            .slice(0, i + 1)
            .join('.')
            .replace(/\[\]$/, ''),
        ) ?? [],
    );
    const yes = c.values.filter((v) => !no.includes(v) && !above.includes(v));
    words.push(`Applies to ${yes.map((v) => `\`${c.on}: ${v}\``).join(', ')}.`);
  }
  if (required) words.push('Required.');
  const when = c.requiredWhen.get(path);
  if (when) words.push(`Required with ${when.map((v) => `\`${c.on}: ${v}\``).join(', ')}.`);
  return words.join(' ');
}
