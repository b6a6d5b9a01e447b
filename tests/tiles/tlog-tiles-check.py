#!/usr/bin/env python3
"""Follows a ripa register over HTTP as C2SP tlog-tiles, written from the specs alone
(c2sp.org/tlog-tiles, c2sp.org/tlog-checkpoint, c2sp.org/signed-note, RFC 6962):

    python3 tests/tiles/tlog-tiles-check.py PREFIX VERIFIER_KEY [--cookie 'ripa_session=…'] [--entry N]

PREFIX is the log's URL prefix, e.g. http://127.0.0.1:8080/tlog/. It fetches the checkpoint,
checks its Ed25519 signature by the verifier key (`name+hash+base64`), fetches every hash tile
the tree needs (full, partial, at every level), recomputes the root and compares it with the
checkpoint's. With --entry it also proves that entry: from its entry bundle (needs an
auditor's session cookie) its leaf hash, which must equal the level-0 tile's, and an RFC 6962
inclusion proof computed from the tiles alone. Prints one line per fact and exits 1 at the
first that fails.

Needs Python 3.9+ and `cryptography` 40 or later (for Ed25519).
"""
import base64
import hashlib
import struct
import sys
import urllib.request

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

TILE_WIDTH = 256


def fail(message):
    print("FAILED: " + message)
    sys.exit(1)


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def encode_index(n):
    # Three-digit groups, all but the last prefixed with "x".
    groups = []
    while True:
        groups.append("%03d" % (n % 1000))
        n //= 1000
        if n == 0:
            break
    groups.reverse()
    return "/".join(["x" + g for g in groups[:-1]] + [groups[-1]])


