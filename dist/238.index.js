export const id = 238;
export const ids = [238];
export const modules = {

/***/ 74169:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Mo: () => (/* binding */ signedText),
/* harmony export */   q0: () => (/* binding */ decodeClearsigned),
/* harmony export */   zA: () => (/* binding */ formatClearsigned)
/* harmony export */ });
/**
 * OpenPGP clear-signed framing (RFC 4880 \u00a77) written and read the way Helm's OpenPGP library
 * does: ProtonMail/go-crypto `openpgp/clearsign`, used by Helm \u2265 3.21.4 and Helm 4
 * (../shared/spec/helm-oci.md \u00a72.2). openpgp.js makes the signature packet; the framing is done
 * here because openpgp.js writes CRLF bodies, 60-column armor and would need post-editing anyway
 * (../shared/spec/registry-testbed.md \u00a74), while this way every byte is decided in one place.
 */
/** RFC 4880 \u00a77 and \u00a76.2 markers, as go-crypto writes and expects them (\u00a72.2). */
const BEGIN_SIGNED = '-----BEGIN PGP SIGNED MESSAGE-----';
const BEGIN_SIGNATURE = '-----BEGIN PGP SIGNATURE-----';
const END_SIGNATURE = '-----END PGP SIGNATURE-----';
/** go-crypto armor writes 64 base64 characters per line (\u00a72.2; armor/encode.go). */
const ARMOR_LINE_LENGTH = 64;
/**
 * The only cleartext header go-crypto's Decode accepts is `Hash`, with one of these values;
 * anything else makes Helm report "signature block not found" (\u00a72.2).
 */
const ALLOWED_HASH_NAMES = ['MD5', 'SHA1', 'RIPEMD160', 'SHA224', 'SHA256', 'SHA384', 'SHA512', 'SHA3-256', 'SHA3-512'];
/**
 * One message line as the signature sees it: trailing spaces, tabs and carriage returns are not
 * part of a clear-signed text (RFC 4880 \u00a77.1; go-crypto's dashEscaper drops them).
 */
function canonicalLine(line) {
    return line.replace(/[ \t\r]+$/, '');
}
/**
 * The text a clear-signature covers: the canonical lines joined with CRLF. With go-crypto the
 * final newline of the message is part of it (\u00a72.2, Helm \u2265 3.21.4), which is what makes the
 * empty line before `-----BEGIN PGP SIGNATURE-----`.
 */
function signedText(message) {
    return message.split('\n').map(canonicalLine).join('\r\n');
}
/**
 * The complete clear-signed document, byte for byte as go-crypto's `clearsign.Encode` writes it
 * (\u00a72.2): the `Hash` header (go-crypto omits it for v6 signatures: pass undefined), an empty
 * line, the dash-escaped canonical lines, a newline, then the armored signature with no armor
 * headers (and no CRC-24 line unless GnuPG needs it, see armorSignature), ending with
 * `-----END PGP SIGNATURE-----` and no newline.
 */
function formatClearsigned(message, signature, hashName) {
    const header = hashName === undefined ? '' : `Hash: ${hashName}\n`;
    const body = message
        .split('\n')
        .map(canonicalLine)
        .map((line) => (line.startsWith('-') ? `- ${line}` : line))
        .join('\n');
    return `${BEGIN_SIGNED}\n${header}\n${body}\n${armorSignature(signature)}`;
}
/**
 * The armored signature as go-crypto writes it (no headers, 64 columns, no CRC-24 line, \u00a72.2),
 * with one exception: when the base64 ends without `=` padding, GnuPG 2.2 and 2.4 cannot find
 * the end of armor that has no CRC line (GnuPG bug T7071: they read `-----END\u2026` as base64 and
 * `gpg --verify` fails; openpgp.js re-added the CRC for this reason, openpgpjs PR #1741). Then the
 * CRC line is written: RFC 4880 \u00a76 allows it, and both of Helm's decoders accept it (Helm \u2264 3.21.3
 * wrote it always).
 */
