import { readFileSync } from 'node:fs';
import { corpusPath } from '../support/corpus.js';

/** Chart.yaml text; `extra` is appended verbatim (dependencies, type …). */
export function chartYaml(name: string, version: string, extra = ''): string {
  return `apiVersion: v2\nname: ${name}\ndescription: A chart for tests\ntype: application\nversion: ${version}\nappVersion: "1.0"\n${extra}`;
}

/** The files of a small chart at `dir`. */
export function chartFiles(dir: string, name: string, version = '0.1.0', extra = ''): Record<string, string> {
  return {
    [`${dir}/Chart.yaml`]: chartYaml(name, version, extra),
    [`${dir}/values.yaml`]: `replicas: 1\n`,
    [`${dir}/templates/deployment.yaml`]: `kind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n`,
  };
}

/** A file:// dependency block for Chart.yaml. */
export function fileDependency(name: string, path: string): string {
  return `dependencies:\n  - name: ${name}\n    version: ">=0.0.0"\n    repository: file://${path}\n`;
}

/** A webhook payload from __tests__/corpus/events, parsed, for adapting to a test repository. */
export function corpusEvent(file: string): any {
  return JSON.parse(readFileSync(corpusPath('events', file), 'utf8'));
}
