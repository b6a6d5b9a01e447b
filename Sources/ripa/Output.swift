import Foundation
import Ledger
import RIPA

/// Printing helpers: text for people, canonical JSON for scripts.
enum Output {
    static func json(_ value: JSONValue) {
        print(value.canonicalString)
    }

    /// Prints a service's result as canonical JSON (sorted keys, as every `--json` prints).
    static func json(_ value: some Encodable) throws {
        print(try JSONValue(encoding: value).canonicalString)
    }

    static func json(encoding value: some Encodable) throws {
        print(try JSONValue(encoding: value).canonicalString)
    }

    /// Prints rows as aligned columns under a header. Every cell is escaped
    /// (`TextField.escaped`): a line break or control character in a stored name, rank, case
    /// reference or operation prints as `\n` or `\u{…}`, so it cannot forge a row.
    static func table(_ header: [String], _ rows: [[String]]) {
        let rows = rows.map { $0.map { TextField.escaped($0) } }
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        print(line(header))
        for row in rows { print(line(row)) }
    }

    /// The line every report on a test register starts with, so that a register whose
    /// clock anyone may set is never mistaken for a real one.
    static let testRegisterBanner = "TEST REGISTER: entry times may come from a fixed clock; this is not a record of real surveillance"

    /// Prints the banner on a test register: on stdout before text, on stderr where stdout
    /// must stay machine-readable (CSV); JSON reports carry `"test_register": true` instead.
    static func banner(_ register: Register, toStandardError: Bool = false) {
        guard register.isTestRegister else { return }
        if toStandardError { error(testRegisterBanner) } else { print(testRegisterBanner) }
    }

    /// As `banner(_:toStandardError:)`, for a register's services.
    static func banner(_ services: RegisterServices, toStandardError: Bool = false) {
        guard services.isTestRegister else { return }
        if toStandardError { error(testRegisterBanner) } else { print(testRegisterBanner) }
    }

    /// Warns, on one line of stderr, without failing.
    static func warning(_ message: String) {
        error("warning: " + message)
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