function armorSignature(signature) {
    const base64 = Buffer.from(signature).toString('base64');
    const lines = [];
    for (let i = 0; i < base64.length; i += ARMOR_LINE_LENGTH)
        lines.push(base64.slice(i, i + ARMOR_LINE_LENGTH));
    if (!base64.endsWith('='))
        lines.push(`=${crc24Base64(signature)}`);
    return `${BEGIN_SIGNATURE}\n\n${lines.join('\n')}\n${END_SIGNATURE}`;
}
/** RFC 4880 \u00a76.1 CRC-24 of the binary data, base64-encoded (4 characters). */
function crc24Base64(data) {
    let crc = 0xb704ce;
    for (const byte of data) {
        crc ^= byte << 16;
        for (let bit = 0; bit < 8; bit++) {
            crc <<= 1;
            if (crc & 0x1000000)
                crc ^= 0x1864cfb;
        }
    }
    return Buffer.from([(crc >> 16) & 0xff, (crc >> 8) & 0xff, crc & 0xff]).toString('base64');
}
/**
 * Finds the first clear-signed block, with go-crypto's `clearsign.Decode` rules (what Helm's
 * verifier accepts; \u00a72.4 step 3). Returns undefined where go-crypto returns nil, which Helm
 * reports as "signature block not found".
 */
function decodeClearsigned(data) {
    // One character per byte, so that the signed bytes come out exactly as they are in the file.
    const text = Buffer.from(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('latin1');
    let rest;
    if (text.startsWith(BEGIN_SIGNED))
        rest = text.slice(BEGIN_SIGNED.length);
    else {
        const at = text.indexOf(`\n${BEGIN_SIGNED}`);
        if (at < 0)
            return undefined;
        rest = text.slice(at + 1 + BEGIN_SIGNED.length);
    }
    let line;
    [line, rest] = getLine(rest);
    if (line !== '')
        return undefined;
    const hashes = [];
    for (;;) {
        if (rest === '')
            return undefined;
        [line, rest] = getLine(rest);
        if (line.trim() === '')
            break;
        if (/[^\x20-\x7e]/.test(line))
            return undefined;
        const colon = line.indexOf(':');
        if (colon < 0)
            return undefined;
        if (line.slice(0, colon).trim() !== 'Hash')
            return undefined;
        for (const value of line.slice(colon + 1).split(',')) {
            const name = value.trim().toUpperCase();
            if (!ALLOWED_HASH_NAMES.includes(name))
                return undefined;
            hashes.push(name);
        }
    }
    const lines = [];
    for (;;) {
        const before = rest;
        [line, rest] = getLine(rest);
        if (line === '' && rest === '')
            return undefined;
        if (line === BEGIN_SIGNATURE) {
            rest = before;
            break;
        }
        if (line.startsWith('- '))
            line = line.slice(2);
        lines.push(line.replace(/[ \t]+$/, ''));
    }
    // go-crypto would slice an empty plaintext out of range here; treat it as no block.
    if (lines.length === 0)
        return undefined;
    const end = rest.indexOf(`\n${END_SIGNATURE}`);
    if (end < 0)
        return undefined;
    let stop = end + 1 + END_SIGNATURE.length;
    while (rest[stop] === '\r' || rest[stop] === '\n')
        stop++;
    return {
        hashes,
        plaintext: Buffer.from(lines.join('\n'), 'latin1').toString('utf8'),
        signed: Buffer.from(lines.join('\r\n'), 'latin1'),
        armoredSignature: rest.slice(0, stop),
    };
}
/** go-crypto's getLine: the first line without its LF or CRLF, and the rest after it. */
function getLine(data) {
    const lf = data.indexOf('\n');
    if (lf < 0)
        return [data, ''];
    const end = lf > 0 && data[lf - 1] === '\r' ? lf - 1 : lf;
    return [data.slice(0, end), data.slice(lf + 1)];
}


/***/ }),

/***/ 20701:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cb: () => (/* binding */ partForRecentHelmOnly),
/* harmony export */   Qp: () => (/* binding */ libraryReason),
/* harmony export */   Rx: () => (/* binding */ describeKey),
/* harmony export */   V: () => (/* binding */ readKeyMaterial),
/* harmony export */   Vg: () => (/* binding */ algorithmName),
/* harmony export */   ax: () => (/* binding */ fingerprintOf),
/* harmony export */   tO: () => (/* binding */ lacksSecret),
/* harmony export */   vu: () => (/* binding */ KeyFormatError),
/* harmony export */   yg: () => (/* binding */ keyIdOf)
/* harmony export */ });
/* harmony import */ var openpgp__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(13074);

