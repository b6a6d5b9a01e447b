extension JSONValue {
    /// The RFC 8785 (JCS) canonical form: names sorted by UTF-16 code units, no whitespace,
    /// minimal string escaping, integers in shortest decimal form (DESIGN.md "Canonical JSON").
    ///
    /// These are the bytes that are signed and hashed, so two implementations must agree on every one.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalWriter()
        writer.write(self)
        return writer.out
    }

    /// ``canonicalBytes`` as a String (always valid UTF-8).
    public var canonicalString: String {
        String(decoding: canonicalBytes, as: UTF8.self)
    }
}
