export const id = 261;
export const ids = [261];
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

/***/ 89261:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  signChart: () => (/* binding */ signChart)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./src/provenance/cleartext.ts
var cleartext = __webpack_require__(74169);
// EXTERNAL MODULE: ./src/chart/metadata.ts + 2 modules
var chart_metadata = __webpack_require__(45907);
// EXTERNAL MODULE: ./src/chart/go/yaml-decode.ts
var yaml_decode = __webpack_require__(83167);
// EXTERNAL MODULE: ./src/chart/go/yaml-emit.ts
var yaml_emit = __webpack_require__(97110);
// EXTERNAL MODULE: ./src/provenance/provenance-error.ts
var provenance_error = __webpack_require__(60187);
;// CONCATENATED MODULE: ./src/provenance/message.ts




/**
 * Separates the metadata from the checksums (\u00a72.1). Helm uses the document-end marker because
 * `---` would be dash-escaped in a clear-signed block.
 */
const MESSAGE_SEPARATOR = '\n...\n';
/** The digest scheme Helm writes in front of every checksum (\u00a72.1). */
const SHA256_PREFIX = 'sha256:';
/**
 * The exact plaintext Helm clear-signs for an archive (../shared/spec/helm-oci.md \u00a72.1,
 * `messageBlock` in pkg/provenance/sign.go): the chart metadata, the YAML document-end marker,
 * and the sha256 of the archive under its file name, i.e. `yaml.Marshal(metadata)` + `\n...\n` +
 * `yaml.Marshal({files: {<name>: sha256:<hex>}})`.
 *
 * `metadata` must be the chart as it is inside the archive (Helm re-loads the archive it just
 * wrote; for apiVersion v1 that includes the dependencies of requirements.yaml), sanitised by
 * validateMetadata. `archiveFileName` is the base name the archive is published under: Helm
 * looks the checksum up by the name of the file being verified.
 */
function provenanceMessage(metadata, archiveFileName, archiveSha256Hex) {
    if (!/^[0-9a-f]{64}$/.test(archiveSha256Hex)) {
        throw new TypeError(`archiveSha256Hex must be 64 lower-case hex digits, got "${archiveSha256Hex}"`);
    }
    if (archiveFileName === '' || /[/\\]/.test(archiveFileName)) {
        throw new TypeError(`archiveFileName must be a base name, got "${archiveFileName}"`);
    }
    const files = new Map([['files', new Map([[archiveFileName, `${SHA256_PREFIX}${archiveSha256Hex}`]])]]);
    return (0,chart_metadata/* marshalMetadataYaml */.VX)(metadata) + MESSAGE_SEPARATOR + (0,yaml_emit/* marshalYaml */._D)(files);
}
/**
 * The checksums of a signed message block, read as Helm's `parseMessageBlock` does (\u00a72.4 step 4):
 * split on `\n...\n`, the second part is YAML with a `files` map. The metadata part is ignored,
 * as Helm 4 does (Helm 3 also parses it; it is never compared with the chart).
 */
function parseMessageFiles(plaintext) {
    const parts = plaintext.split(MESSAGE_SEPARATOR);
    if (parts.length < 2)
        throw new provenance_error/* ProvenanceError */.C('message block must have at least two parts');
    let root;
    try {
        root = (0,yaml_decode/* decodeYaml */.SE)(parts[1]);
    }
    catch (error) {
        if (error instanceof yaml_decode/* YamlSyntaxError */.nN) {
            throw new provenance_error/* ProvenanceError */.C(`the checksums of the message block are not valid YAML: ${error.message}`, { cause: error });
        }
        throw error;
    }
    const files = new Map();
    if (root === undefined || root.kind === 'null')
        return files;
    if (root.kind !== 'map')
        throw new provenance_error/* ProvenanceError */.C('the checksums of the message block are not a YAML mapping');
    // sigs.k8s.io/yaml decodes through JSON, whose struct fields match keys case-insensitively.
    const entry = root.entries.find((e) => e.key.kind === 'string' && e.key.value.toLowerCase() === 'files');
    if (!entry || entry.value.kind === 'null')
        return files;
    if (entry.value.kind !== 'map')
        throw new provenance_error/* ProvenanceError */.C('`files` in the message block is not a mapping of file names to checksums');
    for (const { key, value } of entry.value.entries) {
        if (value.kind !== 'string') {
            throw new provenance_error/* ProvenanceError */.C(`the checksum of "${(0,yaml_decode/* scalarText */.ws)(key) ?? `<${key.kind}>`}" in the message block is not a string`);
        }
        files.set((0,yaml_decode/* scalarText */.ws)(key) ?? `<${key.kind}>`, value.value);
    }
    return files;
}

