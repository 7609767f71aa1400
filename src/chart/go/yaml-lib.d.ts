// Types of yaml-lib.js: the package's own, shared by both of its builds.
export { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, visit } from 'yaml';
