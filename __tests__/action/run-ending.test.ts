import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRunEnding } from '../../src/action/run-ending.js';
import { tempDir } from '../support/temp-workspace.js';

describe('how a run ends', () => {
  let summaryFile: string;
  let outputFile: string;
  let logged: string[];

  beforeEach(() => {
    const dir = tempDir();
    summaryFile = join(dir, 'summary.md');
    outputFile = join(dir, 'output');
    writeFileSync(summaryFile, '');
    writeFileSync(outputFile, '');
    vi.stubEnv('GITHUB_STEP_SUMMARY', summaryFile);
    vi.stubEnv('GITHUB_OUTPUT', outputFile);
    logged = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    process.exitCode = undefined;
  });

  it('fails the step once: a later failure is logged, the first message and summary stand', async () => {
    const ending = createRunEnding({ summary: () => true });
    await ending.fail('2 chart(s) failed', { summaryWritten: true });
    await ending.fail('Unexpected error (please report it): a crash after the run');
    expect(process.exitCode).toBe(1);
    expect(logged.filter((line) => line.startsWith('::error::'))).toEqual([
      '::error::2 chart(s) failed\n',
      '::error::Unexpected error (please report it): a crash after the run\n',
    ]);
    // The run's own summary told the failure: no failure summary is added, not even the crash's.
    expect(readFileSync(summaryFile, 'utf8')).toBe('');
    // Outputs are written even when the run wrote none, so that fromJSON(outputs.charts) works.
    expect(readFileSync(outputFile, 'utf8')).toContain('charts<<');
  });

  it('writes a failure summary when no summary tells the failure', async () => {
    const ending = createRunEnding({ summary: () => true });
    await ending.fail('The run was stopped: input "timeout": 1 minute(s)');
    expect(readFileSync(summaryFile, 'utf8')).toContain('❌ The run was stopped');
  });
});
