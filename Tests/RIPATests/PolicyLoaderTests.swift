import Foundation
import Ledger
import Testing

@testable import RIPA

/// The repository's own files, found from this source file so the tests run from any directory.
enum RepositoryFiles {
    /// The repository root: Tests/RIPATests/<this file> is two folders below it.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let packPath = root.appendingPathComponent("Policies/england-wales-local-authority.yaml").path
    static let cataloguePath = root.appendingPathComponent("Policies/offences.yaml").path
    static let schemaPath = root.appendingPathComponent("Schemas/policy.schema.json").path

    /// The shipped pack and catalogue, loaded as `ripa init` would.
    static func shippedPolicy() throws -> Policy {
        try PolicyLoader.load(paths: [packPath, cataloguePath])
    }
}

/// Small, valid policy files; each bad case below breaks one thing in one of them.
enum PolicyFixtures {
    static let pack = """
        schema: ripa-register/policy-pack/v1
        id: test-pack
        version: 1
        title: Test pack
        time_zone: Europe/London
        serious_crime_threshold:
          minimum_custody_months: 6
          applies_to: [directed-surveillance]
          exempt_offences:
            - underage-sale
          source: SI 2010/521 art. 7A
        durations:
          directed_surveillance: {months: 3, source: RIPA s.43(3)(c)}
          chis: {months: 12, source: RIPA s.43(3)(b)}
          juvenile_chis: {months: 4, source: SI 2000/2793 art. 6}
        judicial_approval: {required: true, source: RIPA s.32A}
        urgent_oral_authorisations: {allowed: false, source: RIPA s.43(1A)}
        reviews: {default_interval_days: 28, source: Code of Practice}
        retention: {years: 5, source: Code of Practice para 8.1}
        open_source_viewing: {unauthorised_views_allowed: 1, source: Code of Practice paras 3.10-3.17}
        confidential_information: {authoriser: head-of-paid-service, source: Code of Practice Annex A}

        """

    static let catalogue = """
        schema: ripa-register/offence-catalogue/v1
        offences:
          - id: ten-years
            title: a serious offence
            statute: Test Act 2026
            section: s.1
            maximum: {years: 10}
            exempt: false
            source: "https://www.legislation.gov.uk/ukpga/2026/1/section/1"
          - id: underage-sale
            title: an underage sale
            statute: Test Act 2026
            section: s.2
            maximum: fine-only
            exempt: true
            source: "https://www.legislation.gov.uk/ukpga/2026/1/section/2"

        """

    static let secondCatalogue = """
        schema: ripa-register/offence-catalogue/v1
        offences:
          - id: life-offence
            title: the gravest offence
            statute: Other Act 2026
            section: s.9
            maximum: life
            exempt: false
            source: "https://www.legislation.gov.uk/ukpga/2026/2/section/9"

        """

    /// `text` with the first occurrence of `old` replaced, failing loudly if `old` is absent so a
    /// case can never silently test the unbroken fixture.
    static func replacing(_ old: String, with new: String, in text: String) -> String {
        guard let range = text.range(of: old) else { fatalError("fixture has no \(old)") }
        return text.replacingCharacters(in: range, with: new)
    }

    /// The 1-based line of the first line of `text` containing `marker`.
    static func line(of marker: String, in text: String) -> Int {
        let lines = text.components(separatedBy: "\n")
        guard let index = lines.firstIndex(where: { $0.contains(marker) }) else { fatalError("fixture has no \(marker)") }
        return index + 1
    }
}

/// One set of files the loader must refuse, and what it must say.
struct BadPolicyCase: Sendable, CustomTestStringConvertible {
    var name: String
    var files: [PolicyFile]
    var code: PolicyError.Code
    var file: String?
    var line: Int?
    var says: [String]

    struct PolicyFile: Sendable {
        var name: String
        var text: String
    }

    var testDescription: String { name }

    static func pack(_ text: String) -> PolicyFile { PolicyFile(name: "pack.yaml", text: text) }
    static func catalogue(_ text: String, name: String = "offences.yaml") -> PolicyFile { PolicyFile(name: name, text: text) }
}

@Suite("Policy loader")
struct PolicyLoaderTests {
    typealias F = PolicyFixtures

    // MARK: The shipped files

