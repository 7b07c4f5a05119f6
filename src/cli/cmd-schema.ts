import { readSchemaText } from '../manifest/schema-options.js';
import { explain, type Explained, type SchemaNode } from '../manifest/explain.js';
import { json, printErrors, type GlobalOpts } from './output.js';

/** `ctnet schema`: the JSON Schema exactly as the package ships it, for editors and other tools. */
export function cmdSchema(): number {
  process.stdout.write(readSchemaText());
  return 0;
}

const WIDTH = 100;

/** Words wrapped at WIDTH, each line indented. */
function wrap(text: string, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + w.length > WIDTH) {
      lines.push(indent + line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

/** As `kubectl explain` lays it out: kind, field and type, description, then the sub-fields. */
export function explainText(e: Explained): string {
  const field = e.path.split('.').slice(1).join('.');
  const out = [`KIND:     ${e.kind}`];
  if (field) out.push(`FIELD:    ${field} <${e.type}>`);
  out.push('', 'DESCRIPTION:', wrap(e.description || '(none)', '    '));
  if (e.fields.length) {
    out.push('', 'FIELDS:');
    for (const f of e.fields) {
      out.push(`  ${f.name}\t<${f.type}>${f.required ? ' -required-' : ''}`);
      if (f.description) out.push(wrap(f.description, '    '));
    }
  }
  return out.join('\n') + '\n';
}

/** `ctnet explain Container.spec.interfaces`: a field's description, from the shipped schema. */
export function cmdExplain(g: GlobalOpts, query: string): number {
  const root = JSON.parse(readSchemaText()) as SchemaNode;
  const e = explain(root, query);
  if ('code' in e) return printErrors([e]);
  if (g.json) json(e);
  else process.stdout.write(explainText(e));
  return 0;
}
