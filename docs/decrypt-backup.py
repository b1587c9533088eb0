#!/usr/bin/env python3
"""Decrypt a homelab cloud backup without homelab (docs/backup-format.md).

    decrypt-backup.py KEY_HEX OBJECT_FILE MANIFEST_FILE > stream.zfs
    zfs receive pool/dataset < stream.zfs

KEY_HEX is the 64-hex-digit backup encryption key (or @FILE to read it from a file, which keeps it
off the command line). OBJECT_FILE is the `.zstream` object and MANIFEST_FILE its `.manifest`,
both as downloaded from the bucket. The plain `zfs send` stream goes to stdout, one authenticated
chunk at a time; the last chunk is written only after the whole stream matched the manifest's
size and SHA-256. Any failure exits with status 1 and a message on stderr.
Needs only Python 3 and the `cryptography` package.
"""
import hashlib
import hmac
import json
import struct
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

HEADER = 50
TAG = 16


def hkdf(key, salt, info, length=32):
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info.encode()).derive(key)


def fail(message):
    sys.stderr.write("decrypt-backup: " + message + "\n")
    sys.exit(1)


def read_manifest(path, key):
    data = open(path, "rb").read()
    body, _, mac = data.partition(b"\n")
    fields = json.loads(body)
    if fields.get("format") != "homelab-backup-manifest" or fields.get("version") != 1:
        fail("not a version 1 homelab manifest")
    if fields["keyId"] != hkdf(key, None, "homelab-backup v1 key id", 8).hex():
        fail("wrong key: the manifest was written with key id " + fields["keyId"])
    mac_key = hkdf(key, bytes.fromhex(fields["salt"]), "homelab-backup v1 manifest key")
    if not hmac.compare_digest(hmac.new(mac_key, body, hashlib.sha256).hexdigest(), mac.strip().decode()):
        fail("the manifest's MAC does not match: it was changed")
    return fields


def decrypt(key, object_path, manifest, out):
    obj = open(object_path, "rb")
    header = obj.read(HEADER)
    if len(header) < HEADER or header[:4] != b"HLBK":
        fail("not a homelab backup object (or cut inside its header)")
    version, chunk_size = struct.unpack(">HI", header[4:10])
    key_id, salt = header[10:18], header[18:50]
    if version != 1:
        fail("format version %d is not 1" % version)
    if key_id != hkdf(key, None, "homelab-backup v1 key id", 8):
        fail("wrong key: the object was written with key id " + key_id.hex())
    aead = AESGCM(hkdf(key, salt, "homelab-backup v1 chunk key"))
    object_id = "\n".join([manifest["dataset"], manifest["snapshot"], manifest["guid"]]).encode()
    digest, size, index = hashlib.sha256(), 0, 0
    sealed = obj.read(chunk_size + TAG)
    while True:
        following = obj.read(chunk_size + TAG)
        final = not following
        if len(sealed) < TAG:
            fail("the object is truncated at chunk %d" % index)
        aad = header + struct.pack(">I", len(object_id)) + object_id + struct.pack(">QB", index, 1 if final else 0)
        try:
            plain = aead.decrypt(b"\0\0\0\0" + struct.pack(">Q", index), sealed, aad)
        except Exception:
            fail("chunk %d failed authentication: the object was changed, cut or belongs to another snapshot" % index)
        digest.update(plain)
        size += len(plain)
        if final:
            if size != manifest["size"] or digest.hexdigest() != manifest["sha256"]:
                fail("the stream does not match its manifest's size and SHA-256")
            out.write(plain)
            return size
        out.write(plain)
        sealed, index = following, index + 1


def main():
    if len(sys.argv) != 4:
        fail("usage: decrypt-backup.py KEY_HEX|@KEYFILE OBJECT_FILE MANIFEST_FILE > stream")
    key_text = sys.argv[1]
    if key_text.startswith("@"):
        key_text = open(key_text[1:]).read()
    key = bytes.fromhex(key_text.strip())
    if len(key) != 32:
        fail("the key must be 32 bytes (64 hex digits)")
    manifest = read_manifest(sys.argv[3], key)
    size = decrypt(key, sys.argv[2], manifest, sys.stdout.buffer)
    sys.stdout.buffer.flush()
    sys.stderr.write("decrypt-backup: %s@%s, %d bytes, verified\n" % (manifest["dataset"], manifest["snapshot"], size))


if __name__ == "__main__":
    main()
