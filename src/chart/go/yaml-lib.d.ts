// Types of yaml-lib.js: the package's own, shared by both of its builds.
export { Composer, isAlias, isMap, isScalar, isSeq, Lexer, LineCounter, Parser, visit } from 'yaml';