// EXTERNAL MODULE: ./src/shared/sha256.ts
var shared_sha256 = __webpack_require__(81510);
// EXTERNAL MODULE: ./node_modules/openpgp/dist/node/openpgp.mjs
var openpgp = __webpack_require__(13074);
// EXTERNAL MODULE: ./src/shared/clock.ts
var clock = __webpack_require__(66103);
// EXTERNAL MODULE: ./src/provenance/openpgp-keys.ts
var openpgp_keys = __webpack_require__(20701);
;// CONCATENATED MODULE: ./src/provenance/verify.ts







/**
 * Checks a `.prov` against its archive as `helm verify` does (../shared/spec/helm-oci.md \u00a72.4,
 * `Signatory.Verify` in pkg/provenance/sign.go): the first clear-signed block decodes as
 * go-crypto decodes it, its signature is good and made by a key of the keyring that is neither
 * expired nor revoked now, and the message lists the sha256 of the archive under the archive's
 * file name.
 */
async function verifyProvenance(options) {
    const keyring = await readKeyring(options.publicKeys);
    const verified = await verifyClearsigned(options.provenance, keyring, options.clock ?? clock/* systemClock */.m);
    const name = options.archiveFileName;
    const files = parseMessageFiles(verified.plaintext);
    const sha256 = (0,shared_sha256/* sha256Hex */.f)(options.archiveBytes);
    const listed = files.get(name);
    if (listed === undefined) {
        const names = [...files.keys()];
        throw new provenance_error/* ProvenanceError */.C(`provenance does not contain a SHA for a file named "${name}"` +
            (names.length ? ` (it lists ${names.map((n) => `"${n}"`).join(', ')}; Helm looks the checksum up by the archive's file name)` : ''));
    }
    if (listed !== `sha256:${sha256}`) {
        throw new provenance_error/* ProvenanceError */.C(`sha256 sum does not match for ${name}: "${listed}" != "sha256:${sha256}" (the archive is not the one that was signed)`);
    }
    return { ...verified, sha256, fileName: name };
}
/** Reads the trusted keys; Helm's wording for an unreadable keyring. */
async function readKeyring(material) {
    try {
        return await (0,openpgp_keys/* readKeyMaterial */.V)(material);
    }
    catch (error) {
        if (error instanceof openpgp_keys/* KeyFormatError */.vu)
            throw new provenance_error/* ProvenanceError */.C(`failed to load keyring: ${error.message}`, { cause: error });
        throw error;
    }
}
/**
 * Checks the first clear-signed block of `data` against `keyring`, as go-crypto's
 * `CheckDetachedSignature` does for Helm: the first signature whose issuer is in the keyring
 * decides; the key must have been valid when it signed (openpgp.js) and must still be valid now
 * (go-crypto checks expiry and revocation at verification time).
 */
