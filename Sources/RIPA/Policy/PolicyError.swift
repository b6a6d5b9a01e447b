/// Why a policy file set, or an offence cited against it, was refused: a stable code to match
/// on, where (file and line, when known) and a message that says what is wrong and how to fix it.
///
/// Its description is the one line the CLI prints: `FILE:LINE: message`.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is. The raw values are stable and may be shown to scripts.
    public enum Code: String, Sendable, Hashable, Codable {
        /// A file could not be read.
        case missingFile = "missing-file"
        /// The text is not well-formed YAML, or holds more than one document.
        case malformedYAML = "malformed-yaml"
        /// The file holds no document at all.
        case emptyFile = "empty-file"
        /// The `schema` field names neither a policy pack nor an offence catalogue.
        case unknownSchema = "unknown-schema"
        /// A required field is absent.
        case missingField = "missing-field"
        /// A value has the wrong YAML type (e.g. a string where an integer belongs).
        case wrongType = "wrong-type"
        /// A key the schema does not define.
        case unknownField = "unknown-field"
        /// A value of the right type but out of range or not one of the allowed values.
        case badValue = "bad-value"
        /// Two catalogue entries share one id.
        case duplicateOffence = "duplicate-offence"
        /// An offence id that is not in the catalogue.
        case unknownOffence = "unknown-offence"
        /// No policy pack among the files given.
        case missingPack = "missing-pack"
        /// More than one policy pack among the files given.
        case multiplePacks = "multiple-packs"
        /// No offence catalogue among the files given.
        case missingCatalogue = "missing-catalogue"
        /// The pack goes below what the statute fixes (`StatutoryFloor`).
        case belowStatute = "below-statute"
    }

    /// What kind of problem this is.
    public var code: Code
    /// The file it is in, when it is in one.
    public var file: String?
    /// The 1-based line, when known.
    public var line: Int?
    /// The 1-based column, when known.
    public var column: Int?
    /// What is wrong and what to do about it.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, file: String? = nil, line: Int? = nil, column: Int? = nil, message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `FILE:LINE: message`, or `FILE: message` without a line, or the message alone without a file.
    public var description: String {
        switch (file, line) {
        case let (file?, line?): "\(file):\(line): \(message)"
        case let (file?, nil): "\(file): \(message)"
        default: message
        }
    }
}
