/// The storage format: every backend records it (meta row `format`) when it makes a register,
/// with the origin (`origin`), and refuses to open a register of another format.
public enum RegisterFormat {
    /// The format this code reads and writes.
    public static let current = "ripa-register/1"
}
