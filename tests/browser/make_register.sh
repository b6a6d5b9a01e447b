#!/usr/bin/env bash
# Makes the browser tests' register: a test register at $RIPA_DB with two founding
# administrators (alice, bob), investigator ivan, monitoring officer mo (approved by bob) and
# auditor ada, each with the passphrase in users.json. Usage: make_register.sh RIPA_BIN
set -euo pipefail
RIPA=$1
HERE=$(cd "$(dirname "$0")" && pwd)
pass() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]]["passphrase"])' "$HERE/users.json" "$1"; }
code_of() { python3 -c 'import json, sys; d = json.load(sys.stdin); print(next(i["code"] for i in d.get("invitations", [d]) if i["user_id"] == sys.argv[1]))' "$1"; }

INIT=$("$RIPA" init --test-register --origin ripa.example-council.gov.uk/register \
    --admin alice --admin-name "Alice Adams" --admin-rank "Head of Legal Services" \
    --admin bob --admin-name "Bob Brown" --admin-rank "Head of ICT" --json)
RIPA_NEW_PASSPHRASE="$(pass alice)" "$RIPA" user accept alice --code "$(code_of alice <<<"$INIT")" >/dev/null
RIPA_NEW_PASSPHRASE="$(pass bob)" "$RIPA" user accept bob --code "$(code_of bob <<<"$INIT")" >/dev/null
invite() {  # id name roles rank
    local out
    out=$(RIPA_PASSPHRASE="$(pass alice)" "$RIPA" user add "$1" --name "$2" --roles "$3" --rank "$4" --json --as alice)
    RIPA_NEW_PASSPHRASE="$(pass "$1")" "$RIPA" user accept "$1" --code "$(code_of "$1" <<<"$out")" >/dev/null
}
invite ivan "Ivan Inglis" investigator "Senior Fraud Investigator"
invite mo "Morgan Owen" monitoring-officer "Director of Law and Governance"
RIPA_PASSPHRASE="$(pass bob)" "$RIPA" user approve mo --as bob >/dev/null
invite ada "Ada Auditor" auditor "Internal Audit Manager"
