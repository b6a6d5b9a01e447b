/// What a new passphrase must be, following NIST SP 800-63B-4 §3.1.1.2 for a password used
/// as a single factor: the one rule, applied wherever a passphrase is set (`init`, enrolment,
/// `user passwd`), whatever the front end.
///
/// - at least `minimumLength` (15) characters, each Unicode code point counting as one;
/// - at most `maximumLength` (512), well above the 64 the guideline asks to allow;
/// - any printable Unicode, spaces included; no control characters (they cannot be typed
///   the same way twice) — no other composition rule (no "one digit, one capital");
/// - not on the block-list of common and breached passphrases (`blockList`), compared
///   ignoring case, spaces and punctuation; not a common word padded with digits or symbols;
/// - not containing the user's id or name (parts of three letters or more);
/// - not one character or a string of under 15 repeated (`abcabcabc…`), nor a run such as
///   `abcdefghijklmnop`, `123456789012345` or a keyboard row.
///
/// The sealed key's Argon2id cost (`SealedKey.Cost`) is what an offline guesser pays per guess;
/// this rule is what keeps the number of guesses they need out of reach.
public enum PassphraseRule {
    /// The shortest passphrase accepted (NIST SP 800-63B-4: 15 for a single-factor password).
    public static let minimumLength = 15
    /// The longest accepted.
    public static let maximumLength = 512

