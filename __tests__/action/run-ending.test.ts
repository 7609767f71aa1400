import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRunEnding, describeDeadline } from '../../src/action/run-ending.js';
import type { ChartOutcome } from '../../src/publish/report.js';
import { startDeadline } from '../../src/shared/deadline.js';
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

  it("prints the failure as every log line: an input's terminal escapes shown, a legacy command broken up", async () => {
    const ending = createRunEnding({ summary: () => true });
    await ending.fail('Input "charts": "x\u001b[2J\u001b[31mevil ##[stop-commands]tok" is not a chart folder');
    const line = logged.find((l) => l.startsWith('::error::')) ?? '';
    expect(line).toBe('::error::Input "charts": "x\\u001b[2J\\u001b[31mevil # #[stop-commands]tok" is not a chart folder\n');
    expect(readFileSync(summaryFile, 'utf8')).not.toContain('\u001b');
  });

  it('writes a failure summary when no summary tells the failure', async () => {
    const ending = createRunEnding({ summary: () => true });
    await ending.fail('The run was stopped: input "timeout": 1 minute(s)');
    expect(readFileSync(summaryFile, 'utf8')).toContain('❌ The run was stopped');
  });
});

describe('the message at the deadline', () => {
  it('counts as not finished only the charts the deadline stopped, not those that failed before', async () => {
    const deadline = startDeadline(1, 'input "timeout": 1 minute(s)');
    await deadline.reached;
    const limit = `the run's time limit (input "timeout": 1 minute(s)) was reached`;
    const chart = (name: string, reason: string): ChartOutcome => ({
      name,
      version: '1.0.0',
      path: `charts/${name}`,
      reference: '',
      tag: '',
      status: 'failed',
      reason,
    });
    const message = describeDeadline(deadline, {
      dryRun: false,
      registry: 'oci://r/acme',
      deleted: [],
      charts: [
        chart('invalid', 'Chart.yaml: version is required'),
        chart('stopped', `not started: ${limit}`),
        chart('in-flight', `Request stopped: ${limit} (PUT http://r/v2/acme/in-flight/manifests/1.0.0)`),
      ],
    });
    expect(message).toContain(`The run was stopped: ${limit}`);
    expect(message).toContain('2 of 3 chart(s) not finished (stopped, in-flight)');
  });
});
