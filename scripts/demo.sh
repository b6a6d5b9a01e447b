#!/usr/bin/env bash
# A walk through a fresh register in a temporary folder. Run by `make demo`.
set -euo pipefail

RIPA=${1:-ripa}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
export RIPA_DB="$DIR/register.db"
unset RIPA_PASSPHRASE RIPA_NEW_PASSPHRASE RIPA_CLOCK

bold=$(tput bold 2>/dev/null || true); plain=$(tput sgr0 2>/dev/null || true)
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
say() { printf '%s\n' "$*"; }
run() { printf '$ ripa %s\n' "$*"; "$RIPA" "$@"; }
# Acting users unlock their sealed keys with a passphrase; the demo passes it in the environment.
as() { local who=$1; shift; RIPA_PASSPHRASE="$who passphrase" run "$@" --as "$who"; }

step "1. Create the register (database, register key file, genesis entry, first administrator)"
RIPA_PASSPHRASE="alice passphrase" run init --origin ripa.example-council.gov.uk/register \
    --admin alice --admin-name "Alice Adams" --admin-rank "Head of Legal Services"

step "2. Enrol the people who use it (each enrolment is an entry signed by the administrator)"
RIPA_NEW_PASSPHRASE="ivan passphrase" as alice user add ivan --name "Ivan Inglis" --roles investigator --rank "Senior Fraud Investigator"
RIPA_NEW_PASSPHRASE="mo passphrase" as alice user add mo --name "Morgan Owen" --roles monitoring-officer --rank "Director of Law and Governance"
RIPA_NEW_PASSPHRASE="ada passphrase" as alice user add ada --name "Ada Auditor" --roles auditor --rank "Internal Audit Manager"
run user list

step "3. The log: every line is a signed entry, chained to the one before"
run log
say "(ripa log --json prints each entry's exact signed bytes)"

step "4. The signed checkpoint an auditor keeps (C2SP tlog-checkpoint)"
run checkpoint | tee "$DIR/kept-checkpoint.txt"
run proof inclusion --index 2

step "5. Roles are enforced: an investigator cannot enrol users"
if as ivan user add eve --name Eve --roles administrator --rank X 2>&1; then exit 1; fi

step "6. Verify the whole register against the kept checkpoint"
run verify --checkpoint "$DIR/kept-checkpoint.txt"

step "7. Tamper with a copy: someone with the database file edits an enrolment"
cp "$RIPA_DB" "$DIR/tampered.db"; cp "$DIR/register.key" "$DIR/tampered.key"
python3 - "$DIR/tampered.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("DROP TRIGGER entries_no_update;")
db.execute("UPDATE entries SET leaf = CAST(replace(CAST(leaf AS TEXT), 'Senior Fraud Investigator', 'Senior Fraud Investigatar') AS BLOB) WHERE seq = 2")
db.commit()
PY
say "$ ripa verify --db tampered.db"
if "$RIPA" verify --db "$DIR/tampered.db"; then exit 1; fi

step "Done"
say "The register lives in a temporary folder that is now removed. See README.md for more."
