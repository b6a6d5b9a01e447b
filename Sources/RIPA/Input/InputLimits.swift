/// Every bound the register puts on what a person (or a file) gives it, in one place, each
/// with the reason it is where it is.
///
/// Unbounded input was how a huge `--review-interval` crashed the tool with an arithmetic
/// overflow and a YAML alias bomb took 3 GB: a bound refuses such input with one line
/// before any work is done.
public enum InputLimits {
    // MARK: Files

    /// An application form (`apply --file`): 1 MiB. The longest real form is a few pages of
    /// text; a megabyte is hundreds of pages.
    public static let applicationFileBytes = 1 << 20
    /// A policy pack or offence catalogue: 1 MiB. The shipped catalogue is about 20 KiB.
    public static let policyFileBytes = 1 << 20
    /// A passphrase file: 4 KiB (a passphrase is at most `PassphraseRule.maximumLength` characters).
    public static let passphraseFileBytes = 4096
    /// A kept checkpoint (`verify --checkpoint`): 64 KiB. A C2SP checkpoint is a few lines
    /// and one signature line per key; even dozens of cosignatures fit many times over.
    public static let checkpointFileBytes = 64 << 10
    /// The register key file: 4 KiB (the key is one line of about 100 characters).
    public static let keyFileBytes = 4096

    // MARK: Text fields

    /// A single-line field (a name, rank, operation, case reference, court, address…):
    /// 1 KiB of UTF-8. Such a field is printed in one table cell.
    public static let singleLineFieldBytes = 1024
    /// A multi-line free-text field (necessity, proportionality, reasons, findings…):
    /// 64 KiB of UTF-8, some thirty pages.
    public static let multiLineFieldBytes = 64 << 10

    // MARK: Counts in an application

    /// Subjects of one application: 100. An authorisation names the people it targets;
    /// more than a hundred is not a targeted operation.
    public static let subjects = 100
    /// Online identities of one subject: 50.
    public static let onlineIdentitiesPerSubject = 50
    /// Offences under investigation in one application: 50.
    public static let offences = 50
    /// Members of the investigating team: 50.
    public static let teamMembers = 50

    // MARK: Numbers

    /// Days between reviews: 1 to 365. No authorisation lasts more than 12 months
    /// (RIPA s.43(3)), so a longer interval means no review at all; the policy pack's default
    /// is bounded the same way.
    public static let reviewIntervalDays: ClosedRange<Int> = 1...365
    /// `ripa due --within`: 0 to 3,660 days (ten years). Nothing in the register is due
    /// further ahead than the longest authorisation, 12 months.
    public static let dueWithinDays: ClosedRange<Int> = 0...3660
    /// A requested duration: 1 to 12 months (RIPA s.43(3): no authorisation lasts longer).
    public static let requestedDurationMonths: ClosedRange<Int> = 1...12

    /// Refuses a number outside its bound, naming the field and the bound.
    ///
    /// - Parameters:
    ///   - value: the number given.
    ///   - range: its bound (one of the constants above).
    ///   - what: how to name it in the message, e.g. `the review interval`.
    ///   - field: the input's name as a body member or parameter (`review_interval`), for a
    ///     front end's hint.
    ///   - unit: what it counts, e.g. `days`.
    /// - Throws: `RIPAError.badInput` with reason `input.outOfRange`.
    public static func require(_ value: Int, in range: ClosedRange<Int>, _ what: String, field: String, unit: String) throws(RIPAError) {
        guard range.contains(value) else {
            throw RIPAError(
                .badInput, "\(what) \(value) is out of range: give \(range.lowerBound) to \(range.upperBound) \(unit)",
                reason: .inputOutOfRange,
                values: ["field": field, "value": String(value), "lowest": String(range.lowerBound), "highest": String(range.upperBound)])
        }
    }

    /// Refuses a list longer than its bound.
    ///
    /// - Throws: `RIPAError.badInput` naming the list and the bound.
    public static func require(count: Int, atMost limit: Int, _ what: String) throws(RIPAError) {
        guard count <= limit else {
            throw RIPAError(.badInput, "\(count) \(what) is too many: an application may name at most \(limit)")
        }
    }
}