/** RFC 4880 \u00a76.2 armor of a transferable key, public or secret. */
const ARMOR_BLOCK = /-----BEGIN PGP (PUBLIC|PRIVATE) KEY BLOCK-----\n[\s\S]*?\n-----END PGP \1 KEY BLOCK-----/g;
const BASE64_ONLY = /^[A-Za-z0-9+/=\s]+$/;
/** Thrown with a reason that is safe to show: it never contains key material. */
class KeyFormatError extends Error {
}
/** Every key (public or secret) in the material, in order. */
async function readKeyMaterial(material) {
    if (typeof material !== 'string') {
        // Armored text handed over as bytes (e.g. a file read without an encoding).
        const head = Buffer.from(material.subarray(0, 64)).toString('latin1');
        if (!head.trimStart().startsWith('-----BEGIN PGP'))
            return readBinary(material);
        material = Buffer.from(material).toString('utf8');
    }
    // Secrets pasted from Windows or indented in YAML: armor lines carry no meaningful whitespace.
    const text = material
        .split(/\r?\n/)
        .map((line) => line.trim())
        .join('\n')
        .trim();
    if (text === '')
        throw new KeyFormatError('it is empty');
    if (text.includes('-----BEGIN PGP')) {
        const blocks = text.match(ARMOR_BLOCK);
        if (!blocks) {
            const kind = /-----BEGIN PGP ([A-Z ]+)-----/.exec(text)?.[1] ?? 'unknown';
            throw new KeyFormatError(kind.endsWith('KEY BLOCK') ? `the armored ${kind} has no matching END line` : `it is an armored "${kind}", not a key`);
        }
        const keys = [];
        for (const block of blocks) {
            try {
                keys.push(...(await (0,openpgp__WEBPACK_IMPORTED_MODULE_0__/* .readKeys */ .x4)({ armoredKeys: `${block}\n` })));
            }
            catch (error) {
                throw new KeyFormatError(`the armored key block cannot be read (${libraryReason(error)})`);
            }
        }
        return keys;
    }
    if (BASE64_ONLY.test(text)) {
        const bytes = Buffer.from(text.replace(/\s+/g, ''), 'base64');
        if (bytes.length > 0)
            return readBinary(bytes);
    }
    throw new KeyFormatError('it is neither an ASCII-armored key ("-----BEGIN PGP \u2026 KEY BLOCK-----") nor base64 of a binary key');
}
async function readBinary(bytes) {
    try {
        return await (0,openpgp__WEBPACK_IMPORTED_MODULE_0__/* .readKeys */ .x4)({ binaryKeys: new Uint8Array(bytes) });
    }
    catch (error) {
        throw new KeyFormatError(`the binary key data cannot be read (${libraryReason(error)})`);
    }
}
/**
 * openpgp.js's own words for a failure. Its messages are fixed texts about structure (never
 * packet contents), so they are safe to show and tell the user more than "invalid key".
 */
function libraryReason(error) {
    // Without its final full stop, so that it can sit inside our own sentences.
    return (error instanceof Error ? error.message : String(error)).replace(/\.+$/, '');
}
/** Upper-case hex, the way gpg and `helm verify` print fingerprints and key ids. */
function fingerprintOf(key) {
    return key.getFingerprint().toUpperCase();
}
function keyIdOf(key) {
    return key.getKeyID().toHex().toUpperCase();
}
/** "5E61\u20268762 (Helm Testing <helm-testing@helm.sh>)": what identifies a key in messages. */
function describeKey(key) {
    const uids = key.getUserIDs();
    return uids.length ? `${fingerprintOf(key)} (${uids.join(', ')})` : fingerprintOf(key);
}
/** "RSA 3072", "EdDSA ed25519", "ECDSA nistP256": the algorithm as people name it. */
function algorithmName(key) {
    const info = key.getAlgorithmInfo();
    switch (info.algorithm) {
        case 'rsaEncryptSign':
        case 'rsaSign':
        case 'rsaEncrypt':
            return `RSA ${info.bits ?? '?'}`;
        case 'eddsaLegacy':
            return `EdDSA ${info.curve === 'ed25519Legacy' ? 'ed25519' : (info.curve ?? '?')}`;
        case 'ed25519':
            return 'Ed25519';
        case 'ed448':
            return 'Ed448';
        case 'ecdsa':
            return `ECDSA ${info.curve ?? '?'}`;
        case 'dsa':
            return `DSA ${info.bits ?? '?'}`;
        default:
            return info.algorithm;
    }
}
/**
 * The first part of the key (primary key or subkey) that Helm 3.21.3 and older cannot read:
 * golang.org/x/crypto/openpgp rejects a keyring holding any EdDSA key with "openpgp: unsupported
 * feature: public key type: 22" (../shared/spec/helm-oci.md \u00a72.3), so a published public key
 * with such a part cannot verify anything there, whichever part signed. go-crypto (Helm \u2265
 * 3.21.4, Helm 4) reads them. v6 keys are unknown to x/crypto as well.
 */
