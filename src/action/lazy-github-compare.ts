import type { CompareApi } from '../discovery/change-request.js';
import type { GithubCompareOptions } from './github-compare.js';

/**
 * The GitHub API client, loaded on its first call: most runs never need it (it is the fallback
 * of shallow clones), so it stays out of the bundle's main chunk and out of the start-up time.
 */
export function lazyGithubCompare(options: GithubCompareOptions): CompareApi {
  let api: Promise<CompareApi> | undefined;
  const load = (): Promise<CompareApi> => (api ??= import('./github-compare.js').then((m) => m.createGithubCompare(options)));
  return {
    compare: async (base, head) => (await load()).compare(base, head),
    tags: async (prefix) => (await load()).tags(prefix),
  };
}
