import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../src/action/event.js';
import { DomainError } from '../../src/shared/errors.js';
import { corpusPath } from '../support/corpus.js';

/** The real webhook payloads of __tests__/corpus/events (octokit/webhooks examples). */
function payload(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(corpusPath('events', file), 'utf8')) as Record<string, unknown>;
}

const SHA = 'a'.repeat(40);

describe('describeEvent on the corpus payloads', () => {
  it.each([
    'pull_request.opened.payload.json',
    'pull_request.synchronize.payload.json',
    'pull_request.opened.with-null-body.json',
    'pull_request.closed.payload.json',
  ])('%s → merge-base of pull_request.base.sha and head.sha', (file) => {
    const request = describeEvent({ eventName: 'pull_request', payload: payload(file), sha: SHA, ref: 'refs/pull/2/merge' });
    expect(request).toEqual({
      kind: 'merge-base',
      base: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
      head: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      reason: expect.stringMatching(/^pull_request \(pull request #2, \w+\) from changes into master$/),
    });
  });

  it('pull_request_target compares the same commits (never the checked-out base)', () => {
    const request = describeEvent({
      eventName: 'pull_request_target',
      payload: payload('pull_request.opened.payload.json'),
      sha: SHA,
      ref: 'refs/heads/master',
    });
    expect(request).toMatchObject({
      kind: 'merge-base',
      base: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
      head: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
    });
  });

  it('push creating the default branch (with-new-branch) → all charts: a first push', () => {
    const request = describeEvent({
      eventName: 'push',
      payload: payload('push.with-new-branch.payload.json'),
      sha: SHA,
      ref: 'refs/heads/master',
    });
    expect(request).toEqual({
      kind: 'all',
      reason: 'push creating branch master, the default branch itself (a first push): all charts are new',
    });
  });

  it('push creating another branch → branch-point against the default branch', () => {
    const event = { ...payload('push.with-new-branch.payload.json'), ref: 'refs/heads/feature' };
    const request = describeEvent({ eventName: 'push', payload: event, sha: SHA, ref: 'refs/heads/feature' });
    expect(request).toEqual({
      kind: 'branch-point',
      defaultBranch: 'master',
      head: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      reason: 'push creating branch feature',
    });
  });

  it('push creating a branch without a known default branch → all charts', () => {
    const event = { ...payload('push.with-new-branch.payload.json'), ref: 'refs/heads/feature', repository: {} };
    expect(describeEvent({ eventName: 'push', payload: event, sha: SHA, ref: '' })).toMatchObject({ kind: 'all' });
    expect(describeEvent({ eventName: 'push', payload: event, sha: SHA, ref: '', defaultBranch: 'trunk' })).toMatchObject({
      kind: 'branch-point',
      defaultBranch: 'trunk',
    });
  });

  it('push to an existing branch → before..after', () => {
    const event = { ...payload('push.with-new-branch.payload.json'), before: 'b'.repeat(40), created: false };
    expect(describeEvent({ eventName: 'push', payload: event, sha: SHA, ref: 'refs/heads/master' })).toEqual({
      kind: 'range',
      base: 'b'.repeat(40),
      head: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      reason: 'push to master',
    });
  });

  it('push of a tag (derived from with-new-branch, as the corpus README says) → tag', () => {
    const event = { ...payload('push.with-new-branch.payload.json'), ref: 'refs/tags/v1.2.3' };
    expect(describeEvent({ eventName: 'push', payload: event, sha: SHA, ref: 'refs/tags/v1.2.3' })).toEqual({
      kind: 'tag',
      tag: 'v1.2.3',
      head: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      reason: 'push of tag v1.2.3',
    });
  });

  it.each(['push.payload.json', 'push.with-organization.payload.json'])('%s (tag deleted, after all zeros) → none', (file) => {
    expect(describeEvent({ eventName: 'push', payload: payload(file), sha: SHA, ref: 'refs/tags/simple-tag' })).toEqual({
      kind: 'none',
      reason: 'push deleted refs/tags/simple-tag: nothing to publish',
    });
  });

  it.each(['release.published.payload.json', 'release.created.payload.json', 'release.prereleased.payload.json'])(
    '%s → tag from release.tag_name at GITHUB_SHA',
    (file) => {
      expect(describeEvent({ eventName: 'release', payload: payload(file), sha: SHA, ref: 'refs/tags/0.0.1' })).toMatchObject({
        kind: 'tag',
        tag: '0.0.1',
        head: SHA,
      });
    },
  );

  it.each([
    ['release.published.payload.json', 'deleted'],
    ['release.published.payload.json', 'unpublished'],
    ['release.prereleased.payload.json', 'deleted'],
  ])('%s with action %s → none: a release taken down publishes nothing', (file, action) => {
    const event = { ...payload(file), action };
    expect(describeEvent({ eventName: 'release', payload: event, sha: SHA, ref: 'refs/tags/0.0.1' })).toEqual({
      kind: 'none',
      reason: `release 0.0.1 ${action}: nothing to publish`,
    });
  });

  it('create of a tag → tag; delete → none', () => {
    expect(
      describeEvent({ eventName: 'create', payload: payload('create.payload.json'), sha: SHA, ref: 'refs/tags/simple-tag' }),
    ).toMatchObject({
      kind: 'tag',
      tag: 'simple-tag',
      head: SHA,
    });
    expect(describeEvent({ eventName: 'delete', payload: payload('delete.payload.json'), sha: SHA, ref: 'refs/heads/master' })).toEqual({
      kind: 'none',
      reason: 'delete of tag simple-tag: nothing to publish',
    });
  });

  it('workflow_dispatch and schedule → all charts', () => {
    expect(
      describeEvent({
        eventName: 'workflow_dispatch',
        payload: payload('workflow_dispatch.payload.json'),
        sha: SHA,
        ref: 'refs/heads/master',
      }),
    ).toMatchObject({
      kind: 'all',
      reason: expect.stringContaining('workflow_dispatch publishes all charts'),
    });
    expect(describeEvent({ eventName: 'schedule', payload: { schedule: '0 0 * * *' }, sha: SHA, ref: 'refs/heads/main' })).toMatchObject({
      kind: 'all',
    });
  });

  it("the base input overrides every event, keeping the event's head", () => {
    expect(
      describeEvent({
        eventName: 'workflow_dispatch',
        payload: payload('workflow_dispatch.payload.json'),
        sha: SHA,
        ref: 'refs/heads/master',
        base: ' v1.0.0 ',
      }),
    ).toEqual({
      kind: 'range',
      base: 'v1.0.0',
      head: SHA,
      reason: 'input "base" v1.0.0 (instead of what the workflow_dispatch event compares)',
    });
    expect(
      describeEvent({ eventName: 'pull_request', payload: payload('pull_request.opened.payload.json'), sha: SHA, ref: '', base: 'main~3' }),
    ).toMatchObject({
      kind: 'range',
      base: 'main~3',
      head: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
    });
    expect(
      describeEvent({ eventName: 'push', payload: payload('push.with-new-branch.payload.json'), sha: SHA, ref: '', base: '' }),
    ).toMatchObject({ kind: 'all' });
  });

  it('merge_group → merge-base of base_sha and head_sha', () => {
    const event = { merge_group: { base_sha: 'b'.repeat(40), head_sha: 'c'.repeat(40), base_ref: 'refs/heads/main' } };
    expect(describeEvent({ eventName: 'merge_group', payload: event, sha: SHA, ref: '' })).toEqual({
      kind: 'merge-base',
      base: 'b'.repeat(40),
      head: 'c'.repeat(40),
      reason: 'merge_group into refs/heads/main',
    });
  });

  it('an unknown event → all charts, saying so', () => {
    expect(describeEvent({ eventName: 'workflow_run', payload: {}, sha: SHA, ref: '' })).toEqual({
      kind: 'all',
      reason: 'the workflow_run event says nothing about what changed, so all charts are selected',
    });
  });

  it('a payload that lacks what its event must carry fails with the field named', () => {
    expect(() => describeEvent({ eventName: 'pull_request', payload: {}, sha: SHA, ref: '' })).toThrow(DomainError);
    expect(() => describeEvent({ eventName: 'pull_request', payload: {}, sha: SHA, ref: '' })).toThrow('has no pull_request.base.sha');
  });
});
