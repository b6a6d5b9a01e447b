/// One register entry: the signed JSON object that is a leaf of the log (DESIGN.md "Entry").
///
/// ```
/// {"body":{…},"kind":"…","prev":"<b64>","seq":N,"sig":"<b64>","signer":"<b64>","time":"…","v":1}
/// ```
/// - signed message = `ripa-register/entry/v1\n` ‖ JCS(entry without `sig`)
/// - leaf data = JCS(entry with `sig`); leaf hash = SHA-256(0x00 ‖ leaf data)
public struct Entry: Sendable, Hashable {
    /// The entry format version this library writes and reads (member `v`).
    public static let version: Int64 = 1

    /// Domain separation for entry signatures: the UTF-8 of `ripa-register/entry/v1\n`, so an entry
    /// signature can never be replayed as a signature over anything else.
    public static let signaturePrefix: [UInt8] = Array("ripa-register/entry/v1\n".utf8)

    /// 0-based position in the log (member `seq`).
    public let seq: UInt64
    /// When the entry was made (member `time`).
    public let time: EntryTime
    /// What kind of event this is, e.g. `authorisation.granted` (member `kind`).
    public let kind: String
    /// The leaf hash of entry `seq − 1`; ``Hash/zero`` for entry 0 (member `prev`).
    public let prev: Hash
    /// The public key of the actor who signed the entry (member `signer`).
    public let signer: PublicKey
    /// The kind-specific content, always a JSON object (member `body`).
    public let body: JSONValue
    /// The 64-byte Ed25519 signature over ``signedMessage`` (member `sig`).
    public let signature: [UInt8]
    /// JCS of the whole entry, computed once (parsing checks the input already is exactly this).
    public let leafData: [UInt8]
    /// Where `,"sig":"…"` sits in ``leafData``; cutting it out gives JCS of the entry without `sig`,
    /// because removing a member from canonical JSON leaves canonical JSON (and `sig` is never first).
    private let signatureMember: Range<Int>

    /// The JSON member names, in canonical (sorted) order.
    public static let memberNames = ["body", "kind", "prev", "seq", "sig", "signer", "time", "v"]

    private init(seq: UInt64, time: EntryTime, kind: String, prev: Hash, signer: PublicKey, body: JSONValue,
                 signature: [UInt8], leafData: [UInt8], signatureMember: Range<Int>) {
        self.seq = seq
        self.time = time
        self.kind = kind
        self.prev = prev
        self.signer = signer
        self.body = body
        self.signature = signature
        self.leafData = leafData
        self.signatureMember = signatureMember
    }

    /// The entry as a decision reads it: the same envelope with `body` in place of the stored
    /// body (its personal fields opened). Its ``signature`` and ``leafData`` are the stored
    /// entry's and do not cover this body: never store, sign or verify the result.
    public func replacingBody(_ body: JSONValue) -> Entry {
        Entry(seq: seq, time: time, kind: kind, prev: prev, signer: signer, body: body,
              signature: signature, leafData: leafData, signatureMember: signatureMember)
    }

    /// Creates and signs an entry with `key` (whose public key becomes ``signer``).
    ///
    /// Preconditions (programming errors, not input errors): `body` is an object, `kind` is not empty,
    /// `seq` ≤ 2^53 − 1, `time` lies in years 0000–9999, and any integers in `body` are in the safe range —
    /// otherwise the entry could not be read back by ``init(leafData:)``.
    public static func sign(seq: UInt64, time: EntryTime, kind: String, prev: Hash, body: JSONValue, with key: SigningKey) -> Entry {
        precondition(body.objectValue != nil, "Entry body must be a JSON object")
        precondition(!kind.isEmpty, "Entry kind must not be empty")
        precondition(seq <= UInt64(JSONValue.maxSafeInteger), "Entry seq beyond 2^53 − 1")
        precondition(EntryTime.formattable.contains(time.millisecondsSince1970), "Entry time outside years 0000–9999")
        var writer = CanonicalWriter(capacity: 512)
        writer.out.append(contentsOf: signaturePrefix)
        let sigAt = writeMembers(into: &writer, seq: seq, time: time, kind: kind, prev: prev, signer: key.publicKey, body: body)
        let signature = key.signature(for: writer.out)
        let (leaf, sigMember) = withSignature(writer.out[signaturePrefix.count...], insertedAt: sigAt - signaturePrefix.count, signature)
        return Entry(seq: seq, time: time, kind: kind, prev: prev, signer: key.publicKey, body: body,
                     signature: signature, leafData: leaf, signatureMember: sigMember)
    }

