/// The SQLite schema of a register, identical to `Schemas/register.sql`.
///
/// It is kept here as text so that the `ripa` binary carries it (no resource bundle to
/// lose when the binary is copied); a test checks it against the published file.
public enum RegisterSchema {
    /// `data_keys`, which a register made before personal data was sealed lacks: created if
    /// missing on every writable open (`SQLiteBackend.open`), and part of `sql`.
    static let dataKeysTable = #"""
CREATE TABLE IF NOT EXISTS data_keys (
    name          TEXT PRIMARY KEY NOT NULL,
    sealed        BLOB,
    destroyed_seq INTEGER,
    CHECK ((sealed IS NULL) <> (destroyed_seq IS NULL))
) WITHOUT ROWID;
"""#

    /// `cosignatures` and its trigger, which a register made before witnessing lacks: created
    /// if missing by its first cosignature (`SQLiteReading.putCosignature`), so read-only
    /// copies are never written; part of `sql`.
    static let cosignaturesTable = #"""
CREATE TABLE IF NOT EXISTS cosignatures (
    size      INTEGER NOT NULL CHECK (size >= 0),
    witness   TEXT NOT NULL,
    timestamp INTEGER NOT NULL CHECK (timestamp > 0),
    line      TEXT NOT NULL,
    PRIMARY KEY (size, witness)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS cosignatures_no_update BEFORE UPDATE ON cosignatures
BEGIN
    SELECT RAISE(ABORT, 'a kept cosignature cannot be changed');
END;
"""#

    /// The DDL applied to a new register.
    public static let sql = #"""
-- ripa-register storage, format "ripa-register/1".
--
-- The register proper is three append-only tables: entries (the leaves of the log,
-- exactly as signed), tree_nodes (every complete RFC 6962 subtree above the leaves, so a proof
-- at any size costs O(log n) reads) and checkpoints (every signed checkpoint, C2SP form).
-- UPDATE and DELETE on them are refused by trigger; the tool never issues either.
--
-- Everything below "Projections" is a cache derived from the entries, written in the
-- same transaction as the entry it derives from and rebuilt from the log on demand.
-- sealed_keys holds each user's Ed25519 seed sealed under their passphrase
-- (Argon2id + XChaCha20-Poly1305); it is not part of the register. A user's row is written
-- when they accept their invitation and replaced when `user passwd` replaces their key; an
-- old row written back unlocks a key that signs nothing any more.

-- mac: see "Projections" below (NULL for format and origin, written before the key exists).
CREATE TABLE register_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    mac   BLOB
) WITHOUT ROWID;

CREATE TABLE entries (
    seq  INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 0),
    kind TEXT NOT NULL,
    leaf BLOB NOT NULL
);

-- Entries arrive in order with no gaps: seq n is accepted only after seq n-1.
CREATE TRIGGER entries_in_order BEFORE INSERT ON entries
WHEN NEW.seq <> (SELECT COALESCE(MAX(seq) + 1, 0) FROM entries)
BEGIN
    SELECT RAISE(ABORT, 'register entries must be appended in sequence');
END;
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN
    SELECT RAISE(ABORT, 'the register is append-only: entries cannot be changed');
END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN
    SELECT RAISE(ABORT, 'the register is append-only: entries cannot be deleted');
END;

-- Leaves (level 0) are not stored here: a leaf's hash is SHA-256(0x00 || entries.leaf).
CREATE TABLE tree_nodes (
    level INTEGER NOT NULL CHECK (level >= 1),
    idx   INTEGER NOT NULL,
    hash  BLOB NOT NULL,
    PRIMARY KEY (level, idx)
) WITHOUT ROWID;

CREATE TRIGGER tree_nodes_no_update BEFORE UPDATE ON tree_nodes
BEGIN
    SELECT RAISE(ABORT, 'the register is append-only: tree nodes cannot be changed');
END;
CREATE TRIGGER tree_nodes_no_delete BEFORE DELETE ON tree_nodes
BEGIN
    SELECT RAISE(ABORT, 'the register is append-only: tree nodes cannot be deleted');
END;

CREATE TABLE checkpoints (
    size INTEGER PRIMARY KEY NOT NULL,
    note TEXT NOT NULL
);

CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
BEGIN
    SELECT RAISE(ABORT, 'the register is append-only: checkpoints cannot be changed');
END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
BEGIN
    SELECT RAISE(ABORT, 'the register is append-only: checkpoints cannot be deleted');
END;

CREATE TABLE sealed_keys (
    user_id TEXT PRIMARY KEY NOT NULL,
    sealed  TEXT NOT NULL
) WITHOUT ROWID;

