import { join } from 'node:path';
import { createDependencyBuilder } from '../../src/dependencies/dependency-builder.js';
import { publishOrder } from '../../src/publish/publish-order.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import type { RetryPolicy } from '../../src/oci/retry-policy.js';
import type { RequestEvent } from '../../src/oci/transport.js';
import { registrySteps } from '../../src/publish/push-chart.js';
import { publishCharts, type OnConflict, type OnInvalid, type RunSteps } from '../../src/publish/run.js';
import { createProcessRunner } from '../../src/shared/process-runner.js';
import { MemoryLogger } from './memory-logger.js';

export interface HarnessOptions {
  /** host[:port] of the registry (or of a proxy in front of it). */
  host: string;
  namespace: string;
  dryRun?: boolean;
  onConflict?: OnConflict;
  onInvalid?: OnInvalid;
  concurrency?: number;
  sourceDateEpoch?: string;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  steps?: Partial<RunSteps>;
}

/**
 * Runs the publish engine over a real registry client, recording log lines and HTTP requests.
 * Dependencies are built and charts ordered as the action does, unless `steps` says otherwise.
 */
export async function publishWith(workspace: string, dirs: string[], options: HarnessOptions) {
  const logger = new MemoryLogger();
  const requests: RequestEvent[] = [];
  const onConflict = options.onConflict ?? 'fail';
  const client = new RegistryClient({
    plainHttp: true,
    logger,
    onRequest: (event) => requests.push(event),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  const dependencies = createDependencyBuilder({
    workspace,
    cacheDir: join(workspace, '.out', '.dependencies'),
    logger,
    plainHttpHosts: [options.host],
    run: { target: { registry: options.host, namespace: options.namespace }, charts: dirs },
  });
  const report = await publishCharts(
    dirs,
    {
      workspace,
      target: { registry: options.host, namespace: options.namespace },
      dryRun: options.dryRun ?? false,
      outputDir: join(workspace, '.out'),
      sourceDateEpoch: options.sourceDateEpoch ?? '1700000000',
      concurrency: options.concurrency ?? 4,
      ...(options.onInvalid ? { onInvalid: options.onInvalid } : {}),
    },
    {
      logger,
      git: createProcessRunner(),
      buildDependencies: (chart, path) => dependencies.build(chart, path),
      checkVendored: (chart, path) => dependencies.checkVendored(chart, path),
      order: publishOrder,
      ...registrySteps({ client, onConflict, logger, revision: 'f00dfeed', repositoryUrl: 'https://github.com/acme/charts' }),
      ...options.steps,
    },
  );
  return { report, logger, requests };
}

/** Uploads (POST/PUT/PATCH) among recorded requests. */
export function writes(requests: RequestEvent[]): RequestEvent[] {
  return requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
}
