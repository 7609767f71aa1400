import { describe, expect, it } from 'vitest';
import { createGithubCompare } from '../../src/action/github-compare.js';
import { DomainError } from '../../src/shared/errors.js';

describe('createGithubCompare', () => {
  it.each(['', 'octocat', 'octocat/', '/hello-world', 'octocat/hello-world/extra'])(
    'GITHUB_REPOSITORY "%s" is a user error that names the expected form',
    (repository) => {
      const attempt = () => createGithubCompare({ token: 'token', repository });
      expect(attempt).toThrow(DomainError);
      expect(attempt).toThrow(`GITHUB_REPOSITORY is "${repository}", expected "owner/name" (e.g. octocat/hello-world)`);
    },
  );

  it('accepts owner/name', () => {
    const api = createGithubCompare({ token: 'token', repository: 'octocat/hello-world' });
    expect(typeof api.compare).toBe('function');
    expect(typeof api.tags).toBe('function');
  });
});