async function verifyClearsigned(data, keyring, clock) {
    const block = (0,cleartext/* decodeClearsigned */.q0)(data);
    if (!block)
        throw new provenance_error/* ProvenanceError */.C('signature block not found');
    let packets;
    try {
        packets = [...(await (0,openpgp/* readSignature */.Bc)({ armoredSignature: block.armoredSignature })).packets];
    }
    catch (error) {
        throw new provenance_error/* ProvenanceError */.C(`signature block not found: the armored signature cannot be read (${(0,openpgp_keys/* libraryReason */.Qp)(error)})`, {
            cause: error,
        });
    }
    let issuer;
    for (const packet of packets) {
        const key = keyring.find((k) => k.getKeys(packet.issuerKeyID).length > 0);
        if (key) {
            issuer = { key, packet };
            break;
        }
    }
    if (!issuer) {
        const ids = packets.map((p) => p.issuerKeyID.toHex().toUpperCase());
        throw new provenance_error/* ProvenanceError */.C(`openpgp: signature made by unknown entity: the signing key ${ids.join(', ')} is not in the keyring; ` +
            "add the signer's public key to it");
    }
    const now = new Date(clock.now());
    const { key, packet } = issuer;
    const signingKey = key.getKeys(packet.issuerKeyID)[0];
    // Only the deciding signature is checked, as go-crypto does; others may be from unknown keys.
    const deciding = new openpgp/* PacketList */.fR();
    deciding.push(packet);
    const signature = new openpgp/* Signature */.to(deciding);
    const result = await (0,openpgp/* verify */.MX)({
        message: await (0,openpgp/* createMessage */.oH)({ binary: block.signed }),
        signature,
        verificationKeys: key,
        date: now,
    });
    const outcome = result.signatures[0];
    if (!outcome)
        throw new provenance_error/* ProvenanceError */.C('signature block not found: it holds no data signature');
    try {
        await outcome.verified;
    }
    catch (error) {
        throw new provenance_error/* ProvenanceError */.C(invalidSignatureMessage((0,openpgp_keys/* libraryReason */.Qp)(error), key), { cause: error });
    }
    try {
        // go-crypto refuses keys that are expired or revoked at verification time, even for
        // signatures made while they were valid.
        await key.getSigningKey(packet.issuerKeyID, now);
    }
    catch (error) {
        throw new provenance_error/* ProvenanceError */.C(invalidSignatureMessage((0,openpgp_keys/* libraryReason */.Qp)(error), key), { cause: error });
    }
    return {
        plaintext: block.plaintext,
        signedBy: key.getUserIDs(),
        fingerprint: (0,openpgp_keys/* fingerprintOf */.ax)(key),
        signingKeyId: (0,openpgp_keys/* keyIdOf */.yg)(signingKey),
        signedAt: packet.created ?? now,
    };
}
/** go-crypto's error texts (what Helm prints), with what they mean here. */
function invalidSignatureMessage(reason, key) {
    const who = (0,openpgp_keys/* fingerprintOf */.ax)(key);
    if (/digest did not match|signature verification failed/i.test(reason)) {
        return `openpgp: invalid signature: hash tag doesn't match (the signed text was changed after signing, or ${who} did not sign it)`;
    }
    if (/expired/i.test(reason))
        return `openpgp: key expired (${who}: ${reason}; Helm refuses signatures of expired keys)`;
    if (/revoked/i.test(reason))
        return `openpgp: key revoked (${who}: ${reason})`;
    if (/could not find valid signing key/i.test(reason)) {
        return `openpgp: signature made by unknown entity (${who} is in the keyring, but the key that signed may not sign now: ${reason})`;
    }
    return `openpgp: invalid signature: ${reason} (key ${who})`;
}

;// CONCATENATED MODULE: ./src/provenance/chart-provenance.ts





/**
 * What `helm package --sign` produces for an archive (../shared/spec/helm-oci.md \u00a72.1), checked
 * the way `helm verify` checks it (\u00a72.4) against the archive bytes before it is returned, so that
 * nothing unverifiable is ever pushed. This is the one verification of every signature: the
 * signer does not verify what it signs.
 */
async function createChartProvenance(options) {
    const { signer } = options;
    const message = provenanceMessage(options.metadata, options.archiveFileName, (0,shared_sha256/* sha256Hex */.f)(options.archiveBytes));
    const provenance = await signer.sign(message);
    const fail = (what, cause) => new provenance_error/* SigningError */.u(`the provenance just signed by ${signer.fingerprint} does not verify (${what}); nothing was published`, { cause });
    let verification;
    try {
        verification = await verifyProvenance({
            provenance,
            publicKeys: signer.publicKey,
            archiveFileName: options.archiveFileName,
            archiveBytes: options.archiveBytes,
            ...(options.clock ? { clock: options.clock } : {}),
        });
    }
    catch (error) {
        if (error instanceof provenance_error/* ProvenanceError */.C)
            throw fail(error.message, error);
        throw error;
    }
    // The digest entry alone does not prove the metadata part was framed and read back intact.
    if (verification.plaintext !== (0,cleartext/* signedText */.Mo)(message).replaceAll('\r\n', '\n')) {
        throw fail('the signed text read back differs from the message');
    }
    return { provenance, verification };
}

;// CONCATENATED MODULE: ./src/publish/sign-chart.ts



/**
 * Signs a packaged chart: the .prov Helm would write for it, verified against the archive
 * before it is used (../shared/spec/helm-oci.md \u00a72), written next to the .tgz.
 */
async function signChart(chart, signer) {
    const archiveBytes = await (0,promises_.readFile)(chart.package.path);
    const { provenance } = await createChartProvenance({
        signer,
        metadata: chart.chart.metadata,
        archiveFileName: chart.package.fileName,
        archiveBytes,
    });
    const path = `${chart.package.path}.prov`;
    await (0,promises_.writeFile)(path, provenance, { mode: 0o644 });
    return { path, sha256: (0,shared_sha256/* sha256Hex */.f)(provenance), text: provenance };
}


/***/ }),

/***/ 81510:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   f: () => (/* binding */ sha256Hex)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);

/** The lowercase hex SHA-256 of the bytes, or of the text's UTF-8 bytes. */
function sha256Hex(data) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(data).digest('hex');
}


/***/ })

};

//# sourceMappingURL=261.index.js.map