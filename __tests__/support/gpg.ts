import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Real GnuPG for provenance tests: a throw-away GNUPGHOME, keys made by `gpg` the way users
 * make them (gpg 2.2), exports in the forms an action secret or a
 * Helm keyring holds, and `gpgv` as the independent verifier. The gpg-agent a home starts is
 * killed in dispose() so that no test leaves a daemon behind.
 */

const INSTALL_HINT = 'gpg and gpgv are required for the provenance tests: apt-get install -y gnupg';

export type KeyUsage = 'sign' | 'cert' | 'encr';

export interface KeyOptions {
  name: string;
  email: string;
  /** A gpg algorithm name: rsa3072, rsa2048, rsa1024, ed25519, nistp256, … */
  algorithm: string;
  /** Protects the secret key; undefined leaves it unprotected. */
  passphrase?: string | undefined;
  /** Capability of the primary key (gpg adds certify to every primary). Default: sign. */
  usage?: KeyUsage | undefined;
  /** gpg expiry spec ('1d', '2y', 'never'). Default: 1d, so that nothing made here outlives the test. */
  expire?: string | undefined;
  /** Makes gpg believe it is this time (`--faked-system-time`), e.g. '20200101T000000'. */
  at?: string | undefined;
}

export interface GeneratedKey {
  uid: string;
  email: string;
  /** 40 upper-case hex digits. */
  fingerprint: string;
  /** The long key id: the last 16 hex digits of the fingerprint. */
  keyId: string;
  passphrase: string | undefined;
}

export interface GpgResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export class GpgHome {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** A fresh GNUPGHOME; fails with an install hint when gpg or gpgv is missing. */
  static create(): GpgHome {
    for (const tool of ['gpg', 'gpgv', 'gpgconf']) {
      try {
        execFileSync(tool, ['--version'], { stdio: 'ignore' });
      } catch {
        throw new Error(`${tool} not found. ${INSTALL_HINT}`);
      }
    }
    // Short path: the agent's socket lives inside GNUPGHOME and sockets have a ~100 byte limit.
    const dir = mkdtempSync(join(tmpdir(), 'ocp-gpg-'));
    return new GpgHome(dir);
  }

  async generateKey(options: KeyOptions): Promise<GeneratedKey> {
    const uid = `${options.name} <${options.email}>`;
    const result = await this.gpg(
      [
        ...this.passphraseArgs(options.passphrase),
        ...timeArgs(options.at),
        '--status-fd',
        '1',
        '--quick-generate-key',
        uid,
        options.algorithm,
        options.usage ?? 'sign',
        options.expire ?? '1d',
      ],
      'generate a key',
    );
    const created = /^\[GNUPG:\] KEY_CREATED [PB] ([0-9A-F]{40})/m.exec(result.stdout);
    if (!created?.[1]) throw new Error(`gpg did not report the new key:\n${result.stdout}\n${result.stderr}`);
    const fingerprint = created[1];
    return { uid, email: options.email, fingerprint, keyId: fingerprint.slice(-16), passphrase: options.passphrase };
  }

  async addSubkey(key: GeneratedKey, algorithm: string, usage: KeyUsage, expire = '1d'): Promise<void> {
    await this.gpg([...this.passphraseArgs(key.passphrase), '--quick-add-key', key.fingerprint, algorithm, usage, expire], 'add a subkey');
  }

  /** The subkeys of a key as gpg lists them: fingerprint and capabilities (e.g. 's', 'e'). */
  async subkeys(key: GeneratedKey): Promise<Array<{ fingerprint: string; keyId: string; capabilities: string }>> {
    const listing = await this.gpg(['--with-colons', '--list-keys', key.fingerprint], 'list the key');
    const found: Array<{ fingerprint: string; keyId: string; capabilities: string }> = [];
    let capabilities: string | undefined;
    for (const line of listing.stdout.split('\n')) {
      const fields = line.split(':');
      if (fields[0] === 'sub') capabilities = fields[11] ?? '';
      else if (fields[0] === 'fpr' && capabilities !== undefined) {
        const fingerprint = fields[9] ?? '';
        found.push({ fingerprint, keyId: fingerprint.slice(-16), capabilities });
        capabilities = undefined;
      }
    }
    return found;
  }

  /** Revokes the key with the revocation certificate gpg wrote when it generated the key. */
  async revoke(key: GeneratedKey): Promise<void> {
    const certificate = readFileSync(join(this.dir, 'openpgp-revocs.d', `${key.fingerprint}.rev`), 'utf8');
    // gpg prefixes the armor line with ':' so that the certificate is not imported by accident.
    const file = join(this.dir, `${key.fingerprint}.rev.asc`);
    writeFileSync(file, certificate.replace(/^:-----BEGIN/m, '-----BEGIN'));
    await this.gpg(['--import', file], 'import the revocation certificate');
  }