class Log:
    def __init__(self, prefix, cookie=None):
        self.prefix = prefix if prefix.endswith("/") else prefix + "/"
        self.cookie = cookie
        self.tiles = {}

    def get(self, path, cookie=False):
        request = urllib.request.Request(self.prefix + path)
        if cookie and self.cookie:
            request.add_header("Cookie", self.cookie)
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()

    def checkpoint(self, verifier_key):
        _, headers, body = self.get("checkpoint")
        text = body.decode()
        # signed-note: the text, a blank line, then "— name base64(keyhash ‖ signature)" lines.
        note, _, signatures = text.partition("\n\n")
        note += "\n"
        # name+hex key id+base64(0x01 ‖ key); the base64 may itself hold "+".
        name, key_id_hex, key_b64 = verifier_key.split("+", 2)
        key = base64.b64decode(key_b64)
        if key[0] != 0x01:
            fail("the verifier key is not Ed25519 (type 0x01)")
        public = Ed25519PublicKey.from_public_bytes(key[1:])
        key_id = hashlib.sha256(name.encode() + b"\n" + key).digest()[:4]
        if key_id.hex() != key_id_hex.lower():
            fail("the verifier key's hash does not match its name and key")
        good = False
        for line in signatures.splitlines():
            if not line.startswith("\u2014 "):
                continue
            signer, _, signature = line[2:].partition(" ")
            raw = base64.b64decode(signature)
            if signer == name and raw[:4] == key_id:
                public.verify(raw[4:], note.encode())  # raises on a bad signature
                good = True
        if not good:
            fail("the checkpoint carries no signature by " + name)
        lines = note.split("\n")
        origin, size, root = lines[0], int(lines[1]), base64.b64decode(lines[2])
        if origin != name:
            fail("the checkpoint's origin %r is not the key's name %r" % (origin, name))
        print("checkpoint: %s, size %d, signed by %s (cache-control: %s)" % (origin, size, name, headers.get("Cache-Control")))
        return size, root

    def tile(self, level, index, size):
        complete = size >> (8 * level)
        width = min(TILE_WIDTH, complete - index * TILE_WIDTH)
        path = "tile/%d/%s" % (level, encode_index(index)) + ("" if width == TILE_WIDTH else ".p/%d" % width)
        if path not in self.tiles:
            status, _, body = self.get(path)
            if len(body) != 32 * width:
                fail("%s is %d bytes, not %d" % (path, len(body), 32 * width))
            self.tiles[path] = [body[i:i + 32] for i in range(0, len(body), 32)]
        return self.tiles[path]

    def subtree(self, level, index, size):
        """MTH of the complete subtree of 2**level leaves at position index."""
        tile_level, up = level // 8, level % 8
        first, count = index << up, 1 << up
        hashes = self.tile(tile_level, first // TILE_WIDTH, size)[first % TILE_WIDTH:first % TILE_WIDTH + count]
        while len(hashes) > 1:
            hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
        return hashes[0]

    def mth(self, begin, end, size):
        """MTH(D[begin:end]) for a range RFC 6962's recursion visits: complete subtrees, folded."""
        nodes = []
        position, width = begin, end - begin
        for level in range(63, -1, -1):
            if width & (1 << level):
                nodes.append(self.subtree(level, position >> level, size))
                position += 1 << level
        result = nodes[-1]
        for node in reversed(nodes[:-1]):
            result = node_hash(node, result)
        return result

    def inclusion_proof(self, index, size):
        """RFC 6962 §2.1.1 PATH(m, D[0:n]), from the tiles."""
        def path(m, begin, end):
            n = end - begin
            if n == 1:
                return []
            k = 1 << ((n - 1).bit_length() - 1)
            if m < k:
                return path(m, begin, begin + k) + [self.mth(begin + k, end, size)]
            return path(m - k, begin + k, end) + [self.mth(begin, begin + k, size)]
        return path(index, 0, size)


def root_from_inclusion(index, size, leaf, proof):
    # RFC 9162 §2.1.3.2.
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            fail("the inclusion proof is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        fail("the inclusion proof is too short")
    return r


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        sys.exit(2)
    prefix, verifier_key = argv[1], argv[2]
    cookie = argv[argv.index("--cookie") + 1] if "--cookie" in argv else None
    entry = int(argv[argv.index("--entry") + 1]) if "--entry" in argv else None
    log = Log(prefix, cookie)
    size, root = log.checkpoint(verifier_key)
    if size == 0:
        fail("the tree is empty")
    computed = log.mth(0, size, size)
    if computed != root:
        fail("the root computed from the tiles does not match the checkpoint's")
    print("root: recomputed from %d tiles (%s): matches the checkpoint" % (len(log.tiles), ", ".join(sorted(log.tiles))))
    if entry is not None:
        if not 0 <= entry < size:
            fail("entry %d is not in the tree of size %d" % (entry, size))
        bundle_index = entry // TILE_WIDTH
        width = min(TILE_WIDTH, size - bundle_index * TILE_WIDTH)
        path = "tile/entries/" + encode_index(bundle_index) + ("" if width == TILE_WIDTH else ".p/%d" % width)
        _, _, bundle = log.get(path, cookie=True)
        leaves, at = [], 0
        while at < len(bundle):
            (length,) = struct.unpack(">H", bundle[at:at + 2])
            leaves.append(bundle[at + 2:at + 2 + length])
            at += 2 + length
        if len(leaves) != width:
            fail("%s holds %d entries, not %d" % (path, len(leaves), width))
        leaf = leaf_hash(leaves[entry % TILE_WIDTH])
        if leaf != log.subtree(0, entry, size):
            fail("entry %d's leaf hash differs from the level-0 tile's" % entry)
        proof = log.inclusion_proof(entry, size)
        if root_from_inclusion(entry, size, leaf, proof) != root:
            fail("the inclusion proof of entry %d does not lead to the checkpoint's root" % entry)
        print("entry %d: in %s, its leaf hash in the level-0 tile, included in the checkpoint (%d-hash proof)" % (entry, path, len(proof)))
    print("OK")


if __name__ == "__main__":
    main(sys.argv)