    /// JCS of the entry with `sig`, from JCS of the entry without it: `,"sig":"…"` goes back in
    /// at `offset`, so the body is serialised once, not twice. Returns the bytes and where the
    /// member sits in them.
    private static func withSignature(_ unsigned: ArraySlice<UInt8>, insertedAt offset: Int, _ signature: [UInt8]) -> ([UInt8], Range<Int>) {
        let split = unsigned.startIndex + offset
        var leaf: [UInt8] = []
        leaf.reserveCapacity(unsigned.count + 100)
        leaf.append(contentsOf: unsigned[..<split])
        appendStatic(",\"sig\":\"", to: &leaf)
        Base64.appendEncoded(signature, to: &leaf)
        leaf.append(UInt8(ascii: "\""))
        let end = leaf.count
        leaf.append(contentsOf: unsigned[split...])
        return (leaf, offset..<end)
    }

    /// Writes the entry object without `sig` in canonical member order (body, kind, prev, seq,
    /// signer, time, v). Writing the fixed members directly is equivalent to JCS of the object and
    /// avoids building and sorting a dictionary. Returns the offset where `,"sig":"…"` belongs
    /// (between `seq` and `signer`).
    private static func writeMembers(into w: inout CanonicalWriter, seq: UInt64, time: EntryTime, kind: String, prev: Hash,
                                     signer: PublicKey, body: JSONValue) -> Int {
        appendStatic("{\"body\":", to: &w.out)
        w.write(body)
        appendStatic(",\"kind\":", to: &w.out)
        w.writeString(kind)
        appendStatic(",\"prev\":\"", to: &w.out)
        prev.withUnsafeBytes { Base64.appendEncoded($0, to: &w.out) }
        appendStatic("\",\"seq\":", to: &w.out)
        w.writeInteger(Int64(seq))
        let sigAt = w.out.count
        appendStatic(",\"signer\":\"", to: &w.out)
        Base64.appendEncoded(signer.bytes, to: &w.out)
        appendStatic("\",\"time\":", to: &w.out)
        w.writeString(time.description)
        appendStatic(",\"v\":", to: &w.out)
        w.writeInteger(version)
        appendStatic("}", to: &w.out)
        return sigAt
    }

    private static func appendStatic(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Reads an entry from its leaf data, strictly.
    ///
    /// Checks, in order: the bytes are JSON (see ``JSONValue/init(parsing:)-(Collection<UInt8>)``); it is an
    /// object with exactly the members `v`, `seq`, `time`, `kind`, `prev`, `signer`, `body`, `sig`; `v` is 1;
    /// each member has the right type and form (base64 of 32, 32 and 64 bytes); and the bytes are exactly
    /// the RFC 8785 canonical form of what they parse to. It does not check the signature
    /// (see ``hasValidSignature``) or the `prev` link.
    /// - Throws: the JSON parse errors; ``LedgerError/Code/malformedEntry`` naming the member at fault;
    ///   ``LedgerError/Code/notCanonical`` with the first differing byte offset.
    public init(leafData: some Collection<UInt8>) throws(LedgerError) {
        let bytes = Array(leafData)
        // The top level is read member by member (no dictionary), and the parser notes any departure
        // from canonical form as it goes, so the entry is never serialised again just to compare.
        var members = [JSONValue?](repeating: nil, count: Self.memberNames.count)
        var sigRange = 0..<0
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            JSONParser.parseObjectMembers(buffer, notAnObject: LedgerError(.malformedEntry, "entry is not a JSON object")) {
                name, value, range throws(LedgerError) in
                guard let slot = Self.memberSlot(name) else {
                    throw LedgerError(.malformedEntry, "entry has unexpected member \"\(name)\"")
                }
                if members[slot] != nil {
                    throw LedgerError(.duplicateKey, "invalid JSON at byte \(range.lowerBound): duplicate member name \"\(name)\" (RFC 8785 needs unique names)")
                }
                members[slot] = value
                // Include the comma before the member; "sig" always follows "body" in canonical order.
                if name == "sig" { sigRange = (range.lowerBound - 1)..<range.upperBound }
            }
        }
        let nonCanonicalOffset = try parsed.get()
        for (slot, name) in Self.memberNames.enumerated() where members[slot] == nil {
            throw LedgerError(.malformedEntry, "entry has no \"\(name)\" member")
        }
        func bad(_ name: String, _ what: String) -> LedgerError {
            LedgerError(.malformedEntry, "entry member \"\(name)\" \(what)")
        }
        // Slots follow memberNames: body, kind, prev, seq, sig, signer, time, v.
        guard case .integer(let v) = members[7] else { throw bad("v", "must be the integer 1") }
        guard v == Self.version else {
            throw bad("v", "is \(v); this software reads entry format version \(Self.version) only")
        }
        guard case .integer(let seq) = members[3], seq >= 0 else {
            throw bad("seq", "must be a non-negative integer")
        }
        guard case .string(let timeText) = members[6] else { throw bad("time", "must be a string") }
        let time: EntryTime
        do { time = try EntryTime(parsing: timeText) } catch { throw bad("time", error.message.replacingFirstTimePrefix()) }
        guard case .string(let kind) = members[1], !kind.isEmpty else {
            throw bad("kind", "must be a non-empty string")
        }
        guard case .string(let prevText) = members[2], let prev = Hash(base64: prevText) else {
            throw bad("prev", "must be standard base64 of a 32-byte hash")
        }
        guard case .string(let signerText) = members[5], let signer = try? PublicKey(base64: signerText) else {
            throw bad("signer", "must be standard base64 of a 32-byte Ed25519 public key")
        }
        guard let body = members[0], body.objectValue != nil else { throw bad("body", "must be a JSON object") }
        guard case .string(let sigText) = members[4], let signature = Base64.decode(sigText), signature.count == 64 else {
            throw bad("sig", "must be standard base64 of a 64-byte Ed25519 signature")
        }
        // Base64 and time are decoded strictly (one text per value), so canonical JSON is all that is
        // left to check for the bytes to be the one form of this entry.
        if let offset = nonCanonicalOffset {
            throw LedgerError(
                .notCanonical,
                "entry is not in RFC 8785 canonical form (first difference at byte \(offset): whitespace, member order, escaping or number form)")
        }
        self.init(seq: UInt64(seq), time: time, kind: kind, prev: prev, signer: signer, body: body,
                  signature: signature, leafData: bytes, signatureMember: sigRange)
        assert(Self.reserialised(self) == bytes, "canonical-form check disagrees with re-serialisation")
    }

