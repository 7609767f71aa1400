import type { SerializedBundle } from '@sigstore/bundle';
import { SigstoreError } from './sigstore-error.js';
import { trimTrailing } from '../shared/trim.js';

/**
 * GitHub's attestations API (REST "Create an attestation": POST
 * /repos/{owner}/{repo}/attestations with `{"bundle": …}`), where `gh attestation verify` finds
 * attestations without the registry. Needs `permissions: attestations: write` and the token.
 */

export interface AttestationsApi {
  /** Stores the bundle; returns the attestation id. */
  store(bundle: SerializedBundle): Promise<string>;
}

export function attestationsApi(options: { apiUrl: string; repository: string; token: string; fetch?: typeof fetch }): AttestationsApi {
  const doFetch = options.fetch ?? fetch;
  return {
    async store(bundle) {
      const url = `${trimTrailing(options.apiUrl, '/')}/repos/${options.repository}/attestations`;
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${options.token}`,
            accept: 'application/vnd.github+json',
            'content-type': 'application/json',
            'x-github-api-version': '2022-11-28',
          },
          body: JSON.stringify({ bundle }),
        });
      } catch (error) {
        throw new SigstoreError(`cannot reach GitHub's attestations API at ${new URL(url).origin}`, { cause: error });
      }
      const text = await response.text();
      if (!response.ok) {
        const hint = response.status === 403 || response.status === 404 ? ': give the job `permissions: attestations: write`' : '';
        throw new SigstoreError(`GitHub's attestations API answered ${response.status}${hint}`);
      }
      try {
        const id = (JSON.parse(text) as { id?: unknown }).id;
        return typeof id === 'number' || typeof id === 'string' ? String(id) : '';
      } catch {
        return '';
      }
    },
  };
}
