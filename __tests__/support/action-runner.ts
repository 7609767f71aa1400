import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './corpus.js';
import { requireTool } from './registry.js';
import { tempDir } from './temp-workspace.js';

/**
 * Runs the committed bundle (dist/index.js) the way the GitHub runner does: every input as an
 * INPUT_<NAME> variable (hyphens kept) with action.yml's defaults filled in, the event payload
 * in a file named by GITHUB_EVENT_PATH, outputs and summary written to the files named by
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY.
 */

export interface ActionRun {
  exitCode: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  /** The `charts` output, parsed. */
  charts: Array<Record<string, string>>;
}

export interface RunActionOptions {
  workspace: string;
  inputs?: Record<string, string>;
  event?: { name: string; payload: unknown };
  env?: Record<string, string>;
  /**
   * Run as this unprivileged user (through `setpriv`, when the tests run as root): root reads
   * every file, so permission errors can only be seen as another user. The scratch files are
   * made writable for it; the workspace must be readable by it.
   */
  asUser?: { uid: number; gid: number };
}

interface ActionYaml {
  inputs: Record<string, { default?: string }>;
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const scratch = tempDir('ocp-runner-');
  const files = { event: join(scratch, 'event.json'), output: join(scratch, 'output'), summary: join(scratch, 'summary.md') };
  writeFileSync(files.event, JSON.stringify(options.event?.payload ?? {}));
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');

  const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as ActionYaml;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? scratch,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_EVENT_NAME: options.event?.name ?? 'workflow_dispatch',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_REPOSITORY: 'acme/charts',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9/api',
    GITHUB_ACTOR: 'octocat',
    GITHUB_SHA: '0000000000000000000000000000000000000000',
    GITHUB_REF: 'refs/heads/main',
    RUNNER_TEMP: scratch,
    // Keep the test machine's credential stores out of the run.
    DOCKER_CONFIG: join(scratch, 'docker'),
    HELM_REGISTRY_CONFIG: join(scratch, 'helm-registry.json'),
  };
  for (const [name, spec] of Object.entries(action.inputs)) {
    // ${{ … }} defaults are evaluated by the runner; here they are empty unless given.
    const fallback = spec.default?.includes('${{') ? '' : (spec.default ?? '');
    env[`INPUT_${name.toUpperCase()}`] = options.inputs?.[name] ?? fallback;
  }
  Object.assign(env, options.env);

  const bundle = join(repoRoot, 'dist', 'index.js');
  const user = options.asUser;
  if (user) {
    chmodSync(scratch, 0o777);
    for (const file of Object.values(files)) chmodSync(file, 0o666);
  }
  const child = user
    ? spawn(requireTool('setpriv'), [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', process.execPath, bundle], {
        cwd: options.workspace,
        env: { ...env, HOME: scratch },
      })
    : spawn(process.execPath, [bundle], { cwd: options.workspace, env });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  const outputs = parseOutputFile(readFileSync(files.output, 'utf8'));
  return {
    exitCode,
    stdout,
    outputs,
    summary: readFileSync(files.summary, 'utf8'),
    charts: outputs.charts ? (JSON.parse(outputs.charts) as Array<Record<string, string>>) : [],
  };
}

/** The runner's GITHUB_OUTPUT file format: `name<<DELIMITER\nvalue\nDELIMITER`. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (match) {
      const [, name = '', delimiter] = match;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
      outputs[name] = value.join('\n');
    } else if (lines[i]?.includes('=')) {
      const line = lines[i] as string;
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

/** Log lines as a user sees them: the runner hides ::add-mask:: commands and masks their values. */
export function visibleLog(stdout: string): string {
  return stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}
