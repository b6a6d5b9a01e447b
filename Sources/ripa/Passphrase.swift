import Glibc
import Foundation
import RIPA

/// Reads passphrases from a file, the environment, or the terminal without echo.
enum Passphrase {
    static let minimumLength = 8

    /// The passphrase to unlock a key: `file`, else `$environment`, else a prompt on /dev/tty.
    static func read(file: String?, environment: String, prompt: String) throws -> String {
        if let file {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw RIPAError(.badInput, "cannot read passphrase file \(file)")
            }
            let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard !line.isEmpty else { throw RIPAError(.badInput, "passphrase file \(file) is empty") }
            return line
        }
        if let value = ProcessInfo.processInfo.environment[environment], !value.isEmpty {
            return value
        }
        guard let typed = promptWithoutEcho(prompt) else {
            throw RIPAError(.badInput, "no passphrase: set $\(environment), pass a passphrase file, or run in a terminal")
        }
        return typed
    }

    /// A new passphrase: from `file` or `$environment`, else typed twice at the terminal.
    static func readNew(file: String?, environment: String, prompt: String) throws -> String {
        let passphrase: String
        if file != nil || ProcessInfo.processInfo.environment[environment].map({ !$0.isEmpty }) == true {
            passphrase = try read(file: file, environment: environment, prompt: prompt)
        } else {
            let first = try read(file: nil, environment: environment, prompt: prompt)
            let second = try read(file: nil, environment: environment, prompt: "Again: ")
            guard first == second else { throw RIPAError(.badInput, "the two passphrases differ; nothing was written") }
            passphrase = first
        }
        guard passphrase.count >= minimumLength else {
            throw RIPAError(.badInput, "a new passphrase needs at least \(minimumLength) characters")
        }
        return passphrase
    }

    private static func promptWithoutEcho(_ prompt: String) -> String? {
        let fd = open("/dev/tty", O_RDWR)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var original = termios()
        guard tcgetattr(fd, &original) == 0 else { return nil }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        _ = prompt.withCString { write(fd, $0, strlen($0)) }
        tcsetattr(fd, TCSAFLUSH, &silent)
        defer {
            tcsetattr(fd, TCSAFLUSH, &original)
            _ = write(fd, "\n", 1)
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while Glibc.read(fd, &byte, 1) == 1, byte != UInt8(ascii: "\n") { bytes.append(byte) }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.isEmpty ? nil : text
    }
}
