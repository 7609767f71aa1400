import { describe, expect, it } from 'vitest';
import { limitErrorAnnotations } from '../../src/action/annotation-limit.js';
import { failureMessage } from '../../src/action/failure-message.js';
import type { ChartOutcome, RunReport } from '../../src/publish/report.js';
import { MemoryLogger } from '../support/memory-logger.js';

function report(failed: number, passed: number, reason: (i: number) => string): RunReport {
  const charts: ChartOutcome[] = [];
  for (let i = 0; i < failed; i++) {
    charts.push({
      name: `chart-${i}`,
      version: '1.0.0',
      path: `charts/c${i}`,
      reference: '',
      tag: '',
      status: 'failed',
      reason: reason(i),
    });
  }
  for (let i = 0; i < passed; i++) {
    charts.push({ name: `ok-${i}`, version: '1.0.0', path: `charts/ok${i}`, reference: '', tag: '', status: 'skipped' });
  }
  return { dryRun: false, registry: 'oci://r/ns', charts, deleted: [], blocked: 'nothing was pushed: because' };
}

describe('the final error line', () => {
  it('names every failed chart when there are few, with its reason', () => {
    expect(failureMessage(report(2, 1, (i) => `reason ${i}`))).toBe(
      '2 of 3 chart(s) failed: chart-0: reason 0; chart-1: reason 1. Nothing was pushed: because.',
    );
  });

  it('stays under 2,000 characters with 110 long reasons, naming 10 and "… and 100 more"', () => {
    const message = failureMessage(
      report(110, 10, (i) => `charts/c${i}/Chart.yaml:4: ${'a very long reason '.repeat(50)}`),
      100,
    );
    expect(message.length).toBeLessThan(2000);
    expect(message).toMatch(/^110 of 120 chart\(s\) failed: chart-0: charts\/c0\/Chart\.yaml:4: a very long/);
    expect(message).toContain('chart-9: ');
    expect(message).not.toContain('chart-10: ');
    expect(message).toContain('; … and 100 more.');
    expect(message).toContain('100 more error(s) were not annotated. Every chart and its full reason is in the job summary');
  });

  it('is cut below 2,000 characters whatever the names', () => {
    const huge = report(10, 0, () => 'x');
    for (const chart of huge.charts) chart.name = 'n'.repeat(500);
    expect(failureMessage(huge).length).toBeLessThan(2000);
  });
});

describe('the error annotation limit', () => {
  it('annotates the first 10 errors on their lines, logs the others as plain lines and counts them', () => {
    const inner = new MemoryLogger();
    const logger = limitErrorAnnotations(inner);
    for (let i = 1; i <= 13; i++) logger.error(`problem ${i}`, { file: `charts/c${i}/Chart.yaml`, line: 3 });
    logger.warning('a warning stays a warning');
    expect(inner.entries.filter((e) => e.level === 'error')).toHaveLength(10);
    expect(inner.entries.filter((e) => e.level === 'error').at(-1)).toMatchObject({
      message: 'problem 10',
      where: { file: 'charts/c10/Chart.yaml' },
    });
    expect(inner.lines).toContain('info: Error (not annotated, 10 already are): charts/c13/Chart.yaml:3: problem 13');
    expect(inner.entries.filter((e) => e.level === 'warning')).toHaveLength(1);
    expect(logger.suppressed()).toBe(3);
  });
});
