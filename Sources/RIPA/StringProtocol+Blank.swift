extension StringProtocol {
    /// True if the text is empty or only white space and line breaks (Unicode White_Space,
    /// the set Foundation calls `whitespacesAndNewlines`): such a reason, case reference or
    /// purpose says nothing, so the register refuses it.
    ///
    /// Checked scalar by scalar rather than by trimming through Foundation, which costs
    /// more than the rest of recording a view.
    var isBlank: Bool {
        unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }
}