-- data_keys holds each case's data key (XChaCha20-Poly1305, 32 bytes) sealed under the
-- data-protection key, which is kept beside the register key and never in this file: the
-- personal fields of entries and projections are sealed under their case's key. Destroying a
-- case's personal data replaces its row by a tombstone naming the entry that recorded it
-- (secure_delete zeroes the old bytes; the store is then compacted). Not part of the register.
\#(dataKeysTable)

-- Documents the register keeps (Code of Practice 2018 para 8.2), such as a JP's order: each
-- stored under the lower-case hex SHA-256 of its plaintext, in the same transaction as the
-- entry that names that hash, so `ripa verify` can check every referenced document is present
-- and unchanged. The content is sealed under the case's data key (docs/formats.md
-- "Documents"; older registers kept it in the clear); it is never changed, and deleted only
-- when the case's personal data is destroyed.
CREATE TABLE documents (
    hash    TEXT PRIMARY KEY NOT NULL,
    content BLOB NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
BEGIN
    SELECT RAISE(ABORT, 'a stored document cannot be changed');
END;

-- Witnesses' cosignatures of the checkpoints (C2SP tlog-cosignature, cosignature/v1), kept
-- beside the log: each witness's signature line for the checkpoint of one size, the first one
-- it gave. Not part of the signed log (a witness signs them, not the register); `ripa verify`
-- checks each against the witness's key in the policy in force and the checkpoint of its size.
-- A register made before witnessing gets the table on its first sync.
\#(cosignaturesTable)

-- Projections ---------------------------------------------------------------
--
-- Each projection row carries mac: BLAKE2b-128 over the table name and the row's columns,
-- keyed with a key derived from the register signing key's seed (which lives in the key file
-- beside the database, never in it). The live register checks the tag of every row a
-- decision reads and refuses to decide from one that does not match; `ripa key rotate`
-- re-tags every row in the rotation's transaction. See README "Security".

CREATE TABLE users (
    user_id              TEXT PRIMARY KEY NOT NULL,
    name                 TEXT NOT NULL,
    roles                TEXT NOT NULL,          -- comma-separated role names
    rank                 TEXT NOT NULL,
    head_of_paid_service INTEGER NOT NULL,
    public_key           BLOB NOT NULL UNIQUE,
    enrolled_seq         INTEGER NOT NULL,
    revoked_seq          INTEGER,
    mac                  BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE authorisations (
    urn         TEXT PRIMARY KEY NOT NULL,
    type        TEXT NOT NULL,
    year        INTEGER NOT NULL,
    document    BLOB NOT NULL,                   -- canonical JSON of the projected case
    updated_seq INTEGER NOT NULL,
    mac         BLOB NOT NULL
) WITHOUT ROWID;

-- The next URN counts the cases of a type and year: an index of small rows, not a scan of
-- every case's document.
CREATE INDEX authorisations_by_type_year ON authorisations (type, year);

CREATE TABLE authorisation_profiles (
    profile_key TEXT NOT NULL,
    urn         TEXT NOT NULL,
    mac         BLOB NOT NULL,
    PRIMARY KEY (profile_key, urn)
) WITHOUT ROWID;

-- Clustered by profile: the gate's lookup (how often has this profile been looked at) reads
-- one contiguous run of rows, and recording a look is a single B-tree insert. Listing a case's
-- views scans instead: an index on case_ref would cost every look a page write for a report
-- run now and then.
CREATE TABLE views (
    profile_key TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    time_ms     INTEGER NOT NULL,
    viewer      TEXT NOT NULL,
    case_ref    TEXT NOT NULL,
    urn         TEXT,
    outcome     TEXT NOT NULL,                   -- 'initial', 'authorised' or 'refused'
    mac         BLOB NOT NULL,
    PRIMARY KEY (profile_key, seq)
) WITHOUT ROWID;
CREATE INDEX views_by_urn ON views (urn) WHERE urn IS NOT NULL;

-- Each person's account as the user entries leave it (invitation, acceptance, key in force and
-- keys replaced, roles in force and awaiting approval, revocation); `users` holds only those
-- who may sign.
CREATE TABLE accounts (
    user_id  TEXT PRIMARY KEY NOT NULL,
    document BLOB NOT NULL,                      -- canonical JSON of the account
    mac      BLOB NOT NULL
) WITHOUT ROWID;
-- Profile keys recorded as one account (profile.aliased, signed by a monitoring officer): each
-- key with the key of its group (the smallest key in it). Groups are transitive: aliasing a key
-- of one group to a key of another merges them. A profile with no alias has no row; the gate
-- counts a profile's views, and matches its authorisations, across its whole group.
CREATE TABLE profile_aliases (
    profile_key TEXT PRIMARY KEY NOT NULL,
    group_key   TEXT NOT NULL,
    seq         INTEGER NOT NULL,                -- the profile.aliased entry that last placed it
    mac         BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX profile_aliases_by_group ON profile_aliases (group_key);
"""#
}