  /**
   * What a repository secret would hold: `gpg --armor --export-secret-keys` of one key, or of
   * several in one armored block (they must share the passphrase, if any).
   */
  async exportSecretKey(key: GeneratedKey | readonly GeneratedKey[], options: { subkeysOnly?: boolean } = {}): Promise<string> {
    const keys = Array.isArray(key) ? key : [key as GeneratedKey];
    const command = options.subkeysOnly ? '--export-secret-subkeys' : '--export-secret-keys';
    const result = await this.gpg(
      [...this.passphraseArgs(keys[0]?.passphrase), '--armor', command, ...keys.map((k) => k.fingerprint)],
      'export the secret key',
    );
    return result.stdout;
  }

  /** The legacy binary secret keyring Helm's --keyring wants (`gpg --export-secret-keys > secring.gpg`). */
  async exportSecretKeyring(key: GeneratedKey): Promise<Buffer> {
    return this.gpgBinary([...this.passphraseArgs(key.passphrase), '--export-secret-keys', key.fingerprint]);
  }

  async exportPublicKey(key: GeneratedKey): Promise<string> {
    return (await this.gpg(['--armor', '--export', key.fingerprint], 'export the public key')).stdout;
  }

  /** A binary public keyring (`gpg --export > pubring.gpg`); returns its absolute path. */
  async exportPublicKeyring(keys: readonly GeneratedKey[], fileName = 'pubring.gpg'): Promise<string> {
    const bytes = await this.gpgBinary(['--export', ...keys.map((k) => k.fingerprint)]);
    const file = join(this.dir, fileName);
    writeFileSync(file, bytes);
    return file;
  }

  /**
   * A binary keyring file from armored or binary key data (gpgv reads binary keyrings only);
   * returns its absolute path.
   */
  async keyringFrom(material: string | Uint8Array, fileName: string): Promise<string> {
    const file = join(this.dir, fileName);
    if (typeof material === 'string') {
      const armored = join(this.dir, `${fileName}.asc`);
      writeFileSync(armored, material);
      await this.gpg(['--output', file, '--dearmor', armored], 'dearmor the key');
    } else {
      writeFileSync(file, material);
    }
    return file;
  }

  /** `gpgv --keyring <abs path> <file>`; gpgv looks a name without a slash up in GNUPGHOME. */
  gpgv(keyringPath: string, signedFile: string): Promise<GpgResult> {
    return run('gpgv', ['--homedir', this.dir, '--keyring', keyringPath, signedFile], this.env());
  }

  /** `gpg --verify` against this home's keys. */
  verify(signedFile: string): Promise<GpgResult> {
    return run('gpg', ['--homedir', this.dir, '--batch', '--verify', signedFile], this.env());
  }

  /** Lists the packets of a file (`gpg --list-packets`), e.g. to read a signature's digest algorithm. */
  async listPackets(file: string): Promise<string> {
    return (await run('gpg', ['--homedir', this.dir, '--batch', '--list-packets', file], this.env())).stdout;
  }

  /** Kills the agent this home started and removes the home. */
  dispose(): void {
    try {
      execFileSync('gpgconf', ['--homedir', this.dir, '--kill', 'all'], { stdio: 'ignore', env: this.env() });
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private env(): NodeJS.ProcessEnv {
    return { ...process.env, GNUPGHOME: this.dir, LC_ALL: 'C', LANGUAGE: 'C' };
  }

  private passphraseArgs(passphrase: string | undefined): string[] {
    return ['--pinentry-mode', 'loopback', '--passphrase', passphrase ?? ''];
  }

  private async gpg(args: readonly string[], what: string): Promise<GpgResult> {
    const result = await run('gpg', ['--homedir', this.dir, '--batch', '--yes', ...args], this.env());
    if (result.exitCode !== 0) throw new Error(`gpg could not ${what} (exit ${result.exitCode}):\n${result.stderr}`);
    return result;
  }

  private gpgBinary(args: readonly string[]): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      execFile(
        'gpg',
        ['--homedir', this.dir, '--batch', '--yes', ...args],
        { env: this.env(), encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`gpg ${args.join(' ')} failed: ${stderr.toString('utf8')}`));
          else resolve(stdout);
        },
      );
    });
  }
}

function timeArgs(at: string | undefined): string[] {
  // The trailing '!' freezes the clock, so signatures and expiry are computed from that instant.
  return at === undefined ? [] : ['--faked-system-time', `${at}!`];
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<GpgResult> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(new Error(`${command} could not be started (${error.message}). ${INSTALL_HINT}`));
        return;
      }
      resolve({ exitCode: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}
