import { readFileSync } from 'node:fs';
import type { Logger, SourceLocation } from '../../src/shared/logger.js';
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

export interface LoggedLine {
  level: 'debug' | 'info' | 'warning' | 'error';
  message: string;
  where?: SourceLocation | undefined;
}

/** A Logger that keeps every line for assertions. */
export function recordingLogger(): Logger & { lines: LoggedLine[]; text(): string } {
  const lines: LoggedLine[] = [];
  const push = (level: LoggedLine['level']) => (message: string, where?: SourceLocation) => void lines.push({ level, message, where });
  return {
    lines,
    text: () => lines.map((l) => `${l.level}: ${l.message}`).join('\n'),
    debug: push('debug'),
    info: push('info'),
    warning: push('warning'),
    error: push('error'),
    group: (_name, fn) => fn(),
    mask() {},
    isDebug: () => true,
  };
}

/** A webhook payload from ../shared/corpus/events, parsed, for adapting to a test repository. */
export function corpusEvent(file: string): any {
  return JSON.parse(readFileSync(corpusPath('events', file), 'utf8'));
}
