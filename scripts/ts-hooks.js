// Imported first by the benchmarks (and by a test that starts Node itself): lets Node load the
// TypeScript sources directly. The sources import './x.js' (NodeNext) while the file on disk is
// x.ts; TypeScript's own transpiler handles every syntax they use. Transpiling happens on load,
// outside timed regions.
import { existsSync, readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      const js = new URL(specifier, context.parentURL);
      const source = new URL(`${js.href.slice(0, -3)}.ts`);
      if (!existsSync(js) && existsSync(source)) return { url: source.href, shortCircuit: true };
    }
    return nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    if (!url.endsWith('.ts')) return nextLoad(url, context);
    const file = fileURLToPath(url);
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2024, verbatimModuleSyntax: true },
    });
    return { format: 'module', source: outputText, shortCircuit: true };
  },
});
