/// A value handed by reference into a storage read's body (`StorageBackend.read` takes a
/// `@Sendable` body), so the body can update it in place instead of copying it.
///
/// Unchecked because the compiler cannot see the rule that makes it safe: the owner awaits
/// each read it hands the box to, so exactly one body or the owner uses the value at a time.
final class Exclusive<Value>: @unchecked Sendable {
    var value: Value

    init(_ value: Value) {
        self.value = value
    }
}
