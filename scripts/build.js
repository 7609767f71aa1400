#!/usr/bin/env node
// `npm run build [-- OUT_DIR]`: the bundle the action runs, into dist/ (or OUT_DIR).
//
// ncc splits it at every dynamic import(): index.js is the entry, with main; signing
// (openpgp), Sigstore, the GitHub API client, the schema gate, the Artifact Hub annotation lint,
// the tar reader, discovery by event, dependencies and migration are chunks of their own, loaded
// only by the runs that need them.
// Each chunk has a source map so that an unexpected error's stack can be mapped to src/*.ts
// (src/action/source-mapped-stack.ts); the maps keep file names and positions but drop the
// sources' text (`sourcesContent`), which a stack trace never reads and which would double dist/.
//
// Every chunk is then minified by esbuild, its map composed with ncc's: V8 reads every byte of
// a chunk before it runs any of it, and the comments and whitespace of the unminified chunks
// cost a one-chart dry-run about 15 ms of CPU, 7% of its start (bench/cold-start.js). esbuild
// keeps the parentheses around each module's function, which V8 takes as "compile eagerly";
// terser drops them and made the start slower.
//
// The chunks are written as ASCII, every other character as a \u escape (valid in strings,
// templates, regular expressions, identifiers and comments alike): Node decodes an ASCII file
// on a fast path and V8 keeps it as one-byte text, where a single "→" makes the whole chunk
// two-byte. The escapes are written into ncc's output, whose maps point at whole lines, before
// esbuild minifies it, so the composed maps stay exact.
import { transformSync } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function build(outDir) {
  // Chunks of an earlier build would linger under other numbers: start from no chunk at all.
  if (existsSync(outDir)) {
    for (const name of readdirSync(outDir).filter((n) => n.endsWith('.js') || n.endsWith('.js.map'))) rmSync(join(outDir, name));
  }
  const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  const args = ['build', 'src/index.ts', '-o', outDir, '--license', 'licenses.txt', '--source-map', '--no-source-map-register', '--quiet'];
  const result = spawnSync(process.execPath, [ncc, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) return false;
  completeLicenses(outDir);
  for (const name of readdirSync(outDir).filter((n) => n.endsWith('.js'))) {
    const file = join(outDir, name);
    const text = readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
    // String.raw would see an escape where the source had the character.
    const raw = text.split('\n').findIndex((line) => line.includes('String.raw') && /[\u0080-\uffff]/.test(line));
    if (raw >= 0) throw new Error(`${name}:${raw + 1}: a String.raw template with a non-ASCII character cannot be escaped`);
    const nccMap = readFileSync(`${file}.map`);
    const minified = transformSync(`${asciiOnly(text)}//# sourceMappingURL=data:application/json;base64,${nccMap.toString('base64')}\n`, {
      // Identifiers are not mangled: errors are named after their class (`new.target.name`) and
      // a stack's frames after their functions, and mangling gained nothing measurable.
      minifyWhitespace: true,
      minifySyntax: true,
      format: 'esm',
      target: 'node24',
      charset: 'ascii',
      sourcemap: 'external',
      sourcefile: name,
    });
    if (/[\u0080-\uffff]/.test(minified.code)) throw new Error(`${name}: the minified chunk is not ASCII`);
    // esbuild renames a name that shadows an outer one; a class of ours must keep its name,
    // which its errors carry (`new.target.name` in src/shared/errors.ts).
    const map = JSON.parse(minified.map);
    if (map.sources.every((source) => !source.includes('node_modules/'))) {
      const classes = (code) => new Set(Array.from(code.matchAll(/\bclass ([\w$]+)\s*(?:\{|extends\b)/g), (m) => m[1]));
      const kept = classes(minified.code);
      const renamed = [...classes(text)].filter((declared) => !kept.has(declared));
      if (renamed.length > 0) throw new Error(`${name}: minifying renamed ${renamed.join(', ')}`);
    }
    writeFileSync(file, `${minified.code}//# sourceMappingURL=${name}.map\n`);
    delete map.sourcesContent;
    writeFileSync(`${file}.map`, JSON.stringify(map));
  }
  return true;
}

/**
 * ncc's licenses.txt can miss a package: it left out the YAML library, whose code is in the main
 * chunk. Every package the chunks' source maps name gets its entry: name, license, license text,
 * read from the package's own package.json and LICENSE file. A package without a license fails
 * the build.
 */
function completeLicenses(outDir) {
  const file = join(outDir, 'licenses.txt');
  const listed = new Set(readFileSync(file, 'utf8').split('\n'));
  const packages = new Set();
  for (const name of readdirSync(outDir).filter((n) => n.endsWith('.js.map'))) {
    for (const source of JSON.parse(readFileSync(join(outDir, name), 'utf8')).sources) {
      const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source);
      if (match) packages.add(match[1]);
    }
  }
  const missing = [...packages].filter((name) => !listed.has(name)).sort();
  const entries = missing.map((name) => {
    const dir = join(root, 'node_modules', name);
    const { license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const text = readdirSync(dir).find((n) => /^licen[cs]e(\.|$)/i.test(n));
    if (!license || !text) throw new Error(`build: ${name} is bundled, but its license or license file is missing`);
    return `${name}\n${license}\n${readFileSync(join(dir, text), 'utf8').trimEnd()}\n`;
  });
  if (entries.length > 0) writeFileSync(file, `${readFileSync(file, 'utf8').trimEnd()}\n\n${entries.join('\n')}`);
}

/** Every character outside ASCII as \uXXXX (astral ones as their surrogate pair). */
function asciiOnly(text) {
  return text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(root, process.argv[2] ?? 'dist');
  if (!build(outDir)) {
    console.error('build: ncc failed');
    process.exit(1);
  }
}
