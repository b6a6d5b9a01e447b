#!/usr/bin/env python3
"""Checks a ripa register from outside, against docs/formats.md only.

    python3 docs/outside-verifier.py register.db [VERIFIER_KEY] [--key-file register.key]

Checks every entry (canonical JSON, seq, prev chain, Ed25519 signature, time order), the genesis
entry and key rotations, the RFC 6962 root against the latest checkpoint and its signature, and
every stored tree node. With the register key file it also checks every projection tag. It does
not check who may sign what or the domain's rules: `ripa verify --replay` does.

Needs Python 3.9+ and `cryptography` 40 or later (for Ed25519). Its canonical-JSON check assumes member
names that sort the same by code point as by UTF-16 (true of every name the register writes).
"""
import base64
import hashlib
import json
import sqlite3
import struct
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def jcs(value):
    # RFC 8785 for integers, strings, booleans, null, arrays and objects (no floats in a register).
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def b64(text):
    raw = base64.b64decode(text, validate=True)
    assert base64.b64encode(raw).decode() == text, f"not canonical base64: {text}"
    return raw


def verifier_key(text):
    name, key_id, key = text.split("+", 2)
    raw = b64(key)
    assert raw[0] == 1 and len(raw) == 33, "not an Ed25519 verifier key"
    assert hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4].hex() == key_id, "key id does not match"
    return name, key_id, Ed25519PublicKey.from_public_bytes(raw[1:])


def tree_hash(hashes):
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return hashlib.sha256(b"\x01" + tree_hash(hashes[:k]) + tree_hash(hashes[k:])).digest()


def check_note(note, key):
    name, key_id, public = key
    text, signatures = note.split("\n\n", 1)
    text += "\n"
    for line in signatures.splitlines():
        assert line.startswith("\u2014 "), "signature line without an em dash"
        signer, encoded = line[2:].split(" ")
        raw = b64(encoded)
        if signer == name and raw[:4].hex() == key_id:
            public.verify(raw[4:], text.encode())  # raises InvalidSignature
            return text
    raise AssertionError(f"no signature by {name}+{key_id}")


def projection_tag(key, table, values):
    message = table.encode() + b"\x00"
    for value in values:
        if value is None:
            message += b"\x00"
        elif isinstance(value, int):
            message += b"\x01" + struct.pack(">q", value)
        elif isinstance(value, str):
            data = value.encode()
            message += b"\x02" + struct.pack(">I", len(data)) + data
        else:
            message += b"\x03" + struct.pack(">I", len(value)) + bytes(value)
    return hashlib.blake2b(message, key=key, digest_size=16).digest()


PROJECTIONS = {
    "register_meta": (["key", "value"], "key NOT IN ('format', 'origin')"),
    "users": (["user_id", "name", "roles", "rank", "head_of_paid_service", "public_key", "enrolled_seq", "revoked_seq"], "1"),
    "accounts": (["user_id", "document"], "1"),
    "authorisations": (["urn", "type", "year", "document", "updated_seq"], "1"),
    "authorisation_profiles": (["profile_key", "urn"], "1"),
    "views": (["profile_key", "seq", "time_ms", "viewer", "case_ref", "urn", "outcome"], "1"),
    "profile_aliases": (["profile_key", "group_key", "seq"], "1"),
}


def main(argv):
    key_file = None
    if "--key-file" in argv:
        i = argv.index("--key-file")
        key_file = argv[i + 1]
        del argv[i:i + 2]
    path, trusted = argv[1], (argv[2] if len(argv) > 2 else None)
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    origin = db.execute("SELECT value FROM register_meta WHERE key = 'origin'").fetchone()[0]

    previous, last_time, hashes, keys, key = b"\x00" * 32, "", [], [], None
    for seq, leaf in db.execute("SELECT seq, leaf FROM entries ORDER BY seq"):
        entry = json.loads(leaf)
        assert set(entry) == {"v", "seq", "time", "kind", "prev", "signer", "body", "sig"}, f"{seq}: members"
        assert jcs(entry) == leaf, f"{seq}: not canonical JSON"
        assert entry["v"] == 1 and entry["seq"] == seq == len(hashes), f"{seq}: v or seq"
        assert b64(entry["prev"]) == previous, f"{seq}: prev does not match the previous leaf hash"
        assert len(entry["time"]) == 24 and entry["time"] >= last_time, f"{seq}: time"
        signature = b64(entry.pop("sig"))
        Ed25519PublicKey.from_public_bytes(b64(entry["signer"])).verify(
            signature, b"ripa-register/entry/v1\n" + jcs(entry))
        if seq == 0:
            assert entry["kind"] == "register.created" and entry["body"]["origin"] == origin, "genesis"
            key = verifier_key(entry["body"]["verifier_key"])
            assert key[0] == origin and b64(entry["signer"]) == key[2].public_bytes_raw(), "genesis signer"
            keys.append(entry["body"]["verifier_key"])
        elif entry["kind"] == "register.key-rotated":
            assert entry["body"]["previous_verifier_key"] == keys[-1], f"{seq}: rotation names another key"
            assert b64(entry["signer"]) == key[2].public_bytes_raw(), f"{seq}: rotation not signed by the old key"
            key = verifier_key(entry["body"]["verifier_key"])
            keys.append(entry["body"]["verifier_key"])
        previous = hashlib.sha256(b"\x00" + leaf).digest()
        hashes.append(previous)
        last_time = entry["time"]

    note = db.execute("SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1").fetchone()[0]
    text = check_note(note, key)
    name, size, root = text.splitlines()[:3]
    assert name == origin and int(size) == len(hashes), "the checkpoint does not cover the entries"
    assert b64(root) == tree_hash(hashes), "the root does not match the checkpoint"
    if trusted:
        assert trusted in keys, "the register was never signed by the trusted key"
    for level, index, node in db.execute("SELECT level, idx, hash FROM tree_nodes"):
        assert node == tree_hash(hashes[index << level:(index + 1) << level]), f"tree node {level}/{index}"
    print(f"{len(hashes)} entries, root {root}, signed by {keys[-1]}: OK")

    if key_file:
        seed = b64(open(key_file).read().strip().split("+", 4)[4])[1:]
        mac_key = hashlib.blake2b(b"ripa-register/projection-mac/v1", key=seed, digest_size=32).digest()
        rows = 0
        for table, (columns, where) in PROJECTIONS.items():
            for row in db.execute(f"SELECT {', '.join(columns)}, mac FROM {table} WHERE {where}"):
                assert projection_tag(mac_key, table, row[:-1]) == row[-1], f"{table} row {row[:2]}: tag"
                rows += 1
        print(f"{rows} projection rows: tags OK")


if __name__ == "__main__":
    main(sys.argv)
