/**
 * Where JSON.parse stopped, as line and column: V8 says "… at position N (line L column C)"
 * (newer) or "… at position N" (older); both are turned into a 1-based line and column.
 */
export function jsonErrorPosition(text: string, error: unknown): { message: string; line?: number; column?: number } {
  const message = error instanceof Error ? error.message : String(error);
  const lc = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lc) return { message, line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /at position (\d+)/.exec(message);
  if (!pos) return { message };
  const before = text.slice(0, Number(pos[1]));
  return { message, line: before.split('\n').length, column: Number(pos[1]) - before.lastIndexOf('\n') };
}
