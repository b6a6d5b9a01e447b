import Ledger
import RegisterStorage

/// The key store of a register copied from an export bundle: it holds no register key (the
/// copy can be read and verified, never written to or signed for) and, when an inspector's
/// keys were given, a data-protection key made for this copy alone, in memory.
struct BundleKeyStore: RegisterKeyStore {
    let location = "an export bundle"
    let protectionKey: [UInt8]?

    func create(_ key: NoteSignerKey) throws { throw refusal }
    func load(matching verifierKey: String) throws -> NoteSignerKey { throw refusal }
    func stage(_ next: NoteSignerKey) throws { throw refusal }
    func promoteStaged() throws { throw refusal }
    func discardStaged() {}
    func remove() {}
    func dataProtectionKey() throws -> [UInt8]? { protectionKey }
    func createDataProtectionKey() throws -> [UInt8] { throw refusal }

    private var refusal: RIPAError {
        RIPAError(.notPermitted, "a register read from an export bundle can be verified and read, never written to: it holds no register key", reason: "bundle.readOnly")
    }
}
