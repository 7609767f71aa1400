import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, appendFile } from 'node:fs/promises';
import { appendFileSync, existsSync } from 'node:fs';
import { EOL } from 'node:os';

/**
 * The runner's side of a JavaScript action, as GitHub documents it
 * (docs.github.com/actions/reference/workflow-commands-for-github-actions): inputs come as
 * INPUT_<NAME> variables, log commands are `::command key=value,…::message` lines on stdout,
 * outputs and the job summary are files named by GITHUB_OUTPUT and GITHUB_STEP_SUMMARY.
 *
 * The action writes these few lines itself rather than through @actions/core: the toolkit's core
 * loads @actions/http-client and undici (900 KB, most of the bundle's start-up time) for OIDC
 * tokens this action never asks for. The names and behaviour follow @actions/core's, so that the
 * log, the annotations and the outputs are byte for byte what the toolkit writes.
 */

export interface AnnotationProperties {
  title?: string | undefined;
  file?: string | undefined;
  startLine?: number | undefined;
  startColumn?: number | undefined;
}

/** `INPUT_<NAME>`: spaces become underscores, the name is upper-cased, hyphens are kept. */
export function getInput(name: string, options: { trimWhitespace?: boolean } = {}): string {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';
  return options.trimWhitespace === false ? value : value.trim();
}

/** A `name<<delimiter` block in the GITHUB_OUTPUT file, with a delimiter that cannot occur in the value. */
export function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) {
    // Runners before the file commands read the (deprecated) set-output command.
    process.stdout.write(EOL);
    issue('set-output', value, { name });
    return;
  }
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`output ${name} contains the delimiter ${delimiter}`);
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' });
}

/** `::add-mask::`: the runner replaces the value with *** in every later log line. */
export function setSecret(secret: string): void {
  issue('add-mask', secret);
}

/** Step debug logging (the ACTIONS_STEP_DEBUG secret, or a re-run with debug logging). */
export function isDebug(): boolean {
  return process.env.RUNNER_DEBUG === '1';
}

export function debug(message: string): void {
  issue('debug', message);
}

export function info(message: string): void {
  process.stdout.write(message + EOL);
}

export function warning(message: string, properties?: AnnotationProperties): void {
  issue('warning', message, annotation(properties));
}

export function error(message: string, properties?: AnnotationProperties): void {
  issue('error', message, annotation(properties));
}

/** Fails the step: exit code 1 once the process ends, and the message as an error annotation. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** Folds the lines `fn` writes under `name` in the log. */
export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  issue('group', name);
  try {
    return await fn();
  } finally {
    issue('endgroup', '');
  }
}

/** Appends Markdown (and a line end) to the job summary, the file named by GITHUB_STEP_SUMMARY. */
export async function appendSummary(markdown: string): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file)
    throw new Error(
      'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.',
    );
  try {
    await access(file, constants.R_OK | constants.W_OK);
  } catch {
    throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
  }
  await appendFile(file, markdown + EOL, { encoding: 'utf8' });
}

/** The runner's names for annotation properties (ActionCommandManager.cs): line and col. */
function annotation(properties: AnnotationProperties | undefined): Record<string, string | number | undefined> {
  if (!properties) return {};
  return { title: properties.title, file: properties.file, line: properties.startLine, col: properties.startColumn };
}

function issue(command: string, message: string, properties: Record<string, string | number | undefined> = {}): void {
  const fields = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '' && entry[1] !== 0)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`);
  const head = fields.length > 0 ? `::${command} ${fields.join(',')}` : `::${command}`;
  process.stdout.write(`${head}::${escapeData(message)}${EOL}`);
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
