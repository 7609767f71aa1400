import { InputError } from '../shared/errors.js';

/** A list input: newline or comma separated, blanks dropped. */
export function list(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A boolean input, as YAML 1.1 and the runner's own inputs spell one; anything else names the input. */
export function bool(input: string, value: string): boolean {
  const lower = value.toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(lower)) return true;
  if (['false', 'no', '0', 'off'].includes(lower)) return false;
  throw new InputError(input, `"${value}" is not a boolean: expected "true" or "false"`);
}
