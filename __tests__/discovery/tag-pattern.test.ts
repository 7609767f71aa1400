import { describe, expect, it } from 'vitest';
import { chartNameOf, previousTag, splitTag } from '../../src/discovery/tag-pattern.js';

describe('release tags', () => {
  it.each([
    ['v1.2.3', '', 'v1.2.3'],
    ['1.2.3', '', '1.2.3'],
    ['mychart-1.2.3', 'mychart-', '1.2.3'],
    ['cert-manager-v1.19.1', 'cert-manager-', 'v1.19.1'],
    ['app-2-1.0.0', 'app-2-', '1.0.0'],
    ['k8s-app-0.10.0-rc.1', 'k8s-app-', '0.10.0-rc.1'],
    ['release/v2.0.0+build.7', 'release/', 'v2.0.0+build.7'],
    // The version is the longest suffix that has the form, not the shortest.
    ['x10.0.0', 'x', '10.0.0'],
    ['app-1.0.0-2.0.0', 'app-', '1.0.0-2.0.0'],
    // One or two numeric parts, as Helm reads versions, when no three-part suffix exists.
    ['v1.2', '', 'v1.2'],
    ['chart-v2', 'chart-', 'v2'],
    ['v01.2.3', '', 'v01.2.3'],
  ])('%s is prefix %j at version %s', (tag, prefix, version) => {
    expect(splitTag(tag)).toMatchObject({ tag, prefix, version });
  });

  it.each(['nightly', 'v1.2.3.4x', '1.2.3-01', 'v1.2.3-'])('%s carries no version Helm accepts', (tag) => {
    expect(splitTag(tag)).toBeUndefined();
  });

  it('orders by SemVer precedence, not as text, within the same prefix', () => {
    const tags = ['v1.2.0', 'v1.9.0', 'v1.10.0', 'v1.11.0', 'v2.0.0', 'x1.9.5', 'chart-1.9.9', 'nightly'];
    expect(previousTag(splitTag('v1.10.0')!, tags)?.tag).toBe('v1.9.0');
    expect(previousTag(splitTag('v2.0.0')!, tags)?.tag).toBe('v1.11.0');
    expect(previousTag(splitTag('v1.2.0')!, tags)).toBeUndefined();
  });

  it('counts pre-releases, and ignores build metadata in precedence', () => {
    const tags = ['v1.0.0', 'v1.1.0-rc.1', 'v1.1.0-rc.2', 'v1.1.0+meta'];
    expect(previousTag(splitTag('v1.1.0')!, tags)?.tag).toBe('v1.1.0-rc.2');
    expect(previousTag(splitTag('v1.1.0-rc.2')!, tags)?.tag).toBe('v1.1.0-rc.1');
  });

  it('orders v-prefixed and short versions as Helm does, in one series with the plain ones', () => {
    const tags = ['v1.9', '1.10.0', 'v2', 'v1.10.1-rc.1', 'mychart-v1.0.0'];
    expect(previousTag(splitTag('v1.10.1')!, tags)?.tag).toBe('v1.10.1-rc.1');
    expect(previousTag(splitTag('v1.10.0')!, tags)?.tag).toBe('v1.9');
    expect(previousTag(splitTag('3.0.0')!, tags)?.tag).toBe('v2');
    expect(previousTag(splitTag('mychart-1.1.0')!, tags)?.tag).toBe('mychart-v1.0.0');
  });

  it('reads <name>-<version> as a chart name', () => {
    expect(chartNameOf(splitTag('my-chart-1.0.0')!)).toBe('my-chart');
    expect(chartNameOf(splitTag('cert-manager-v1.19.1')!)).toBe('cert-manager');
    expect(chartNameOf(splitTag('v1.0.0')!)).toBeUndefined();
    expect(chartNameOf(splitTag('-1.0.0')!)).toBeUndefined();
  });
});