    /// Checks a new passphrase for a user.
    ///
    /// - Parameters:
    ///   - passphrase: the passphrase as typed (or read from a file or the environment).
    ///   - userID: whose it is.
    ///   - name: their full name, if known.
    /// - Throws: `RIPAError.badInput` saying what is wrong and how to choose a better one.
    public static func check(_ passphrase: String, userID: String, name: String? = nil) throws(RIPAError) {
        let scalars = Array(passphrase.unicodeScalars)
        let advice = "a few unrelated words make a good one"
        guard scalars.count >= minimumLength else {
            throw RIPAError(.badInput, "a new passphrase needs at least \(minimumLength) characters (NIST SP 800-63B-4); \(advice)")
        }
        guard scalars.count <= maximumLength else {
            throw RIPAError(.badInput, "a new passphrase may have at most \(maximumLength) characters")
        }
        if scalars.contains(where: TextField.isForbidden) {
            throw RIPAError(.badInput, "a new passphrase may hold any printable characters and spaces, but no control characters (tabs, line breaks)")
        }
        let folded = passphrase.lowercased()
        let letters = String(folded.unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil })
        if blockList.contains(letters) {
            throw RIPAError(.badInput, "that passphrase is on the list of common or breached passphrases; \(advice)")
        }
        let word = String(folded.unicodeScalars.filter(\.properties.isAlphabetic))
        if commonWords.contains(word) {
            throw RIPAError(.badInput, "that passphrase is a common word with digits or symbols added, which guessers try first; \(advice)")
        }
        var personal = [userID.lowercased()]
        if let name {
            personal.append(name.lowercased())
            personal += name.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
        }
        if let part = personal.first(where: { $0.count >= 3 && folded.contains($0) }) {
            throw RIPAError(.badInput, "a new passphrase must not contain the user's id or name ('\(part)'); \(advice)")
        }
        if isRepetition(scalars) {
            throw RIPAError(.badInput, "a new passphrase must not be one character or a short pattern repeated; \(advice)")
        }
        if isSequence(Array(folded.unicodeScalars)) {
            throw RIPAError(.badInput, "a new passphrase must not be a run of letters, digits or keys (abcd…, 1234…, qwerty…); \(advice)")
        }
    }

    /// One character, or any string shorter than `minimumLength`, repeated: such a passphrase
    /// is as strong as what is repeated (`zzzz…`, `abcabc…`, `qwertyuiopqwertyuiop`).
    static func isRepetition(_ scalars: [Unicode.Scalar]) -> Bool {
        for unit in 1..<minimumLength where scalars.count >= unit * 2 && scalars.count % unit == 0 {
            if scalars.indices.allSatisfy({ scalars[$0] == scalars[$0 % unit] }) { return true }
        }
        return false
    }

    /// Keyboard rows and the alphabet and digits, each also read backwards.
    static let runs: [String] = {
        let rows = ["`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./", "abcdefghijklmnopqrstuvwxyz", "qwertzuiop", "azertyuiop", "qwertyuiopasdfghjklzxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p"]
        return rows.flatMap { [$0, String($0.reversed())] }
    }()

    /// A run of consecutive code points (each one up or one down from the last; digits wrap
    /// from 9 to 0), or a stretch of a keyboard row or the alphabet, spaces ignored.
    static func isSequence(_ scalars: [Unicode.Scalar]) -> Bool {
        let compact = scalars.filter { $0 != " " }
        guard compact.count >= 2 else { return false }
        func step(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Int {
            if ("0"..."9").contains(a), ("0"..."9").contains(b) {
                return (Int(b.value) - Int(a.value) + 10) % 10 == 1 ? 1 : (Int(a.value) - Int(b.value) + 10) % 10 == 1 ? -1 : 0
            }
            return Int(b.value) - Int(a.value)
        }
        let first = step(compact[0], compact[1])
        if abs(first) == 1, zip(compact, compact.dropFirst()).allSatisfy({ step($0, $1) == first }) { return true }
        // A keyboard row, repeated as often as it takes (qwertyuiopqwertyuiop…).
        let text = String(String.UnicodeScalarView(compact))
        return runs.contains { row in
            guard let start = text.first, let offset = row.firstIndex(of: start) else { return false }
            let cycle = String(row[offset...]) + String(row[..<offset])
            let repeated = String(repeating: cycle, count: text.count / max(cycle.count, 1) + 1)
            return repeated.hasPrefix(text)
        }
    }

    /// Words that are no passphrase however many digits or symbols are added to them.
    static let commonWords: Set<String> = [
        "password", "passphrase", "passw", "passwd", "letmein", "welcome", "iloveyou", "admin", "administrator",
        "qwerty", "monkey", "dragon", "football", "baseball", "sunshine", "princess", "master", "shadow",
        "superman", "trustno", "secret", "council", "register", "ripa", "changeme", "default", "login",
        "abc", "test", "testing", "summer", "winter", "spring", "autumn", "london", "england",
    ]

    /// Common and breached passphrases of 15 characters or more (shorter ones fail the length
    /// rule anyway), lower-case with spaces and punctuation removed. From the long entries of
    /// public breach corpora (the "rockyou" and "Have I Been Pwned" top lists) and the
    /// passphrases that guides print as examples.
    static let blockList: Set<String> = [
        "correcthorsebatterystaple", "thequickbrownfoxjumpsoverthelazydog", "thequickbrownfox",
        "passwordpassword", "password123456789", "passwordpassword1", "iloveyouiloveyou", "iloveyousomuch",
        "iloveyoutoomuch", "iloveyouforever", "iloveyoubaby", "iloveyoumorethanyouknow",
        "qwertyuiopasdfghjkl", "qwertyuiopasdfgh", "qwertyuiop1234567890", "1qaz2wsx3edc4rfv",
        "1q2w3e4r5t6y7u8i", "zaq12wsxcde34rfv", "q1w2e3r4t5y6u7i8o9p0", "1q2w3e4r5t6y7u8i9o0p",
        "123456789012345", "1234567890123456", "12345678901234567890", "123456789987654321",
        "123456789123456789", "098765432109876", "111111111111111", "000000000000000",
        "letmeinletmein", "letmein123456789", "welcometothejungle", "welcome123456789",
        "trustnoone12345", "iwantto", "mypasswordispassword", "thisismypassword", "thisisapassword",
        "thisismypassphrase", "mysecretpassword", "mysecretpassphrase", "supersecretpassword",
        "verysecurepassword", "strongpassword123", "mystrongpassword", "changemechangeme",
        "opensesameopensesame", "abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnop", "abcd1234abcd1234",
        "asdfghjklasdfghjkl", "zxcvbnmasdfghjkl", "ineedanewpassword", "idontknowmypassword",
        "forgotmypassword", "itsasecrettoeverybody", "maytheforcebewithyou", "toinfinityandbeyond",
        "tobeornottobe", "tobeornottobethatisthequestion", "allyourbasearebelongtous",
        "ifyoucanreadthis", "ihatemyjob", "letitbeletitbe", "neverletmego", "nevergonnagiveyouup",
        "onetwothreefourfive", "onetwothreefour", "happybirthdaytoyou", "merrychristmas123",
        "manchesterunited", "manchesterunited1", "liverpoolfc1892", "arsenalfootballclub",
        "chelseafootballclub", "tottenhamhotspur", "godsavethequeen", "godsavetheking",
        "keepcalmandcarryon", "rememberremember", "blahblahblahblah", "lollollollollol",
        "hellohellohello", "helloworldhelloworld", "helloworld123456", "passphrasepassphrase",
        "thisisatestpassphrase", "thisisatest123456", "testtesttesttest", "administrator123",
        "adminadminadmin", "rootrootrootroot", "monitoringofficer", "investigatorpassword",
        "councilpassword1", "ripapassword1234", "ripapassphrase123", "surveillance12345",
    ]
}
