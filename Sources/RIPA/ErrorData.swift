import Ledger
import RegisterStorage

/// Any of the register's errors as data a front end renders — stable code, specific reason,
/// values, message — so a front end reports a storage error without importing a storage
/// module.
public struct ErrorData: Sendable, Hashable {
    /// The stable code.
    public var code: String
    /// The specific rule or check, if the error names one.
    public var reason: String?
    /// The facts that explain it.
    public var values: [String: String]
    /// The message, naming no front end's command.
    public var message: String

    /// The storage reasons a front end may give a hint for.
    public enum StoreReason {
        public static let projectionTampered = StoreError.Reason.projectionTampered.rawValue
        public static let urnAlreadyIssued = StoreError.Reason.urnAlreadyIssued.rawValue
        public static let noDatabase = StoreError.Reason.noDatabase.rawValue
        public static let notARegister = StoreError.Reason.notARegister.rawValue
    }

    /// The data of a `RIPAError` or a `StoreError`; nil for any other error.
    public init?(_ error: any Error) {
        switch error {
        case let error as RIPAError:
            self.init(code: error.code.rawValue, reason: error.reason?.rawValue, values: error.values, message: error.message)
        case let error as StoreError:
            self.init(code: error.code.rawValue, reason: error.reason?.rawValue, values: error.values, message: error.message)
        default:
            return nil
        }
    }

    init(code: String, reason: String?, values: [String: String], message: String) {
        self.code = code
        self.reason = reason
        self.values = values
        self.message = message
    }
}
