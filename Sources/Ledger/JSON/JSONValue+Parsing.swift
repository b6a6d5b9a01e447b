extension JSONValue {
    /// Parses JSON text (RFC 8259) strictly into a value the register's canonical form can represent.
    ///
    /// Whitespace between tokens is allowed (this is a parser, not a canonical-form check; see
    /// ``init(parsingCanonical:)`` for that). Refused, with the byte offset in the message:
    /// fractions and exponents (``LedgerError/Code/floatNotAllowed``), repeated member names
    /// (``LedgerError/Code/duplicateKey``), integers beyond ±(2^53 − 1)
    /// (``LedgerError/Code/integerOutOfRange``), and as ``LedgerError/Code/malformedJSON``:
    /// invalid UTF-8, unescaped control characters, lone surrogate escapes, nesting deeper than 64,
    /// a byte-order mark, and anything after the value.
    /// - Throws: ``LedgerError`` as above.
    public init(parsing bytes: some Collection<UInt8>) throws(LedgerError) {
        let result = bytes.withContiguousStorageIfAvailable { JSONParser.parse($0) }
            ?? Array(bytes).withUnsafeBufferPointer { JSONParser.parse($0) }
        self = try result.get()
    }

    /// Parses JSON text given as a String; see ``init(parsing:)-(Collection<UInt8>)``.
    /// - Throws: ``LedgerError`` as for the byte form.
    public init(parsing text: String) throws(LedgerError) {
        var text = text
        self = try text.withUTF8 { JSONParser.parse($0) }.get()
    }

    /// Parses JSON that must already be in RFC 8785 canonical form: the bytes must equal the
    /// ``canonicalBytes`` of the value they parse to (no whitespace, members in UTF-16 order, JCS escapes
    /// only, no `-0`). Checked during the parse, without serialising again.
    /// - Throws: ``LedgerError/Code/notCanonical`` with the byte offset of the first deviation, or any
    ///   error of ``init(parsing:)-(Collection<UInt8>)``.
    public init(parsingCanonical bytes: some Collection<UInt8>) throws(LedgerError) {
        let result = bytes.withContiguousStorageIfAvailable { JSONParser.parse($0, requireCanonical: true) }
            ?? Array(bytes).withUnsafeBufferPointer { JSONParser.parse($0, requireCanonical: true) }
        self = try result.get()
    }
}
