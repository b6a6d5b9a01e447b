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
# Passphrases follow NIST SP 800-63B-4: 15 characters or more, not containing the user's id or name.
pass() {
    case $1 in
        alice) echo "harbour lantern velvet orbit" ;;
        ivan) echo "copper kettle morning tide" ;;
        mo) echo "granite meadow silver fox" ;;
        ada) echo "paper lantern quiet river" ;;
        bob) echo "amber window forest gate" ;;
        ivan2) echo "seven lighthouse copper rain" ;;
    esac
}
as() { local who=$1; shift; RIPA_PASSPHRASE="$(pass "$who")" run "$@" --as "$who"; }

# Reads the one-time code out of `ripa init --json` / `ripa user add --json`.
code_of() { python3 -c 'import json, sys; d = json.load(sys.stdin); print(next(i["code"] for i in d.get("invitations", [d]) if i["user_id"] == sys.argv[1]))' "$1"; }

step "1. Create the register: genesis, the policy pack and two founding administrators' invitations, all signed by the register key"
say '$ ripa init --test-register --origin ripa.example-council.gov.uk/register --admin alice … --admin bob … --json'
INIT=$("$RIPA" init --test-register --origin ripa.example-council.gov.uk/register \
    --admin alice --admin-name "Alice Adams" --admin-rank "Head of Legal Services" \
    --admin bob --admin-name "Bob Brown" --admin-rank "Head of ICT" --json)
say "$INIT"
say "Each founder gets a one-time code (only its hash is in the register) and chooses their own passphrase:"
RIPA_NEW_PASSPHRASE="$(pass alice)" run user accept alice --code "$(code_of alice <<<"$INIT")"
say "Until bob accepts too, alice can write nothing:"
if as alice user add ivan --name "Ivan Inglis" --roles investigator --rank "Senior Fraud Investigator" 2>&1; then exit 1; fi
RIPA_NEW_PASSPHRASE="$(pass bob)" run user accept bob --code "$(code_of bob <<<"$INIT")"

step "2. Enrol the people who use it: an invitation each, accepted by the person with a key only they hold"
say '$ ripa user add ivan --name "Ivan Inglis" --roles investigator --rank "Senior Fraud Investigator" --json --as alice'
IVAN=$(RIPA_PASSPHRASE="$(pass alice)" "$RIPA" user add ivan --name "Ivan Inglis" --roles investigator --rank "Senior Fraud Investigator" --json --as alice)
say "$IVAN"
RIPA_NEW_PASSPHRASE="$(pass ivan)" run user accept ivan --code "$(code_of ivan <<<"$IVAN")"
say "A privileged role (the monitoring officer's) needs a second administrator: alice invites, bob approves."
MO=$(RIPA_PASSPHRASE="$(pass alice)" "$RIPA" user add mo --name "Morgan Owen" --roles monitoring-officer --rank "Director of Law and Governance" --json --as alice)
RIPA_NEW_PASSPHRASE="$(pass mo)" run user accept mo --code "$(code_of mo <<<"$MO")"
say "alice cannot approve her own request:"
if as alice user approve mo 2>&1; then exit 1; fi
as bob user approve mo
ADA=$(RIPA_PASSPHRASE="$(pass alice)" "$RIPA" user add ada --name "Ada Auditor" --roles auditor --rank "Internal Audit Manager" --json --as alice)
RIPA_NEW_PASSPHRASE="$(pass ada)" run user accept ada --code "$(code_of ada <<<"$ADA")"
run user list

step "3. The log: every line is a signed entry, chained to the one before"
run log
say "(ripa log --json prints each entry's exact signed bytes)"

step "4. The signed checkpoint an auditor keeps (C2SP tlog-checkpoint)"
say '$ ripa checkpoint | tee kept-checkpoint.txt'
"$RIPA" checkpoint | tee "$DIR/kept-checkpoint.txt"
run proof inclusion --index 2

step "5. Roles are enforced: an investigator cannot enrol users"
if as ivan user add eve --name Eve --roles administrator --rank X 2>&1; then exit 1; fi
say "A new passphrase replaces the key (signed by the old one): a copy of the old sealed key is worthless after."
RIPA_NEW_PASSPHRASE="$(pass ivan2)" as ivan user passwd
as() { local who=$1; shift; local p; p=$(pass "$who"); [ "$who" = ivan ] && p=$(pass ivan2); RIPA_PASSPHRASE="$p" run "$@" --as "$who"; }

step "6. The serious crime threshold: littering is fine-only, so this application is refused (and the refusal recorded)"
if as ivan apply --type directed-surveillance --operation "Clean Streets" --purpose "repeat littering outside the market" \
    --subject "Unknown" --offence epa-1990-s87 --necessity "n/a" --proportionality "n/a" --collateral-intrusion "n/a"; then exit 1; fi

