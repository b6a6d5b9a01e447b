import Foundation
import Ledger
import Testing

@Suite("Entries")
struct EntryTests {
    static let key = SigningKey()
    static let body: JSONValue = [
        "authorisation": "AUTH-2026-0042",
        "offences": ["Fraud Act 2006 s.1", "Theft Act 1968 s.1"],
        "note": "line\nbreak \u{2028} é 😀 \"quoted\"",
        "count": 3,
        "flags": ["urgent": false, "renewal": nil],
        "zero": 0,
    ]

    static func sample(seq: UInt64 = 7, body: JSONValue = body) -> Entry {
        Entry.sign(seq: seq, time: EntryTime(millisecondsSince1970: 1_795_256_130_123), kind: "authorisation.granted",
                   prev: Hash.sha256(Array("previous".utf8)), body: body, with: key)
    }

    @Test("sign → leafData → Entry(leafData:) gives the same entry, validly signed")
    func roundTrip() throws {
        let entry = Self.sample()
        #expect(entry.hasValidSignature)
        let parsed = try Entry(leafData: entry.leafData)
        #expect(parsed == entry)
        #expect(parsed.hasValidSignature)
        #expect(parsed.seq == 7)
        #expect(parsed.time.description == "2026-11-21T10:15:30.123Z")
        #expect(parsed.kind == "authorisation.granted")
        #expect(parsed.signer == Self.key.publicKey)
        #expect(parsed.body == Self.body)
        #expect(parsed.signature.count == 64)
        #expect(parsed.leafHash == RFC6962.leafHash(entry.leafData))
    }

    @Test("leaf data is JCS of the full object; the signed message is the prefix and JCS without sig")
    func definitions() throws {
        let entry = Self.sample()
        #expect(entry.leafData == entry.json.canonicalBytes)
        var withoutSig = try #require(entry.json.objectValue)
        withoutSig["sig"] = nil
        #expect(entry.signedMessage == Array("ripa-register/entry/v1\n".utf8) + JSONValue.object(withoutSig).canonicalBytes)
        #expect(Entry.signaturePrefix == Array("ripa-register/entry/v1\n".utf8))
        #expect(Self.key.publicKey.isValidSignature(entry.signature, for: entry.signedMessage))
        let json = entry.json
        #expect(json["v"] == 1)
        #expect(json["seq"] == 7)
        #expect(json["prev"]?.stringValue == entry.prev.base64)
        #expect(json["signer"]?.stringValue == Self.key.publicKey.base64)
        #expect(json["time"] == "2026-11-21T10:15:30.123Z")
        #expect(String(decoding: entry.leafData, as: UTF8.self).hasPrefix(#"{"body":{"authorisation":"AUTH-2026-0042","count":3,"#))
    }

    @Test("entry 0 links to the zero hash; each entry's leaf hash is the next one's prev")
    func chain() throws {
        let first = Entry.sign(seq: 0, time: .now(), kind: "register.created", prev: .zero, body: [:], with: Self.key)
        #expect(first.json["prev"]?.stringValue == "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        let second = Entry.sign(seq: 1, time: .now(), kind: "user.enrolled", prev: first.leafHash, body: ["user": "alice"], with: Self.key)
        #expect(try Entry(leafData: second.leafData).prev == first.leafHash)
    }

    @Test("changing any single byte makes the entry unreadable or its signature invalid")
    func tampering() {
        let entry = Self.sample()
        var undetected: [Int] = []
        for i in entry.leafData.indices {
            for mask: UInt8 in [0x01, 0x20] {
                var bytes = entry.leafData
                bytes[i] ^= mask
                if let parsed = try? Entry(leafData: bytes), parsed.hasValidSignature { undetected.append(i) }
            }
        }
        #expect(undetected.isEmpty, "undetected changes at bytes \(undetected)")
    }

    @Test("a valid signature by someone else is still a valid signature, but not by the claimed signer")
    func otherSigner() throws {
        let entry = Self.sample()
        var json = try #require(entry.json.objectValue)
        json["signer"] = .string(SigningKey().publicKey.base64)
        let swapped = try Entry(leafData: JSONValue.object(json).canonicalBytes)
        #expect(!swapped.hasValidSignature)
    }

    struct NonCanonical: Sendable, CustomTestStringConvertible {
        let label: String
        let transform: @Sendable (String) -> String
        var testDescription: String { label }
    }

