import * as core from './workflow-commands.js';
import type { RunReport } from '../publish/report.js';
import type { RunDeadline } from '../shared/deadline.js';
import { describeError } from '../shared/errors.js';
import { safeLogText } from '../shared/log-sanitizer.js';
import { writeFailureSummary, writeOutputs } from './outputs.js';
import { sourceMappedStack } from './source-mapped-stack.js';

/**
 * How a run ends, whatever ends it: the outputs (valid JSON, so that `fromJSON(outputs.charts)`
 * never breaks a later step), the summary and the failed step, written exactly once — by the
 * run itself, at its deadline, or by the process-level handlers when something escapes the
 * run (an uncaught exception, an unhandled rejection, a promise nobody will ever settle).
 */
export interface RunEnding {
  /** Writes the outputs of the run's report; later calls and failures keep them. */
  outputs(report: RunReport): void;
  /**
   * Fails the step: outputs (empty, unless written), setFailed, and a failure summary unless
   * the run's own summary, already written, tells the failure.
   */
  fail(message: string, options?: { summaryWritten?: boolean }): Promise<void>;
  /** Marks the run as finished (no handler acts after this, except for a crash). */
  finished(): void;
  /** Installs the process-level handlers; returns their removal. */
  guardProcess(): () => void;
}

const EMPTY_REPORT: RunReport = { dryRun: false, registry: '', charts: [], deleted: [] };
// After a crash, the time the summary gets to be written before the process exits.
const CRASH_EXIT_MS = 2_000;

export function createRunEnding(options: { summary: () => boolean }): RunEnding {
  let outputsWritten = false;
  let failed = false;
  let finished = false;

  const ending: RunEnding = {
    outputs(report) {
      writeOutputs(report);
      outputsWritten = true;
    },
    async fail(text, { summaryWritten = false } = {}) {
      // The message can quote anything: an input's value, a path, a server's words, a command
      // line, Node's own error text. It is printed as every log line is (log-sanitizer.ts); the
      // summary escapes it for Markdown.
      const message = safeLogText(text);
      if (!outputsWritten) ending.outputs(EMPTY_REPORT);
      if (failed) {
        // A second failure (a crash after the run failed): said, but the first message stands.
        core.error(message);
        return;
      }
      failed = true;
      core.setFailed(message);
      if (options.summary() && !summaryWritten) await writeFailureSummary(text).catch(() => undefined);
    },
    finished() {
      finished = true;
    },
    guardProcess() {
      const crash = (kind: string) => (error: unknown) => {
        core.debug(safeLogText(`${kind}: ${sourceMappedStack(error)}`));
        const exit = setTimeout(() => process.exit(1), CRASH_EXIT_MS);
        exit.unref();
        void ending.fail(`Unexpected error (please report it): ${kind}: ${describeError(error)}`).finally(() => process.exit(1));
      };
      const onException = crash('uncaught exception');
      const onRejection = crash('unhandled rejection');
      // The event loop emptied while the run still waited: whatever it awaited can never settle.
      const onBeforeExit = () => {
        if (finished || failed) return;
        void ending.fail('Unexpected error (please report it): the run stopped waiting for an operation that can never complete');
      };
      process.on('uncaughtException', onException);
      process.on('unhandledRejection', onRejection);
      process.on('beforeExit', onBeforeExit);
      return () => {
        process.off('uncaughtException', onException);
        process.off('unhandledRejection', onRejection);
        process.off('beforeExit', onBeforeExit);
      };
    },
  };
  return ending;
}

/**
 * The message at the deadline: the limit, the charts not finished and what was in flight when
 * it fired (requests, commands), so that the user sees which registry, remote or helper stalled.
 * A chart the deadline stopped says so in its reason; one that failed before (invalid, refused)
 * is not counted as unfinished.
 */
export function describeDeadline(deadline: RunDeadline, report: RunReport | undefined): string {
  const reason = deadline.signal.reason as unknown;
  const limit = reason instanceof Error ? reason.message : undefined;
  const parts = [`The run was stopped: ${limit ?? 'its time limit was reached'}`];
  if (report) {
    const stopped = (c: RunReport['charts'][number]) => c.status === 'failed' && (limit === undefined || (c.reason ?? '').includes(limit));
    const unfinished = report.charts.filter(stopped).map((c) => c.name || c.path);
    if (unfinished.length > 0) {
      const shown = unfinished.slice(0, 10).join(', ') + (unfinished.length > 10 ? `, and ${unfinished.length - 10} more` : '');
      parts.push(`${unfinished.length} of ${report.charts.length} chart(s) not finished (${shown})`);
    }
  }
  const inFlight = deadline.inFlightAtExpiry;
  if (inFlight.length > 0) {
    const shown = inFlight.slice(0, 5).join('; ') + (inFlight.length > 5 ? `; and ${inFlight.length - 5} more` : '');
    parts.push(`Still in flight: ${shown}`);
  }
  parts.push('Nothing more was pushed; raise the "timeout" input if the run needs longer');
  return parts.join('. ');
}