    /// The index of `name` in ``memberNames``.
    private static func memberSlot(_ name: String) -> Int? {
        switch name {
        case "body": 0
        case "kind": 1
        case "prev": 2
        case "seq": 3
        case "sig": 4
        case "signer": 5
        case "time": 6
        case "v": 7
        default: nil
        }
    }

    /// JCS of the entry written afresh; used to cross-check the parser in debug builds.
    private static func reserialised(_ entry: Entry) -> [UInt8] {
        var writer = CanonicalWriter(capacity: entry.leafData.count)
        let sigAt = writeMembers(into: &writer, seq: entry.seq, time: entry.time, kind: entry.kind, prev: entry.prev,
                                 signer: entry.signer, body: entry.body)
        return withSignature(writer.out[...], insertedAt: sigAt, entry.signature).0
    }

    /// The bytes the signer signed: ``signaturePrefix`` followed by JCS of the entry without `sig`.
    public var signedMessage: [UInt8] {
        var message: [UInt8] = []
        message.reserveCapacity(Self.signaturePrefix.count + leafData.count - signatureMember.count)
        message.append(contentsOf: Self.signaturePrefix)
        message.append(contentsOf: leafData[..<signatureMember.lowerBound])
        message.append(contentsOf: leafData[signatureMember.upperBound...])
        return message
    }

    /// RFC 6962 leaf hash of ``leafData``: this entry's leaf in the Merkle tree and the next entry's `prev`.
    public var leafHash: Hash { RFC6962.leafHash(leafData) }

    /// Whether ``signature`` is ``signer``'s valid signature over ``signedMessage``.
    public var hasValidSignature: Bool {
        signer.isValidSignature(signature, for: signedMessage)
    }

    /// The full entry object, with `sig`.
    public var json: JSONValue {
        .object([
            "v": .integer(Self.version),
            "seq": .integer(Int64(seq)),
            "time": .string(time.description),
            "kind": .string(kind),
            "prev": .string(prev.base64),
            "signer": .string(signer.base64),
            "body": body,
            "sig": .string(Base64.encode(signature)),
        ])
    }
}

extension String {
    /// EntryTime's message starts "time ..."; inside an entry error the member is already named.
    fileprivate func replacingFirstTimePrefix() -> String {
        hasPrefix("time ") ? String(dropFirst(5)) : self
    }
}
