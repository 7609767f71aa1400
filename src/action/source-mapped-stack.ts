import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// A frame's location: `at fn (file:///…/dist/20.index.js:12:5)`, `at async file:///…/index.js:3:1`.
const FRAME = /^(\s*at (?:async )?(?:.+? \()?)((?:file:\/\/|\/)[^()]+?):(\d+):(\d+)(\)?)$/;

const maps = new Map<string, { map: SourceMap; dir: string } | undefined>();

/**
 * An unexpected error's stack with every bundle frame pointing at the TypeScript source, read
 * from the `.map` file beside the bundle file, and only then: Node's own source-map support
 * (`--enable-source-maps`, `process.setSourceMapsEnabled`) indexes every file the moment it
 * loads, which costs each run a twentieth of its start for a stack that is rarely printed.
 * Frames without a map (Node's own, a test's) are left as they are.
 */
export function sourceMappedStack(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const stack = error.stack ?? error.message;
  return stack
    .split('\n')
    .map((line) => {
      const frame = FRAME.exec(line);
      if (!frame) return line;
      const [, before, location, lineText, columnText, after] = frame as unknown as [string, string, string, string, string, string];
      const file = location.startsWith('file://') ? fileURLToPath(location) : location;
      const source = mapOf(file);
      if (!source) return line;
      const origin = source.map.findOrigin(Number(lineText), Number(columnText));
      if (!('fileName' in origin)) return line;
      return `${before}${resolve(source.dir, origin.fileName)}:${origin.lineNumber}:${origin.columnNumber}${after}`;
    })
    .join('\n');
}

function mapOf(file: string): { map: SourceMap; dir: string } | undefined {
  if (maps.has(file)) return maps.get(file);
  let found: { map: SourceMap; dir: string } | undefined;
  try {
    const path = `${file}.map`;
    if (existsSync(path)) {
      const payload = JSON.parse(readFileSync(path, 'utf8')) as ConstructorParameters<typeof SourceMap>[0];
      found = { map: new SourceMap(payload), dir: resolve(dirname(path), payload.sourceRoot || '') };
    }
  } catch {
    // An unreadable map leaves the frame as the bundle names it.
  }
  maps.set(file, found);
  return found;
}
