/// A C2SP transparency-log trust policy (https://c2sp.org/tlog-policy): the logs accepted, the
/// witnesses known, their groups and the quorum of cosignatures a checkpoint needs.
///
/// ```
/// log ripa.example-council.gov.uk/register+1a2b3c4d+AV…
/// witness ipco ipco.example.org/witness+cacf2e50+BG… https://witness.ipco.example.org
/// witness leeds leeds.example.gov.uk/witness+0a0b0c0d+BA…
/// group both all ipco leeds
/// quorum both
/// ```
///
/// Parsed strictly as the spec says: lines end in newline; items are separated by spaces and
/// tabs only; blank and `#` lines are ignored; a group or the quorum names only what is defined
/// on earlier lines; each name is a member of a group at most once; exactly one quorum line;
/// no two logs and no two witnesses share a public key; bytes 0x00–0x08, 0x0B–0x1F and 0x7F
/// are refused. Names are opaque bytes.
public struct WitnessPolicy: Sendable, Hashable {
    /// An accepted log: its verifier key (named by its origin) and an optional URL.
    public struct Log: Sendable, Hashable {
        /// The log's checkpoint key; its name is the log's origin.
        public let key: NoteVerifierKey
        /// Where to reach the log, if given.
        public let url: String?
    }

    /// A known witness: its policy name, its cosignature key and an optional submission prefix.
    public struct Witness: Sendable, Hashable {
        /// The name the policy uses for it (not its key name).
        public let name: String
        /// Its `cosignature/v1` verifier key.
        public let key: CosignatureVerifierKey
        /// Its tlog-witness submission prefix (`POST <url>/add-checkpoint`), if given.
        public let url: String?
    }

    /// A group: satisfied when at least `threshold` of its members are.
    public struct Group: Sendable, Hashable {
        /// The group's name.
        public let name: String
        /// How many members must be satisfied (1 ≤ threshold ≤ members.count).
        public let threshold: Int
        /// Witness or group names defined before it.
        public let members: [String]
    }

    /// The logs, in file order.
    public let logs: [Log]
    /// The witnesses, in file order.
    public let witnesses: [Witness]
    /// The groups, in file order.
    public let groups: [Group]
    /// The quorum's name: a witness, a group, or `none`.
    public let quorum: String

    /// The predefined quorum that requires no cosignature.
    public static let none = "none"

    /// The most lines of each kind accepted (the spec recommends supporting at least 32).
    public static let maximumDefinitions = 256