    static let nonCanonical: [NonCanonical] = [
        NonCanonical(label: "leading space") { " " + $0 },
        NonCanonical(label: "trailing newline") { $0 + "\n" },
        NonCanonical(label: "space after colon") { $0.replacingFirst("\"kind\":", with: "\"kind\": ") },
        NonCanonical(label: "space after comma") { $0.replacingFirst(",\"prev\"", with: ", \"prev\"") },
        NonCanonical(label: "reordered members") { text in
            // Move "v":1 to the front.
            "{\"v\":1," + text.dropFirst().replacingFirst(",\"v\":1}", with: "}")
        },
        NonCanonical(label: "escaped slash") { $0.replacingFirst("authorisation.granted", with: "authorisation\\/granted") },
        NonCanonical(label: "unicode escape for ASCII") { $0.replacingFirst("AUTH-2026", with: "\\u0041UTH-2026") },
        NonCanonical(label: "uppercase \\u escape") { $0.replacingFirst("\"note\":\"line\\nbreak", with: "\"note\":\"line\\u000Abreak") },
        NonCanonical(label: "negative zero") { $0.replacingFirst("\"zero\":0", with: "\"zero\":-0") },
    ]

    @Test("non-canonical bytes are refused with .notCanonical", arguments: nonCanonical)
    func notCanonical(_ c: NonCanonical) {
        let text = String(decoding: Self.sample().leafData, as: UTF8.self)
        let altered = c.transform(text)
        #expect(altered != text, "transform must change the text")
        let error = ledgerError { _ = try Entry(leafData: Array(altered.utf8)) }
        #expect(error?.code == .notCanonical, "\(String(describing: error))")
    }

    struct BadMember: Sendable, CustomTestStringConvertible {
        let label: String
        let member: String
        let value: JSONValue?
        var testDescription: String { label }
    }

    static let badMembers: [BadMember] = [
        BadMember(label: "missing v", member: "v", value: nil),
        BadMember(label: "missing seq", member: "seq", value: nil),
        BadMember(label: "missing time", member: "time", value: nil),
        BadMember(label: "missing kind", member: "kind", value: nil),
        BadMember(label: "missing prev", member: "prev", value: nil),
        BadMember(label: "missing signer", member: "signer", value: nil),
        BadMember(label: "missing body", member: "body", value: nil),
        BadMember(label: "missing sig", member: "sig", value: nil),
        BadMember(label: "extra member", member: "extra", value: "x"),
        BadMember(label: "v is 2", member: "v", value: 2),
        BadMember(label: "v is a string", member: "v", value: "1"),
        BadMember(label: "negative seq", member: "seq", value: -1),
        BadMember(label: "seq is a string", member: "seq", value: "7"),
        BadMember(label: "time without ms", member: "time", value: "2026-11-21T10:15:30Z"),
        BadMember(label: "time is a number", member: "time", value: 1_795_256_130_123),
        BadMember(label: "kind empty", member: "kind", value: ""),
        BadMember(label: "kind not a string", member: "kind", value: ["a"]),
        BadMember(label: "prev 31 bytes", member: "prev", value: .string(Data(count: 31).base64EncodedString())),
        BadMember(label: "prev not base64", member: "prev", value: "not base64"),
        BadMember(label: "prev hex", member: "prev", value: .string(Hash.zero.hex)),
        BadMember(label: "signer 33 bytes", member: "signer", value: .string(Data(count: 33).base64EncodedString())),
        BadMember(label: "body an array", member: "body", value: []),
        BadMember(label: "body null", member: "body", value: nil as JSONValue?),
        BadMember(label: "sig 63 bytes", member: "sig", value: .string(Data(count: 63).base64EncodedString())),
        BadMember(label: "sig null", member: "sig", value: .null),
    ]

    @Test("missing, extra or mistyped members are refused, naming the member", arguments: badMembers)
    func badMember(_ b: BadMember) throws {
        var json = try #require(Self.sample().json.objectValue)
        json[b.member] = b.value
        if b.label == "body null" { json["body"] = .null }
        let error = ledgerError { _ = try Entry(leafData: JSONValue.object(json).canonicalBytes) }
        #expect(error?.code == .malformedEntry, "\(String(describing: error))")
        #expect(error?.message.contains("\"\(b.member)\"") == true, "\(String(describing: error))")
    }

    @Test("JSON-level problems keep their own codes")
    func jsonErrors() {
        #expect(ledgerError { _ = try Entry(leafData: Array("[]".utf8)) }?.code == .malformedEntry)
        #expect(ledgerError { _ = try Entry(leafData: Array("{".utf8)) }?.code == .malformedJSON)
        let text = String(decoding: Self.sample().leafData, as: UTF8.self).replacingFirst("\"count\":3", with: "\"count\":3.5")
        #expect(ledgerError { _ = try Entry(leafData: Array(text.utf8)) }?.code == .floatNotAllowed)
        let dup = String(decoding: Self.sample().leafData, as: UTF8.self).replacingFirst("{\"body\":", with: "{\"v\":1,\"body\":")
        #expect(ledgerError { _ = try Entry(leafData: Array(dup.utf8)) }?.code == .duplicateKey)
    }
}


extension String {
    /// Replaces the first occurrence only (test helper).
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}

extension Substring {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        String(self).replacingFirst(target, with: replacement)
    }
}
