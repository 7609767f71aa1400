#!/usr/bin/env node
// Fails when the README's Inputs table and action.yml disagree: every input of action.yml has a
// row, every row names a real input, and a literal default in action.yml is the one shown.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8'));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

const section = readme.split(/^### Inputs$/m)[1]?.split(/^#{2,3} /m)[0];
if (!section) {
  console.error('check-readme: README.md has no "### Inputs" section');
  process.exit(1);
}
/** Input name → the Default cell of its row (rows may name several inputs). */
const rows = new Map();
for (const line of section.split('\n')) {
  const cells = line.split('|').map((c) => c.trim());
  if (cells.length < 4 || !cells[1].startsWith('`')) continue;
  for (const [, name] of cells[1].matchAll(/`([^`]+)`/g)) rows.set(name, cells[2]);
}

const problems = [];
for (const [name, spec] of Object.entries(action.inputs ?? {})) {
  if (!rows.has(name)) {
    problems.push(`input "${name}" of action.yml has no row in the README Inputs table`);
    continue;
  }
  const literal = spec.default === undefined ? '' : String(spec.default);
  if (literal !== '' && !literal.includes('${{') && !rows.get(name).includes(`\`${literal}\``)) {
    problems.push(`input "${name}": action.yml's default "${literal}" is not what the README shows (${rows.get(name) || 'nothing'})`);
  }
}
for (const name of rows.keys())
  if (!(name in (action.inputs ?? {}))) problems.push(`the README documents "${name}", which action.yml does not define`);

if (problems.length > 0) {
  for (const p of problems) console.error(`check-readme: ${p}`);
  process.exit(1);
}
console.log(`check-readme: the README documents all ${rows.size} inputs of action.yml`);