    @Test("the shipped pack and catalogue load and say what RIPA.md says")
    func shippedPolicyLoads() throws {
        let policy = try RepositoryFiles.shippedPolicy()
        let rules = policy.rules
        #expect(rules.id == "england-wales-local-authority")
        #expect(rules.timeZone == "Europe/London")
        #expect(rules.zone.identifier == "Europe/London")
        #expect(rules.seriousCrimeThreshold.minimumCustodyMonths == 6)
        #expect(rules.seriousCrimeThreshold.appliesTo == [.directedSurveillance])
        #expect(Set(rules.seriousCrimeThreshold.exemptOffences) == [
            "la-2003-s146", "la-2003-s147", "la-2003-s147a", "cypa-1933-s7", "cfa-2014-s91", "cfa-2014-s92",
        ])
        #expect(rules.durations.months(for: .directedSurveillance) == 3)
        #expect(rules.durations.months(for: .chis) == 12)
        #expect(rules.durations.months(for: .juvenileCHIS) == 4)
        #expect(rules.judicialApproval.required)
        #expect(!rules.urgentOralAuthorisations.allowed)
        #expect(rules.reviews.defaultIntervalDays == 28)
        #expect(rules.reviews.source.contains("Code of Practice"))
        #expect(rules.retention.years == 5)
        #expect(rules.openSourceViewing.unauthorisedViewsAllowed == 1)
        #expect(rules.openSourceViewing.windowDays == nil)
        #expect(rules.confidentialInformation.authoriser == .headOfPaidService)
        #expect(rules.seriousCrimeThreshold.source.contains("art. 7A"))
        #expect(rules.judicialApproval.source.contains("s.32A"))
        #expect(rules.urgentOralAuthorisations.source.contains("s.43(1A)"))
        #expect(rules.durations.directedSurveillance.source.contains("s.43(3)"))

        #expect(policy.offences.offences.count == 29)
        for offence in policy.offences.offences {
            #expect(offence.source.hasPrefix("https://www.legislation.gov.uk/"), "\(offence.id) source")
        }
        // The pack's exempt list and the catalogue's flags must tell the same story.
        let flagged = Set(policy.offences.offences.filter(\.exempt).map(\.id))
        #expect(flagged == Set(rules.seriousCrimeThreshold.exemptOffences))
    }

    @Test("a path that does not exist is a missing-file error naming it")
    func missingFile() {
        let error = #expect(throws: PolicyError.self) {
            try PolicyLoader.load(paths: [RepositoryFiles.packPath, "/nonexistent/offences.yaml"])
        }
        #expect(error?.code == .missingFile)
        #expect(error?.file == "/nonexistent/offences.yaml")
    }

    // MARK: Canonical JSON

    @Test("the pack in force encodes with snake_case keys, no floats, and decodes to itself")
    func canonicalJSONRoundTrip() throws {
        let policy = try RepositoryFiles.shippedPolicy()
        let data = try JSONEncoder().encode(policy)
        let json = try JSONDecoder().decode(PlainJSON.self, from: data)
        #expect(!json.containsFloat)
        guard case .object(let top) = json, case .object(let pack)? = top["pack"], case .object(let catalogue)? = top["catalogue"] else {
            Issue.record("expected {pack, catalogue}, got \(json)")
            return
        }
        #expect(Set(top.keys) == ["pack", "catalogue"])
        #expect(Set(pack.keys) == Set(PolicyLoader.packKeys))
        #expect(pack["schema"] == .string(PolicyRules.schemaID))
        #expect(catalogue["schema"] == .string(OffenceCatalogue.schemaID))
        guard case .object(let viewing)? = pack["open_source_viewing"],
              case .object(let threshold)? = pack["serious_crime_threshold"],
              case .array(let offences)? = catalogue["offences"],
              case .object(let fraud)? = offences.first
        else {
            Issue.record("unexpected shape: \(json)")
            return
        }
        #expect(viewing["unauthorised_views_allowed"] == .int(1))
        #expect(threshold["minimum_custody_months"] == .int(6))
        #expect(fraud["maximum"] == .object(["years": .int(10)]))

        let decoded = try JSONDecoder().decode(Policy.self, from: data)
        #expect(decoded == policy)
    }

    @Test(
        "maxima encode in the YAML's own form",
        arguments: [
            (MaximumCustody.term(months: 120), #"{"years":10}"#),
            (.term(months: 6), #"{"months":6}"#),
            (.term(years: 1, months: 6), #"{"months":6,"years":1}"#),
            (.life, #""life""#),
            (.fineOnly, #""fine-only""#),
        ])
    func maximumEncoding(maximum: MaximumCustody, json: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(String(decoding: try encoder.encode(maximum), as: UTF8.self) == json)
        #expect(try JSONDecoder().decode(MaximumCustody.self, from: Data(json.utf8)) == maximum)
    }

    @Test(
        "maxima read as people say them",
        arguments: [
            (MaximumCustody.term(months: 120), "10 years"),
            (.term(months: 6), "6 months"),
            (.term(months: 1), "1 month"),
            (.term(months: 12), "1 year"),
            (.term(years: 1, months: 6), "1 year 6 months"),
            (.term(years: 2, months: 1), "2 years 1 month"),
            (.life, "life"),
            (.fineOnly, "fine only"),
        ])
    func maximumDescription(maximum: MaximumCustody, text: String) {
        #expect(maximum.description == text)
    }

    @Test("the schema names exactly the keys the loader accepts")
    func schemaMatchesLoader() throws {
        let data = try #require(FileManager.default.contents(atPath: RepositoryFiles.schemaPath))
        let schema = try JSONDecoder().decode(PlainJSON.self, from: data)
        func keys(_ path: String...) -> Set<String> {
            var node = schema
            for step in path {
                guard case .object(let object) = node, let next = object[step] else { return [] }
                node = next
            }
            guard case .object(let object) = node else { return [] }
            return Set(object.keys)
        }
        #expect(keys("$defs", "policyPack", "properties") == Set(PolicyLoader.packKeys))
        #expect(keys("$defs", "offence", "properties") == Set(PolicyLoader.offenceKeys))
        #expect(keys("$defs", "offenceCatalogue", "properties") == ["schema", "offences"])
        #expect(keys("$defs", "policyPack", "properties", "durations", "properties")
            == Set(AuthorisationType.allCases.map(\.policyKey)))
    }

    // MARK: Good fixtures

    @Test("a pack with two catalogues merges them in order")
    func cataloguesMerge() throws {
        let policy = try PolicyLoader.load(files: [
            ("pack.yaml", F.pack), ("a.yaml", F.catalogue), ("b.yaml", F.secondCatalogue),
        ])
        #expect(policy.offences.offences.map(\.id) == ["ten-years", "underage-sale", "life-offence"])
        #expect(policy.offence(id: "life-offence")?.maximum == .life)
        #expect(policy.offence(id: "missing") == nil)
        #expect(policy.rules.openSourceViewing.windowDays == nil)
    }

    @Test("files may come in any order, and window_days may be set")
    func orderAndWindow() throws {
        let pack = F.replacing("unauthorised_views_allowed: 1,", with: "unauthorised_views_allowed: 2, window_days: 90,", in: F.pack)
        let policy = try PolicyLoader.load(files: [("offences.yaml", F.catalogue), ("pack.yaml", pack)])
        #expect(policy.rules.openSourceViewing.unauthorisedViewsAllowed == 2)
        #expect(policy.rules.openSourceViewing.windowDays == 90)
    }

    // MARK: Bad files

    static let badCases: [BadPolicyCase] = {
        typealias C = BadPolicyCase
        let pack = F.pack, catalogue = F.catalogue
        var cases: [BadPolicyCase] = []

        let unclosed = F.replacing("title: Test pack", with: "title: [Test pack", in: pack)
        cases.append(C(
            name: "bad YAML syntax", files: [C.pack(unclosed), C.catalogue(catalogue)],
            code: .malformedYAML, file: "pack.yaml", line: F.line(of: "time_zone:", in: unclosed), says: ["not valid YAML"]))

        let badIndent = F.replacing("version: 1", with: "version: 1\n  extra: indented", in: pack)
        cases.append(C(
            name: "bad indentation", files: [C.pack(badIndent), C.catalogue(catalogue)],
            code: .malformedYAML, file: "pack.yaml", line: F.line(of: "extra: indented", in: badIndent), says: ["not valid YAML", "indentation"]))

        let duplicateKey = F.replacing("version: 1", with: "version: 1\nversion: 2", in: pack)
        cases.append(C(
            name: "a key twice", files: [C.pack(duplicateKey), C.catalogue(catalogue)],
            code: .malformedYAML, file: "pack.yaml", line: F.line(of: "version: 1", in: duplicateKey), says: ["`version`", "more than once"]))

        let twoDocuments = pack + "---\nschema: ripa-register/offence-catalogue/v1\n"
        cases.append(C(
            name: "two documents in one file", files: [C.pack(twoDocuments), C.catalogue(catalogue)],
            code: .malformedYAML, file: "pack.yaml", line: F.line(of: "---", in: twoDocuments), says: ["one document per file"]))

        cases.append(C(
            name: "an empty file", files: [C.pack("# nothing here\n"), C.catalogue(catalogue)],
            code: .emptyFile, file: "pack.yaml", line: 1, says: ["empty", "schema:"]))

        let noReviews = F.replacing("reviews: {default_interval_days: 28, source: Code of Practice}\n", with: "", in: pack)
        cases.append(C(
            name: "missing top-level field", files: [C.pack(noReviews), C.catalogue(catalogue)],
            code: .missingField, file: "pack.yaml", line: 1, says: ["missing `reviews`"]))

        let noSource = F.replacing("{required: true, source: RIPA s.32A}", with: "{required: true}", in: pack)
        cases.append(C(
            name: "missing nested field", files: [C.pack(noSource), C.catalogue(catalogue)],
            code: .missingField, file: "pack.yaml", line: F.line(of: "judicial_approval:", in: noSource),
            says: ["missing `source` in `judicial_approval`"]))

        let noSchema = F.replacing("schema: ripa-register/policy-pack/v1\n", with: "", in: pack)
        cases.append(C(
            name: "missing schema", files: [C.pack(noSchema), C.catalogue(catalogue)],
            code: .missingField, file: "pack.yaml", line: 1, says: ["missing `schema`", PolicyRules.schemaID]))

        let otherSchema = F.replacing("policy-pack/v1", with: "policy-pack/v2", in: pack)
        cases.append(C(
            name: "unknown schema", files: [C.pack(otherSchema), C.catalogue(catalogue)],
            code: .unknownSchema, file: "pack.yaml", line: 1, says: ["policy-pack/v2", PolicyRules.schemaID]))

        let typo = F.replacing("minimum_custody_months: 6", with: "minimum_custody_month: 6", in: pack)
        cases.append(C(
            name: "unknown key", files: [C.pack(typo), C.catalogue(catalogue)],
            code: .unknownField, file: "pack.yaml", line: F.line(of: "minimum_custody_month:", in: typo),
            says: ["`minimum_custody_month`", "did you mean `minimum_custody_months`"]))

        let extraOffenceKey = F.replacing("exempt: false", with: "exempt: false\n    penalty: prison", in: catalogue)
        cases.append(C(
            name: "unknown key in an offence", files: [C.pack(pack), C.catalogue(extraOffenceKey)],
            code: .unknownField, file: "offences.yaml", line: F.line(of: "penalty: prison", in: extraOffenceKey), says: ["`penalty`", "offences[0]"]))

        let quotedVersion = F.replacing("version: 1", with: "version: \"1\"", in: pack)
        cases.append(C(
            name: "wrong type: text for an integer", files: [C.pack(quotedVersion), C.catalogue(catalogue)],
            code: .wrongType, file: "pack.yaml", line: F.line(of: "version:", in: quotedVersion), says: ["`version` must be a whole number"]))

        let yesNo = F.replacing("exempt: false", with: "exempt: no", in: catalogue)
        cases.append(C(
            name: "wrong type: yes/no is not a boolean", files: [C.pack(pack), C.catalogue(yesNo)],
            code: .wrongType, file: "offences.yaml", line: F.line(of: "exempt: no", in: yesNo), says: ["true or false"]))

        let fraction = F.replacing("{months: 3,", with: "{months: 3.5,", in: pack)
        cases.append(C(
            name: "wrong type: a fraction of a month", files: [C.pack(fraction), C.catalogue(catalogue)],
            code: .wrongType, file: "pack.yaml", line: F.line(of: "months: 3.5", in: fraction), says: ["durations.directed_surveillance.months"]))

        let listForText = F.replacing("title: Test pack", with: "title: [a, b]", in: pack)
        cases.append(C(
            name: "wrong type: a list for text", files: [C.pack(listForText), C.catalogue(catalogue)],
            code: .wrongType, file: "pack.yaml", line: F.line(of: "title:", in: listForText), says: ["`title` must be text"]))

        let negative = F.replacing("{months: 12,", with: "{months: -1,", in: pack)
        cases.append(C(
            name: "negative months", files: [C.pack(negative), C.catalogue(catalogue)],
            code: .badValue, file: "pack.yaml", line: F.line(of: "months: -1", in: negative), says: ["durations.chis.months", "-1", "from 1 to 12"]))

        let tooShortRetention = F.replacing("retention: {years: 5,", with: "retention: {years: 2,", in: pack)
        cases.append(C(
            name: "retention below the Code's three years", files: [C.pack(tooShortRetention), C.catalogue(catalogue)],
            code: .badValue, file: "pack.yaml", line: F.line(of: "retention:", in: tooShortRetention), says: ["retention.years", "at least 3"]))

        let badZone = F.replacing("Europe/London", with: "Europe/Londres", in: pack)
        cases.append(C(
            name: "unknown time zone", files: [C.pack(badZone), C.catalogue(catalogue)],
            code: .badValue, file: "pack.yaml", line: F.line(of: "time_zone:", in: badZone), says: ["Europe/Londres"]))

        let badType = F.replacing("[directed-surveillance]", with: "[intrusive-surveillance]", in: pack)
        cases.append(C(
            name: "unknown authorisation type", files: [C.pack(badType), C.catalogue(catalogue)],
            code: .badValue, file: "pack.yaml", line: F.line(of: "applies_to:", in: badType), says: ["intrusive-surveillance", "directed-surveillance"]))

        let badAuthoriser = F.replacing("head-of-paid-service", with: "monitoring-officer", in: pack)
        cases.append(C(
            name: "unknown confidential-information authoriser", files: [C.pack(badAuthoriser), C.catalogue(catalogue)],
            code: .badValue, file: "pack.yaml", line: F.line(of: "confidential_information:", in: badAuthoriser), says: ["head-of-paid-service"]))

        let wordyMaximum = F.replacing("maximum: {years: 10}", with: "maximum: ten years", in: catalogue)
        cases.append(C(
            name: "a maximum in words", files: [C.pack(pack), C.catalogue(wordyMaximum)],
            code: .badValue, file: "offences.yaml", line: F.line(of: "ten years", in: wordyMaximum), says: ["fine-only", "{years: 10}"]))

        let zeroMaximum = F.replacing("maximum: {years: 10}", with: "maximum: {years: 0}", in: catalogue)
        cases.append(C(
            name: "a maximum of zero", files: [C.pack(pack), C.catalogue(zeroMaximum)],
            code: .badValue, file: "offences.yaml", line: F.line(of: "years: 0", in: zeroMaximum), says: ["fine-only"]))

        let badID = F.replacing("id: ten-years", with: "id: Ten Years", in: catalogue)
        cases.append(C(
            name: "an id with capitals and spaces", files: [C.pack(pack), C.catalogue(badID)],
            code: .badValue, file: "offences.yaml", line: F.line(of: "Ten Years", in: badID), says: ["lowercase"]))

        let notURL = F.replacing("\"https://www.legislation.gov.uk/ukpga/2026/1/section/1\"", with: "Fraud Act", in: catalogue)
        cases.append(C(
            name: "a source that is not an address", files: [C.pack(pack), C.catalogue(notURL)],
            code: .badValue, file: "offences.yaml", line: F.line(of: "source: Fraud Act", in: notURL), says: ["legislation.gov.uk"]))

        let unknownExempt = F.replacing("    - underage-sale", with: "    - underage-sales", in: pack)
        cases.append(C(
            name: "exempt id not in the catalogue", files: [C.pack(unknownExempt), C.catalogue(catalogue)],
            code: .unknownOffence, file: "pack.yaml", line: F.line(of: "- underage-sales", in: unknownExempt),
            says: ["`underage-sales`", "Did you mean `underage-sale`", "offences.yaml"]))

        let repeated = catalogue + """
              - id: ten-years
                title: the same id again
                statute: Test Act 2026
                section: s.3
                maximum: {months: 3}
                exempt: false
                source: "https://www.legislation.gov.uk/ukpga/2026/1/section/3"

            """
        cases.append(C(
            name: "duplicate offence id in one catalogue", files: [C.pack(pack), C.catalogue(repeated)],
            code: .duplicateOffence, file: "offences.yaml", line: F.line(of: "the same id again", in: repeated) - 1,
            says: ["`ten-years`", "offences.yaml:\(F.line(of: "id: ten-years", in: repeated))"]))

        let clash = F.replacing("id: life-offence", with: "id: ten-years", in: F.secondCatalogue)
        cases.append(C(
            name: "duplicate offence id across catalogues", files: [C.pack(pack), C.catalogue(catalogue), C.catalogue(clash, name: "more.yaml")],
            code: .duplicateOffence, file: "more.yaml", line: F.line(of: "id: ten-years", in: clash),
            says: ["already defined at offences.yaml:\(F.line(of: "id: ten-years", in: catalogue))"]))

        cases.append(C(
            name: "no catalogue given", files: [C.pack(pack)],
            code: .missingCatalogue, file: nil, line: nil, says: ["no offence catalogue", "Policies/offences.yaml"]))

        cases.append(C(
            name: "no pack given", files: [C.catalogue(catalogue)],
            code: .missingPack, file: nil, line: nil, says: ["no policy pack"]))

        cases.append(C(
            name: "two packs given", files: [C.pack(pack), C.catalogue(catalogue), C.PolicyFile(name: "other-pack.yaml", text: pack)],
            code: .multiplePacks, file: "other-pack.yaml", line: 1, says: ["pack.yaml is already the pack"]))

        let emptyOffences = "schema: ripa-register/offence-catalogue/v1\noffences: []\n"
        cases.append(C(
            name: "a catalogue with no offences", files: [C.pack(pack), C.catalogue(emptyOffences)],
            code: .badValue, file: "offences.yaml", line: 2, says: ["at least one offence"]))

        // profile_addresses (issue 8 §3.3): the hosts are data, checked like every other rule.
        let addresses = pack + """
            profile_addresses:
              copies:
                - {host: archive.example, address_in: path}
              mirrors:
                - {host: mirror.example, platform: x}
              identifying_query_parameters:
                - {page: member.php, parameters: [u]}
              source: Code of Practice paras 3.10-3.17

            """
        let badHost = F.replacing("host: archive.example,", with: "host: Archive.Example/x,", in: addresses)
        cases.append(C(
            name: "a copy host that is not a host name", files: [C.pack(badHost), C.catalogue(catalogue)],
            code: .badValue, file: "pack.yaml", line: F.line(of: "Archive.Example", in: badHost), says: ["lower-case host name", "nitter.*"]))
        let badCarrier = F.replacing("address_in: path", with: "address_in: body", in: addresses)
        cases.append(C(
            name: "a copy carrier that is not path, query or host", files: [C.pack(badCarrier), C.catalogue(catalogue)],
            code: .badValue, file: "pack.yaml", line: F.line(of: "address_in: body", in: badCarrier), says: ["path, query, host"]))
        let queryWithoutParameters = F.replacing("address_in: path", with: "address_in: query", in: addresses)
        cases.append(C(
            name: "a query copy without parameters", files: [C.pack(queryWithoutParameters), C.catalogue(catalogue)],
            code: .missingField, file: "pack.yaml", line: F.line(of: "address_in: query", in: queryWithoutParameters), says: ["parameters"]))
        let badPlatform = F.replacing("platform: x}", with: "platform: myspace}", in: addresses)
        cases.append(C(
            name: "a mirror of an unknown platform", files: [C.pack(badPlatform), C.catalogue(catalogue)],
            code: .badValue, file: "pack.yaml", line: F.line(of: "myspace", in: badPlatform), says: ["facebook, x"]))
        let unknownKey = F.replacing("  mirrors:", with: "  mirrorz:", in: addresses)
        cases.append(C(
            name: "an unknown key in profile_addresses", files: [C.pack(unknownKey), C.catalogue(catalogue)],
            code: .unknownField, file: "pack.yaml", line: F.line(of: "mirrorz", in: unknownKey), says: ["did you mean `mirrors`"]))

        return cases
    }()

    @Test("the shipped pack's profile addresses are the built-in defaults, and a pack may extend them")
    func shippedProfileAddresses() throws {
        let rules = try RepositoryFiles.shippedPolicy().rules
        #expect(rules.profileAddresses == ProfileAddressRules.defaults)
        #expect(rules.addressRules.mirrors.contains { $0.host == "nitter.*" && $0.platform == .x })
        #expect(rules.addressRules.copies.contains { $0.host == "archive.ph" && $0.addressIn == .path })
        // A pack without the section (adopted before it existed) is read with the defaults and
        // still hashes as recorded: the section is not written back.
        let pack = try PolicyLoader.load(files: [("pack.yaml", F.pack), ("offences.yaml", F.catalogue)])
        #expect(pack.rules.profileAddresses == nil)
        #expect(pack.rules.addressRules == .defaults)
        #expect(try JSONValue(encoding: pack.rules)["profile_addresses"] == nil)
        // An authority's own list is what its pack says.
        let extended = try PolicyLoader.load(files: [
            ("pack.yaml", F.pack + """
                profile_addresses:
                  copies: [{host: copies.example, address_in: path}]
                  mirrors: [{host: "xmirror.*", platform: x}]
                  identifying_query_parameters: []
                  source: Code of Practice paras 3.10-3.17

                """),
            ("offences.yaml", F.catalogue),
        ])
        let own = extended.rules.addressRules
        #expect(try ProfileKey(address: "https://copies.example/2024/https://x.com/Jack", rules: own).description == "x:jack")
        #expect(throws: ProfileAddressError.self) { try ProfileKey(address: "https://xmirror.example.net/jack", rules: own) }
        // The same addresses under the defaults: an unknown site, and no mirror.
        #expect(try ProfileKey(address: "https://copies.example/2024/https://x.com/Jack").platform == .web)
        #expect(try ProfileKey(address: "https://xmirror.example.net/jack").platform == .web)
    }

    @Test("malformed policy files are refused with the file, the line and the fix", arguments: badCases)
    func refusesBadFiles(_ bad: BadPolicyCase) throws {
        let error = #expect(throws: PolicyError.self) {
            try PolicyLoader.load(files: bad.files.map { ($0.name, $0.text) })
        }
        let found = try #require(error)
        #expect(found.code == bad.code, "\(found)")
        #expect(found.file == bad.file, "\(found)")
        #expect(found.line == bad.line, "\(found)")
        for fragment in bad.says {
            #expect(found.message.contains(fragment), "\(found.message) should say \(fragment)")
        }
    }

    @Test("an error prints as FILE:LINE: message")
    func errorDescription() {
        #expect(PolicyError(.badValue, file: "pack.yaml", line: 7, message: "bad").description == "pack.yaml:7: bad")
        #expect(PolicyError(.missingFile, file: "pack.yaml", message: "gone").description == "pack.yaml: gone")
        #expect(PolicyError(.missingPack, message: "none").description == "none")
    }
}

/// Any JSON value, keeping integers apart from floating-point numbers so a test can prove the
/// canonical form carries none of the latter.
enum PlainJSON: Decodable, Equatable, Sendable {
    case null, bool(Bool), int(Int), double(Double), string(String)
    case array([PlainJSON]), object([String: PlainJSON])

    init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { self = .null }
        else if let value = try? single.decode(Bool.self) { self = .bool(value) }
        else if let value = try? single.decode(Int.self) { self = .int(value) }
        else if let value = try? single.decode(Double.self) { self = .double(value) }
        else if let value = try? single.decode(String.self) { self = .string(value) }
        else if let value = try? single.decode([PlainJSON].self) { self = .array(value) }
        else { self = .object(try single.decode([String: PlainJSON].self)) }
    }

    var containsFloat: Bool {
        switch self {
        case .double: true
        case .array(let items): items.contains(where: \.containsFloat)
        case .object(let members): members.values.contains(where: \.containsFloat)
        default: false
        }
    }
}
