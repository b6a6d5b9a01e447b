import CSodium

/// The single place that makes sure libsodium is initialised before any call into it.
///
/// `sodium_init()` must run once before other libsodium functions (it picks the fastest
/// implementations and seeds the RNG); Swift runs a global's initialiser lazily and exactly once,
/// even under concurrent first access, so touching ``ready`` is enough.
enum Sodium {
    /// Evaluated once; a failure here means the process cannot do cryptography at all.
    private static let initialised: Bool = sodium_init() >= 0

    /// Ensures libsodium is initialised; call at the top of every entry point that uses it.
    @inline(__always)
    static func ensureInitialised() {
        precondition(initialised, "libsodium failed to initialise (sodium_init() < 0)")
    }
}