function partForRecentHelmOnly(key) {
    const recentOnly = new Set([openpgp__WEBPACK_IMPORTED_MODULE_0__/* .enums */ .vP.publicKey.eddsaLegacy, openpgp__WEBPACK_IMPORTED_MODULE_0__/* .enums */ .vP.publicKey.ed25519, openpgp__WEBPACK_IMPORTED_MODULE_0__/* .enums */ .vP.publicKey.ed448]);
    return key.getKeys().find((part) => recentOnly.has(part.keyPacket.algorithm) || part.keyPacket.version === 6);
}
/**
 * True when this (sub)key has no usable secret: a public packet, or a GnuPG stub
 * (`--export-secret-subkeys` leaves the primary key as one; so do smartcard keys).
 */
function lacksSecret(part) {
    const packet = part.keyPacket;
    return !('isDummy' in packet) || packet.isDummy();
}


/***/ }),

/***/ 60187:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ ProvenanceError),
/* harmony export */   u: () => (/* binding */ SigningError)
/* harmony export */ });
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(58382);

/**
 * Signing failed after the key was accepted: the OpenPGP library refused, or the signature just
 * made did not verify. Problems with the key itself are InputErrors naming `signing-key`,
 * `signing-passphrase` or `signing-key-id`.
 */
class SigningError extends _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DomainError */ .Jk {
}
/**
 * A `.prov` file did not pass what `helm verify` checks (../shared/spec/helm-oci.md \u00a72.4).
 * The message starts with Helm's own words where Helm has them, so that users can search for it.
 */
class ProvenanceError extends _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DomainError */ .Jk {
}


/***/ }),

/***/ 5238:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SIGNING_KEY_ID_INPUT: () => (/* binding */ SIGNING_KEY_ID_INPUT),
/* harmony export */   SIGNING_KEY_INPUT: () => (/* binding */ SIGNING_KEY_INPUT),
/* harmony export */   SIGNING_PASSPHRASE_INPUT: () => (/* binding */ SIGNING_PASSPHRASE_INPUT),
/* harmony export */   loadSigningKey: () => (/* binding */ loadSigningKey)
/* harmony export */ });
/* harmony import */ var openpgp__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(13074);
/* harmony import */ var _shared_clock_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(66103);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(58382);
/* harmony import */ var _cleartext_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(74169);
/* harmony import */ var _openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(20701);
/* harmony import */ var _provenance_error_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(60187);






const SIGNING_KEY_INPUT = 'signing-key';
const SIGNING_PASSPHRASE_INPUT = 'signing-passphrase';
const SIGNING_KEY_ID_INPUT = 'signing-key-id';
/** Helm's signature hash (`packet.Config{DefaultHash: crypto.SHA512}`, \u00a72.1). */
const PREFERRED_HASH = openpgp__WEBPACK_IMPORTED_MODULE_0__/* .enums */ .vP.hash.sha512;
/** Below this, a key expiring is worth a warning: Helm stops accepting its signatures then. */
const EXPIRY_WARNING_MS = 30 * 24 * 60 * 60 * 1000;
/** Cleartext `Hash:` names (RFC 4880 \u00a79.4) for the hashes openpgp.js can sign with. */
const HASH_HEADER_NAMES = new Map([
    [openpgp__WEBPACK_IMPORTED_MODULE_0__/* .enums */ .vP.hash.sha1, 'SHA1'],
    [openpgp__WEBPACK_IMPORTED_MODULE_0__/* .enums */ .vP.hash.sha224, 'SHA224'],
    [openpgp__WEBPACK_IMPORTED_MODULE_0__/* .enums */ .vP.hash.sha256, 'SHA256'],
    [openpgp__WEBPACK_IMPORTED_MODULE_0__/* .enums */ .vP.hash.sha384, 'SHA384'],
    [openpgp__WEBPACK_IMPORTED_MODULE_0__/* .enums */ .vP.hash.sha512, 'SHA512'],
    [openpgp__WEBPACK_IMPORTED_MODULE_0__/* .enums */ .vP.hash.sha3_256, 'SHA3-256'],
    [openpgp__WEBPACK_IMPORTED_MODULE_0__/* .enums */ .vP.hash.sha3_512, 'SHA3-512'],
]);
/**
 * The signing key of the action: read from the `signing-key` secret (no gpg, no keyring file),
 * chosen by `signing-key-id`, checked, unlocked with `signing-passphrase`, and wrapped in a
 * Signer that writes `.prov` files as Helm \u2265 3.21.4 does (../shared/spec/helm-oci.md \u00a72).
 *
 * Which key signs: Helm signs with the primary key of the chosen entity (\u00a72.1); so do we when
 * the primary key may sign. When it may not (a certify-only primary, or a primary kept offline
 * and exported with `--export-secret-subkeys`), the newest valid signing subkey signs instead:
 * every verifier Helm has used (x/crypto, go-crypto) and gpgv look the issuer up among subkeys,
 * so the signature verifies everywhere, although `helm package --sign` could not have made it.
 */
