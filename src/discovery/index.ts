// Chart discovery's public surface: which charts a run selects, and why.
export type { ChangeRequest, ChangedFile, CompareApi, CompareResult } from './change-request.js';
export type { BaseCommit } from './changed-files.js';
export {
  describeReason,
  discoverCharts,
  type DeletedChart,
  type DiscoverOptions,
  type Discovery,
  type SelectedChart,
  type SelectionReason,
} from './discover-charts.js';
export { excludeCharts, parseExclude } from './exclude-rules.js';
export { explicitCharts } from './explicit-charts.js';
export { GitError } from './git-client.js';
export { findVersionBumpProblems, type VersionBumpOptions } from './version-bump.js';