step "7. A fly-tipping case (Environmental Protection Act 1990 s.33, 5 years) is accepted with a URN"
say '$ ripa apply --type directed-surveillance --operation "Mill Lane" ... --offence epa-1990-s33 --json --as ivan'
URN=$(RIPA_PASSPHRASE="$(pass ivan2)" "$RIPA" apply --type directed-surveillance --operation "Mill Lane" \
    --purpose "identify who is fly-tipping at Mill Lane" \
    --subject "Jo Bloggs" --online-identity https://www.facebook.com/jo.bloggs --offence epa-1990-s33 \
    --necessity "overt enquiries have failed; the subject advertises waste clearance on Facebook" \
    --proportionality "public posts only, for the shortest period" --collateral-intrusion "friends' comments are not recorded" \
    --json --as ivan | python3 -c 'import json, sys; print(json.load(sys.stdin)["urn"])')
say "Accepted $URN"

step "8. A first look at the subject's profile is an initial examination: allowed and recorded"
as ivan view https://www.facebook.com/jo.bloggs --case "Mill Lane" --purpose "confirm the business page"
step "   The repeat look, spelled differently, is the same profile: refused without an authorisation"
if as ivan view "http://m.facebook.com/Jo.Bloggs/?fbclid=abc" --case "Mill Lane" --purpose "check new posts"; then exit 1; fi
step "   Through an archived copy it is still the same profile: refused too (copies and mirrors are data in the pack)"
if as ivan view "https://archive.ph/newest/https://www.facebook.com/jo.bloggs" --case "Mill Lane" --purpose "check new posts"; then exit 1; fi

step "9. The monitoring officer grants; it takes effect only once a magistrate approves (RIPA s.32A)"
as mo grant "$URN" --reasons "necessary to identify the offender; proportionate: public posts only"
say "The applicant records the JP's decision and attaches the order (kept by its SHA-256, Code of Practice 8.2):"
printf 'Order of Jane Smith JP, Leeds Magistrates Court: approved.\n' > "$DIR/order.txt"
as ivan judicial "$URN" --decision approved --court "Leeds Magistrates' Court" --magistrate "Jane Smith JP" \
    --at "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" --order "$DIR/order.txt"
ORDER=$(sha256sum "$DIR/order.txt" | cut -d' ' -f1)
run document show "$ORDER" --out "$DIR/order-back.txt"

step "10. Now the repeat look is allowed under the authorisation"
as ivan view "http://m.facebook.com/Jo.Bloggs/?fbclid=abc" --case "Mill Lane" --purpose "check new posts" --authorisation "$URN"

step "11. Review, then cancel as soon as it is no longer needed (RIPA s.45)"
as mo review "$URN" --findings "two posts advertising clearance; van registration seen"
as mo cancel "$URN" --reason "offender identified; interview arranged" --value-obtained "identity and vehicle of the offender"
run status "$URN"

step "12. The central record (Code of Practice para 8.1) and what is due"
run record central
run due

step "13. Verify the whole register against the kept checkpoint, re-running every decision"
run verify --checkpoint "$DIR/kept-checkpoint.txt" --replay

step "14. An IPCO inspector takes the evidence away and checks it on their own machine"
say "The inspector makes a key pair and gives the council the public half:"
printf '$ ripa inspector-key new --out inspector.key\n'
INSPECTOR=$("$RIPA" inspector-key new --out "$DIR/inspector.key")
echo "$INSPECTOR"
say "Handing the case's data keys over is a disclosure, so an administrator records it first:"
as alice export bundle --out "$DIR/visit.tar" --for "$INSPECTOR" --purpose "IPCO inspection, December 2026"
say "With no database, the bundle alone; the personal data opens only with the inspector's key:"
printf '$ ripa verify --bundle visit.tar --replay --inspector-key inspector.key\n'
(unset RIPA_DB; "$RIPA" verify --bundle "$DIR/visit.tar" --replay --inspector-key "$DIR/inspector.key")

step "15. Tamper with a copy: someone with the database file edits an enrolment"
cp "$RIPA_DB" "$DIR/tampered.db"; cp "$DIR/register.key" "$DIR/tampered.key"
python3 - "$DIR/tampered.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("DROP TRIGGER entries_no_update;")
db.execute("UPDATE entries SET leaf = CAST(replace(CAST(leaf AS TEXT), 'Senior Fraud Investigator', 'Senior Fraud Investigatar') AS BLOB) WHERE kind = 'user.invited' AND CAST(leaf AS TEXT) LIKE '%Senior Fraud Investigator%'")
db.commit()
PY
say "$ ripa verify --db tampered.db"
if "$RIPA" verify --db "$DIR/tampered.db"; then exit 1; fi

if [ "${DEMO_SERVE:-1}" != 0 ]; then
    step "16. The register in a browser: ripa serve on http://127.0.0.1:${DEMO_PORT:-8080} until Ctrl-C"
    say "Sign in as any of these (each passphrase unlocks only that person's key):"
    say "  alice  administrator        $(pass alice)"
    say "  bob    administrator        $(pass bob)"
    say "  ivan   investigator         $(pass ivan2)"
    say "  mo     monitoring officer   $(pass mo)"
    say "  ada    auditor              $(pass ada)"
    say "(DEMO_SERVE=0 make demo skips this step.)"
    run serve --listen "127.0.0.1:${DEMO_PORT:-8080}" || true
fi

step "Done"
say "The register lived in a temporary folder, now removed. See README.md for more."
