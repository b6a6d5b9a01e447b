import CSHA256

/// Incremental SHA-256, so leaf and node hashes can prepend their domain-separation byte
/// (RFC 6962 §2.1) without copying the data into a new buffer.
///
/// The compression runs on the x86 SHA extensions where the CPU has them (CSHA256): the
/// register hashes every leaf and node on each append and again in each verification, and
/// libsodium's SHA-256 is portable C only. Tests check it against libsodium.
struct SHA256 {
    private var state = ripa_sha256_state()

    init() {
        ripa_sha256_init(&state)
    }

    mutating func update(_ byte: UInt8) {
        var byte = byte
        ripa_sha256_update(&state, &byte, 1)
    }

    mutating func update(_ data: some Collection<UInt8>) {
        let done: Void? = data.withContiguousStorageIfAvailable { update(buffer: UnsafeRawBufferPointer($0)) }
        if done == nil { Array(data).withUnsafeBytes { update(buffer: $0) } }
    }

    mutating func update(_ hash: Hash) {
        hash.withUnsafeBytes { update(buffer: $0) }
    }

    mutating func update(buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        ripa_sha256_update(&state, base.assumingMemoryBound(to: UInt8.self), buffer.count)
    }

    mutating func finalize() -> Hash {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { raw in
            ripa_sha256_final(&state, raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return Hash(words: words)
    }
}
