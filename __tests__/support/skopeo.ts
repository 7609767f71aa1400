import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireTool, type TestRegistry } from './registry.js';

/**
 * The real skopeo as an independent verifier of what our client pushed (registry-testbed.md §3),
 * with the TLS and credential flags the registry's mode needs. References are relative to the
 * registry: `charts/demo:0.1.0` or `charts/demo@sha256:…`.
 */
export interface Skopeo {
  /** The manifest bytes exactly as stored (`inspect --raw`). */
  inspectRaw(reference: string): Promise<Buffer>;
  /** The config blob (`inspect --raw --config`). */
  inspectConfigRaw(reference: string): Promise<Buffer>;
  /**
   * `skopeo copy` into an OCI layout; skopeo digest-checks every blob on the way. Returns the
   * manifest digest recorded in the layout's index.json.
   */
  copyToOciLayout(reference: string, dir: string): Promise<string>;
  listTags(repository: string): Promise<string[]>;
}

const run = promisify(execFile);

export function skopeoFor(registry: Pick<TestRegistry, 'host' | 'mode' | 'certDir' | 'username' | 'password'>): Skopeo {
  const skopeo = requireTool('skopeo');
  const tls = registry.mode === 'tls' || registry.mode === 'tls-htpasswd';
  const creds = registry.username && registry.password ? `${registry.username}:${registry.password}` : undefined;
  // One flag set per direction: `inspect`/`list-tags` use the plain names, `copy` the --src- ones.
  const flags = (prefix: '' | 'src-') => [
    ...(tls ? [`--${prefix}cert-dir`, registry.certDir ?? ''] : [`--${prefix}tls-verify=false`]),
    ...(creds ? [`--${prefix}creds`, creds] : []),
  ];
  const exec = async (args: string[]): Promise<Buffer> => {
    try {
      const { stdout } = await run(skopeo, args, { encoding: 'buffer', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
      return stdout;
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new Error(`skopeo ${args[0]} failed: ${stderr.trim() || (error as Error).message}`, { cause: error });
    }
  };
  const docker = (reference: string) => `docker://${registry.host}/${reference}`;
  return {
    inspectRaw: (reference) => exec(['inspect', '--raw', ...flags(''), docker(reference)]),
    inspectConfigRaw: (reference) => exec(['inspect', '--raw', '--config', ...flags(''), docker(reference)]),
    async copyToOciLayout(reference, dir) {
      await exec(['copy', '--quiet', ...flags('src-'), docker(reference), `oci:${dir}:copied`]);
      const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
      const digest = index.manifests[0]?.digest;
      if (!digest) throw new Error(`skopeo copy wrote no manifest into ${dir}/index.json`);
      return digest;
    },
    async listTags(repository) {
      const out = await exec(['list-tags', ...flags(''), docker(repository)]);
      return (JSON.parse(out.toString('utf8')) as { Tags: string[] }).Tags;
    },
  };
}
