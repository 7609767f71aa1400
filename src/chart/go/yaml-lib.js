// The YAML library as the product uses it: its ES-module build, which the bundler hoists into
// the main chunk's scope, where the package's `node` export is some seventy CommonJS modules,
// each kept in a wrapper of its own with its exports object and require calls (and exports
// nothing uses cannot be dropped). 23 KB less of the main chunk to parse at every start and
// seventy module wrappers fewer to run: about 4 ms of a one-chart dry-run (bench/cold-start.js).
// The package exports this build only under the `default` condition, which a Node target never
// selects, hence the path. Both builds are compiled from the same sources; types come from the
// package (yaml-lib.d.ts). Nothing else in src/ imports the library's values.
export {
  Composer,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  Parser,
  visit,
} from '../../../node_modules/yaml/browser/dist/index.js';