async function loadSigningKey(options) {
    const { logger } = options;
    const clock = options.clock ?? _shared_clock_js__WEBPACK_IMPORTED_MODULE_1__/* .systemClock */ .m;
    // Masked before anything else can print them, including an error thrown below.
    if (typeof options.key === 'string')
        maskKeyText(logger, options.key);
    if (options.passphrase)
        maskPassphrase(logger, options.passphrase);
    const keys = await readSecretKeys(options.key);
    const now = new Date(clock.now());
    const keyId = options.keyId?.trim() ?? '';
    const { key, signingKey } = keyId === '' ? await firstUsableKey(keys, now, logger) : await keyById(keys, keyId, now);
    const unlocked = await unlock(key, signingKey, options.passphrase, logger);
    const unlockedSigningKey = unlocked.getKeys(signingKey.getKeyID())[0];
    const publicKey = unlocked.toPublic();
    const expires = await expiryOf(key, signingKey);
    const description = `${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .algorithmName */ .Vg)(signingKey)} key ${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .describeKey */ .Rx)(key)}`;
    logger.info(`Signing provenance with ${description}${expires ? `, valid until ${expires.toISOString()}` : ''}`);
    if (signingKey !== key) {
        logger.info(`The primary key of ${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .fingerprintOf */ .ax)(key)} cannot sign; signing subkey ${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .keyIdOf */ .yg)(signingKey)} signs instead ` +
            '(Helm and gpgv verify subkey signatures; `helm package --sign` itself only signs with primary keys).');
    }
    const recentOnly = (0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .partForRecentHelmOnly */ .Cb)(key);
    if (recentOnly) {
        logger.warning(`${SIGNING_KEY_INPUT}: ${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .fingerprintOf */ .ax)(key)} contains the ${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .algorithmName */ .Vg)(recentOnly)} key ${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .keyIdOf */ .yg)(recentOnly)}, which ` +
            'Helm 3.21.3 and older cannot read ("openpgp: unsupported feature: public key type: ' +
            `${recentOnly.keyPacket.algorithm}"), so they cannot verify these charts; Helm 3.21.4 and newer, Helm 4 and gpg can. ` +
            'Use an RSA 3072 key without EdDSA subkeys if your users may run older Helm.');
    }
    if (expires && expires.getTime() - now.getTime() < EXPIRY_WARNING_MS) {
        logger.warning(`${SIGNING_KEY_INPUT}: ${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .fingerprintOf */ .ax)(key)} expires on ${expires.toISOString()}. Helm refuses signatures of expired ` +
            'keys, also those made before, so charts signed now stop verifying then. Extend it ' +
            `(gpg --quick-set-expire ${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .fingerprintOf */ .ax)(key)} 2y) and publish the updated public key.`);
    }
    return {
        fingerprint: (0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .fingerprintOf */ .ax)(key),
        signingKeyId: (0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .keyIdOf */ .yg)(signingKey),
        userIds: key.getUserIDs(),
        algorithm: (0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .algorithmName */ .Vg)(signingKey),
        expires,
        publicKey: publicKey.armor(),
        sign: (message) => signMessage(message, unlocked, unlockedSigningKey, clock),
    };
}
// ---------------------------------------------------------------------------------------------
// Reading and choosing
async function readSecretKeys(material) {
    let keys;
    try {
        keys = await (0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .readKeyMaterial */ .V)(material);
    }
    catch (error) {
        if (!(error instanceof _openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .KeyFormatError */ .vu))
            throw error;
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(SIGNING_KEY_INPUT, `is not a usable OpenPGP secret key: ${error.message}. Expected the output of ` +
            '"gpg --armor --export-secret-keys <fingerprint>", which starts with "-----BEGIN PGP PRIVATE KEY BLOCK-----".', { cause: error });
    }
    // The same key twice (a public export pasted after the secret one): keep the secret copy.
    const byFingerprint = new Map();
    for (const key of keys) {
        const seen = byFingerprint.get(key.getFingerprint());
        if (!seen || (!seen.isPrivate() && key.isPrivate()))
            byFingerprint.set(key.getFingerprint(), key);
    }
    const unique = [...byFingerprint.values()];
    const secret = unique.filter((k) => k.isPrivate());
    if (secret.length === 0) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(SIGNING_KEY_INPUT, `holds only public keys (${unique.map(_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .describeKey */ .Rx).join('; ')}), and a public key cannot sign. ` +
            'Store the secret key instead: gpg --armor --export-secret-keys <fingerprint>.');
    }
    return secret;
}
async function firstUsableKey(keys, now, logger) {
    const rejected = [];
    for (const key of keys) {
        const assessment = await assess(key, now);
        if (assessment.usable) {
            if (keys.length > 1) {
                logger.debug(`${SIGNING_KEY_INPUT} holds ${keys.length} keys; using the first that can sign: ${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .describeKey */ .Rx)(key)}`);
            }
            return { key, signingKey: assessment.signingKey };
        }
        logger.debug(`${SIGNING_KEY_INPUT}: skipping ${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .describeKey */ .Rx)(key)}: it ${assessment.problem}`);
        rejected.push({ key, assessment });
    }
    const only = rejected.length === 1 ? rejected[0] : undefined;
    if (only)
        throw unusableKeyError(only.key, only.assessment);
    throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(SIGNING_KEY_INPUT, `none of its ${rejected.length} keys can sign: ` +
        rejected.map(({ key, assessment }) => `${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .describeKey */ .Rx)(key)} ${assessment.problem}`).join('; ') +
        '. Fix one of them as its reason suggests, or store another key that can sign.');
}
async function keyById(keys, keyId, now) {
    const matches = matchKeyId(keys, keyId);
    if (matches.length === 0) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(SIGNING_KEY_ID_INPUT, `no key in ${SIGNING_KEY_INPUT} matches "${keyId}"; it holds ${keys.map(_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .describeKey */ .Rx).join('; ')}. ` +
            'Give the fingerprint, the key id or a part of a user id of one of these.');
    }
    if (matches.length > 1) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(SIGNING_KEY_ID_INPUT, `"${keyId}" matches ${matches.length} keys in ${SIGNING_KEY_INPUT}: ${matches.map(_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .describeKey */ .Rx).join('; ')}. ` +
            'Give the full fingerprint of the one to sign with.');
    }
    const key = matches[0];
    const assessment = await assess(key, now);
    if (!assessment.usable)
        throw unusableKeyError(key, assessment);
    return { key, signingKey: assessment.signingKey };
}
/**
 * `signing-key-id` as gpg's `--local-user` takes it: a fingerprint or key id (of the primary
 * key or of a subkey; either selects the whole key), else a user id. Helm matches user ids only
 * (exact first, then substring; \u00a72.3); we add ids and ignore case.
 */
