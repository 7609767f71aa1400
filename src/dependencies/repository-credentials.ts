import { sameRegistry, type Credential, type CredentialResolver } from '../oci/credentials.js';
import type { Logger } from '../shared/logger.js';
import { trimTrailing } from '../shared/trim.js';

/**
 * Credentials for dependency repositories by URL prefix (the `dependency-credentials` input:
 * one `<URL prefix> <username>:<password>` per line). Structurally the action's
 * DependencyCredential, so its parsed input can be passed as it is.
 */
export interface RepositoryCredential {
  /** e.g. `https://charts.example.com/private` or `oci://registry.example.com/team`. */
  prefix: string;
  username: string;
  password: string;
}

/**
 * True when `prefix` covers `url`: same scheme and host (port included), and the path equal to
 * the prefix's path or below it at a `/` boundary, so `https://h/private` covers
 * `https://h/private/stable` but not `https://h/private-other`. Queries are ignored.
 */
export function prefixCovers(prefix: string, url: string): boolean {
  const p = parseUrl(prefix);
  const u = parseUrl(url);
  if (!p || !u || p.protocol !== u.protocol || p.host !== u.host) return false;
  const base = trimTrailing(p.pathname, '/');
  const path = u.pathname;
  return base === '' || path === base || path.startsWith(`${base}/`);
}

/** The credential whose prefix covers `url`; the longest prefix wins. */
export function credentialFor(url: string, credentials: readonly RepositoryCredential[]): RepositoryCredential | undefined {
  let best: RepositoryCredential | undefined;
  for (const credential of credentials) {
    if (!prefixCovers(credential.prefix, url)) continue;
    if (!best || pathLength(credential.prefix) > pathLength(best.prefix)) best = credential;
  }
  return best;
}

/**
 * The credential resolver for oci:// dependencies: an `oci://` line of `dependency-credentials`
 * for the host first, then the stores the push uses (Helm and Docker config, the target's
 * inputs, the GitHub token). Registries authenticate per host (helm-oci.md §3.9, §3.11), so an
 * `oci://` prefix applies to its whole host; the first line for a host wins.
 */
export function withRepositoryCredentials(
  base: CredentialResolver | undefined,
  credentials: readonly RepositoryCredential[],
  logger: Logger,
): CredentialResolver {
  // The client asks for the API host (`registry-1.docker.io` for `oci://docker.io/…`), so hosts
  // are compared as credential stores compare them.
  const forHost = (host: string) =>
    credentials.find((c) => {
      const url = parseUrl(c.prefix);
      return url?.protocol === 'oci:' && sameRegistry(url.host, host);
    });
  return {
    async resolve(host: string): Promise<Credential | undefined> {
      const line = forHost(host);
      if (line && line.password) {
        logger.mask(line.password);
        logger.debug(`credentials for ${host}: dependency-credentials line for ${line.prefix}`);
        return {
          ...(line.username ? { username: line.username } : {}),
          password: line.password,
          source: `the dependency-credentials line for ${line.prefix}`,
        };
      }
      return base?.resolve(host);
    },
    describe(host: string): string {
      const places = ['dependency-credentials (oci:// lines)'];
      if (base) places.push(base.describe(host));
      return places.join(', ');
    },
  };
}

function parseUrl(text: string): { protocol: string; host: string; pathname: string } | undefined {
  try {
    const url = new URL(text);
    // WHATWG URL lowercases the host of http(s) only; oci:// keeps it as written.
    return { protocol: url.protocol, host: url.host.toLowerCase(), pathname: url.pathname };
  } catch {
    return undefined;
  }
}

function pathLength(prefix: string): number {
  return trimTrailing(parseUrl(prefix)?.pathname ?? '', '/').length;
}