    /// Parses a policy file.
    /// - Throws: ``LedgerError/Code/malformedPolicy`` naming the line and what is wrong.
    public init(parsing text: String) throws(LedgerError) {
        let bytes = Array(text.utf8)
        func bad(_ line: Int, _ what: String) -> LedgerError {
            LedgerError(.malformedPolicy, "witness policy line \(line): \(what)")
        }
        if let i = bytes.firstIndex(where: { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A) || $0 == 0x7F }) {
            let line = bytes[..<i].count { $0 == 0x0A } + 1
            throw bad(line, "control character 0x\(NoteKeyName.hex(UInt32(bytes[i])).suffix(2)) (only tab and newline are allowed)")
        }
        guard !bytes.isEmpty else { throw LedgerError(.malformedPolicy, "the witness policy is empty: it needs at least a quorum line") }
        guard bytes.last == 0x0A else {
            throw LedgerError(.malformedPolicy, "the witness policy must end with a newline (every line is newline-terminated)")
        }
        var logs: [Log] = []
        var witnesses: [Witness] = []
        var groups: [Group] = []
        var quorum: String?
        var defined: Set<String> = []
        let lines = bytes.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
        for (offset, raw) in lines.enumerated() {
            let number = offset + 1
            let items = raw.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 }).map { String(decoding: $0, as: UTF8.self) }
            guard let keyword = items.first, !keyword.hasPrefix("#") else { continue }
            let args = Array(items.dropFirst())
            switch keyword {
            case "log":
                guard (1...2).contains(args.count) else { throw bad(number, "a log line is `log <vkey> [<url>]`") }
                let key: NoteVerifierKey
                do { key = try NoteVerifierKey(parsing: args[0]) } catch { throw bad(number, error.message) }
                guard !logs.contains(where: { $0.key.publicKey == key.publicKey }) else {
                    throw bad(number, "log \(key.name) is listed twice (the same public key)")
                }
                logs.append(Log(key: key, url: args.count > 1 ? args[1] : nil))
            case "witness":
                guard (2...3).contains(args.count) else { throw bad(number, "a witness line is `witness <name> <vkey> [<url>]`") }
                let name = args[0]
                guard name != Self.none else { throw bad(number, "`none` is predefined and cannot name a witness") }
                guard !defined.contains(name) else { throw bad(number, "the name \(name) is already defined") }
                let key: CosignatureVerifierKey
                do { key = try CosignatureVerifierKey(parsing: args[1]) } catch { throw bad(number, error.message) }
                if let other = witnesses.first(where: { $0.key.publicKey == key.publicKey }) {
                    throw bad(number, "witness \(name) has the same public key as witness \(other.name)")
                }
                witnesses.append(Witness(name: name, key: key, url: args.count > 2 ? args[2] : nil))
                defined.insert(name)
            case "group":
                guard args.count >= 3 else { throw bad(number, "a group line is `group <name> all|any|<k> <member>...` with at least one member") }
                let name = args[0]
                guard name != Self.none else { throw bad(number, "`none` is predefined and cannot name a group") }
                guard !defined.contains(name) else { throw bad(number, "the name \(name) is already defined") }
                let members = Array(args.dropFirst(2))
                for member in members {
                    guard member != Self.none else { throw bad(number, "`none` cannot be a group member") }
                    guard defined.contains(member) else { throw bad(number, "group \(name) names \(member), which no earlier line defines") }
                }
                guard Set(members).count == members.count else { throw bad(number, "group \(name) lists a member twice") }
                if let reused = members.first(where: { member in groups.contains { $0.members.contains(member) } }) {
                    throw bad(number, "\(reused) is already a member of another group (each name may be a member once)")
                }
                let threshold: Int
                switch args[1] {
                case "all": threshold = members.count
                case "any": threshold = 1
                default:
                    let k = args[1]
                    guard !k.isEmpty, k.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), k == "0" || !k.hasPrefix("0"), let n = Int(k) else {
                        throw bad(number, "the threshold \"\(k)\" is not all, any or a decimal number")
                    }
                    guard n >= 1, n <= members.count else {
                        throw bad(number, "the threshold \(n) must be between 1 and the \(members.count) member\(members.count == 1 ? "" : "s")")
                    }
                    threshold = n
                }
                groups.append(Group(name: name, threshold: threshold, members: members))
                defined.insert(name)
            case "quorum":
                guard args.count == 1 else { throw bad(number, "a quorum line is `quorum <name>`") }
                guard quorum == nil else { throw bad(number, "a policy has exactly one quorum line; this is the second") }
                guard args[0] == Self.none || defined.contains(args[0]) else {
                    throw bad(number, "the quorum names \(args[0]), which no earlier line defines")
                }
                quorum = args[0]
            default:
                throw bad(number, "unknown keyword \"\(keyword)\" (expected log, witness, group or quorum)")
            }
            guard logs.count <= Self.maximumDefinitions, witnesses.count <= Self.maximumDefinitions, groups.count <= Self.maximumDefinitions else {
                throw bad(number, "more than \(Self.maximumDefinitions) definitions of one kind")
            }
        }
        guard let quorum else { throw LedgerError(.malformedPolicy, "the witness policy has no quorum line (write `quorum none` to require no cosignatures)") }
        self.logs = logs
        self.witnesses = witnesses
        self.groups = groups
        self.quorum = quorum
    }

    /// Whether cosignatures from the witnesses named in `cosigners` (policy names) meet the quorum.
    public func isSatisfied(by cosigners: Set<String>) -> Bool {
        isSatisfied(quorum, by: cosigners)
    }

    private func isSatisfied(_ name: String, by cosigners: Set<String>) -> Bool {
        if name == Self.none { return true }
        if let group = groups.first(where: { $0.name == name }) {
            return group.members.count { isSatisfied($0, by: cosigners) } >= group.threshold
        }
        return cosigners.contains(name)
    }

    /// The witnesses whose valid cosignatures on `checkpointText` are among `signatures`, by
    /// policy name. Lines by unknown keys are ignored, as the spec says; a line claiming a
    /// known key that does not verify is not counted.
    public func cosigners(of checkpointText: String, among signatures: [Cosignature]) -> Set<String> {
        var names: Set<String> = []
        for witness in witnesses where signatures.contains(where: { $0.verifies(checkpointText: checkpointText, key: witness.key) }) {
            names.insert(witness.name)
        }
        return names
    }

    /// Whether `quorum none`: no cosignature is needed.
    public var requiresNoCosignature: Bool { quorum == Self.none }

    /// The log keys accepted for `origin`.
    public func logKeys(origin: String) -> [NoteVerifierKey] {
        logs.map(\.key).filter { $0.name == origin }
    }

    /// The quorum in words, for reports: "ipco", "2 of (ipco, leeds)", "no cosignature".
    public var quorumDescription: String { describe(quorum) }

    private func describe(_ name: String) -> String {
        if name == Self.none { return "no cosignature" }
        guard let group = groups.first(where: { $0.name == name }) else { return name }
        let members = group.members.map(describe).joined(separator: ", ")
        if group.threshold == group.members.count { return group.members.count == 1 ? members : "all of (\(members))" }
        return "\(group.threshold) of (\(members))"
    }
}