function matchKeyId(keys, keyId) {
    const hex = keyId.replace(/\s+/g, '').replace(/^0x/i, '').toUpperCase();
    if (/^(?:[0-9A-F]{8}|[0-9A-F]{16}|[0-9A-F]{40}|[0-9A-F]{64})$/.test(hex)) {
        const byId = keys.filter((key) => key.getKeys().some((part) => {
            if (hex.length >= 40)
                return (0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .fingerprintOf */ .ax)(part) === hex;
            const id = (0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .keyIdOf */ .yg)(part);
            return hex.length === 16 ? id === hex : id.endsWith(hex);
        }));
        if (byId.length > 0)
            return byId;
    }
    const wanted = keyId.toLowerCase();
    const exact = keys.filter((key) => key.getUserIDs().some((uid) => uid.toLowerCase() === wanted));
    if (exact.length > 0)
        return exact;
    return keys.filter((key) => key.getUserIDs().some((uid) => uid.toLowerCase().includes(wanted)));
}
/** Whether the key can sign now, and with which of its keys (see loadSigningKey). */
async function assess(key, now) {
    try {
        await key.verifyPrimaryKey(now);
    }
    catch (error) {
        const reason = (0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .libraryReason */ .Qp)(error);
        if (/expired/i.test(reason)) {
            const expires = await key.getExpirationTime().catch(() => null);
            return { usable: false, kind: 'expired', problem: `expired${expires instanceof Date ? ` on ${expires.toISOString()}` : ''}` };
        }
        if (/revoked/i.test(reason))
            return { usable: false, kind: 'revoked', problem: 'has been revoked' };
        return { usable: false, kind: 'invalid', problem: `is not a valid key (${reason})` };
    }
    let refusal;
    const consider = (error) => {
        const reason = (0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .libraryReason */ .Qp)(error);
        if (!/could not find valid signing key/i.test(reason))
            refusal = reason;
    };
    if (!(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .lacksSecret */ .tO)(key)) {
        try {
            const signing = await key.getSigningKey(key.getKeyID(), now);
            if (signing === key)
                return { usable: true, signingKey: key };
        }
        catch (error) {
            consider(error);
        }
    }
    const subkeys = key.subkeys
        .filter((subkey) => !(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .lacksSecret */ .tO)(subkey))
        .sort((a, b) => b.getCreationTime().getTime() - a.getCreationTime().getTime());
    for (const subkey of subkeys) {
        try {
            return { usable: true, signingKey: (await key.getSigningKey(subkey.getKeyID(), now)) };
        }
        catch (error) {
            consider(error);
        }
    }
    if (refusal !== undefined)
        return { usable: false, kind: 'unsupported', problem: `cannot be used: ${refusal}` };
    return { usable: false, kind: 'cannot-sign', problem: await noSigningKeyProblem(key, now) };
}
async function noSigningKeyProblem(key, now) {
    const primary = (0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .lacksSecret */ .tO)(key)
        ? 'its primary secret key is not included (an --export-secret-subkeys export)'
        : `its primary key may only ${capabilities(await primaryFlags(key, now))}`;
    const subkeys = key.subkeys.map((s) => `${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .keyIdOf */ .yg)(s)} ${capabilities(s.bindingSignatures.at(-1)?.keyFlags?.[0])}`);
    const others = subkeys.length ? `no valid signing subkey (subkeys: ${subkeys.join(', ')})` : 'no subkeys';
    return `has no key that can sign: ${primary}, and it has ${others}`;
}
async function primaryFlags(key, now) {
    try {
        return (await key.getPrimaryUser(now)).selfCertification.keyFlags?.[0];
    }
    catch {
        return undefined;
    }
}
/** Key flags (RFC 4880 \u00a75.2.3.21) in words. */
function capabilities(flags) {
    if (flags === undefined)
        return 'do nothing (no key flags)';
    const words = [];
    if (flags & openpgp__WEBPACK_IMPORTED_MODULE_0__/* .enums */ .vP.keyFlags.certifyKeys)
        words.push('certify');
    if (flags & openpgp__WEBPACK_IMPORTED_MODULE_0__/* .enums */ .vP.keyFlags.signData)
        words.push('sign');
    if (flags & (openpgp__WEBPACK_IMPORTED_MODULE_0__/* .enums */ .vP.keyFlags.encryptCommunication | openpgp__WEBPACK_IMPORTED_MODULE_0__/* .enums */ .vP.keyFlags.encryptStorage))
        words.push('encrypt');
    if (flags & openpgp__WEBPACK_IMPORTED_MODULE_0__/* .enums */ .vP.keyFlags.authentication)
        words.push('authenticate');
    return words.length ? words.join('+') : 'do nothing';
}
function unusableKeyError(key, assessment) {
    const fingerprint = (0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .fingerprintOf */ .ax)(key);
    const advice = {
        expired: `Extend it (gpg --quick-set-expire ${fingerprint} 2y), export it again, and publish the updated public key; ` + 'or use another key.',
        revoked: 'A revoked key must not sign again: create a new signing key ' +
            '(gpg --quick-generate-key "Name <email>" rsa3072 sign 2y) and publish its public key.',
        'cannot-sign': `Add a signing subkey (gpg --quick-add-key ${fingerprint} rsa3072 sign) or use a key whose primary key can sign.`,
        unsupported: 'Use an RSA key of at least 3072 bits (or ed25519, which only Helm 3.21.4 and newer verify).',
        invalid: `Export the key again with gpg --armor --export-secret-keys ${fingerprint}.`,
    }[assessment.kind];
    return new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(SIGNING_KEY_INPUT, `the key ${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .describeKey */ .Rx)(key)} ${assessment.problem}. ${advice}`);
}
// ---------------------------------------------------------------------------------------------
// Unlocking
async function unlock(key, signingKey, passphrase, logger) {
    // Helm's --passphrase-file also uses the first line only; a secret saved with a newline works.
    const phrase = passphrase?.split(/\r?\n/)[0] ?? '';
    if (signingKey.keyPacket.isDecrypted()) {
        if (phrase !== '') {
            logger.warning(`${SIGNING_PASSPHRASE_INPUT} is set, but the signing key ${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .fingerprintOf */ .ax)(key)} is not protected by a passphrase; ` +
                'the passphrase is ignored.');
        }
        return key;
    }
    if (phrase === '') {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(SIGNING_PASSPHRASE_INPUT, `is required: the signing key ${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .describeKey */ .Rx)(key)} is protected by a passphrase. ` +
            `Store the passphrase in a secret and pass it as ${SIGNING_PASSPHRASE_INPUT}.`);
    }
    try {
        return await (0,openpgp__WEBPACK_IMPORTED_MODULE_0__/* .decryptKey */ .Vw)({ privateKey: key, passphrase: phrase });
    }
    catch (error) {
        const reason = (0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .libraryReason */ .Qp)(error);
        if (/incorrect key passphrase/i.test(reason)) {
            throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(SIGNING_PASSPHRASE_INPUT, `does not unlock the signing key ${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .describeKey */ .Rx)(key)}. Check that the secret holds this key's passphrase ` +
                '(only its first line is used).', { cause: error });
        }
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(SIGNING_KEY_INPUT, `the secret key ${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .describeKey */ .Rx)(key)} cannot be unlocked: ${reason}.`, { cause: error });
    }
}
async function expiryOf(key, signingKey) {
    const dates = [await key.getExpirationTime()];
    if (signingKey !== key)
        dates.push(await signingKey.getExpirationTime());
    const finite = dates.filter((d) => d instanceof Date);
    return finite.length ? new Date(Math.min(...finite.map((d) => d.getTime()))) : undefined;
}
// ---------------------------------------------------------------------------------------------
// Signing
async function signMessage(message, key, signingKey, clock) {
    const text = (0,_cleartext_js__WEBPACK_IMPORTED_MODULE_5__/* .signedText */ .Mo)(message);
    // openpgp.js would turn a lone CR into CRLF before hashing; go-crypto hashes it as it is.
    if (text.replaceAll('\r\n', '').includes('\r')) {
        throw new _provenance_error_js__WEBPACK_IMPORTED_MODULE_4__/* .SigningError */ .u('the provenance message has a carriage return inside a line, which OpenPGP implementations hash differently');
    }
    const date = new Date(clock.now());
    let signature;
    try {
        signature = (await (0,openpgp__WEBPACK_IMPORTED_MODULE_0__/* .sign */ ._S)({
            message: await (0,openpgp__WEBPACK_IMPORTED_MODULE_0__/* .createMessage */ .oH)({ text }),
            signingKeys: key,
            signingKeyIDs: [signingKey.getKeyID()],
            detached: true,
            format: 'binary',
            date,
            config: { preferredHashAlgorithm: PREFERRED_HASH },
        }));
    }
    catch (error) {
        throw new _provenance_error_js__WEBPACK_IMPORTED_MODULE_4__/* .SigningError */ .u(`signing with key ${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .fingerprintOf */ .ax)(key)} failed: ${(0,_openpgp_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .libraryReason */ .Qp)(error)}`, { cause: error });
    }
    const packet = (await (0,openpgp__WEBPACK_IMPORTED_MODULE_0__/* .readSignature */ .Bc)({ binarySignature: signature })).packets[0];
    if (!packet)
        throw new _provenance_error_js__WEBPACK_IMPORTED_MODULE_4__/* .SigningError */ .u('openpgp.js returned no signature packet');
    // go-crypto writes no Hash header for v6 signatures (\u00a72.2).
    const hashName = packet.version === 6 ? undefined : HASH_HEADER_NAMES.get(packet.hashAlgorithm ?? -1);
    if (packet.version !== 6 && hashName === undefined) {
        throw new _provenance_error_js__WEBPACK_IMPORTED_MODULE_4__/* .SigningError */ .u(`the signature uses hash algorithm ${packet.hashAlgorithm}, which Helm's decoder does not accept`);
    }
    return (0,_cleartext_js__WEBPACK_IMPORTED_MODULE_5__/* .formatClearsigned */ .zA)(message, signature, hashName);
}
// ---------------------------------------------------------------------------------------------
// Masking
/**
 * GitHub masks a registered secret line by line only when each line is registered: a multi-line
 * value alone would leak every line of the key. Armor boundary and header lines are public and
 * appear in our own messages, so they stay readable.
 */
function maskKeyText(logger, text) {
    if (text.trim() === '')
        return;
    logger.mask(text);
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        if (line.length < 4 || /^-----(BEGIN|END) /.test(line) || /^[A-Za-z-]+: /.test(line))
            continue;
        logger.mask(line);
    }
}
function maskPassphrase(logger, passphrase) {
    logger.mask(passphrase);
    for (const line of passphrase.split(/\r?\n/)) {
        if (line !== '' && line !== passphrase)
            logger.mask(line);
        if (line.trim() !== '' && line.trim() !== line)
            logger.mask(line.trim());
    }
}


/***/ })

};

//# sourceMappingURL=238.index.js.map