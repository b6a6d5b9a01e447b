import Glibc
import Foundation
import RIPA

/// Reads passphrases from a file, the environment, or the terminal without echo. What a
/// new passphrase must be is `PassphraseRule`'s, checked by the library where it is set.
enum Passphrase {
    /// The passphrase to unlock a key: `file`, else `$environment`, else a prompt on /dev/tty.
    static func read(file: String?, environment: String, prompt: String) throws -> String {
        if let file {
            let text = try InputFile.text(file, limit: InputLimits.passphraseFileBytes, what: "passphrase file")
            // The first line, cut at the first LF byte: as Characters, "\r\n" is one grapheme
            // that is not "\n", so a file saved with Windows line endings kept its CR (and the
            // rest of the file) and reported a wrong passphrase. The CR belongs to the line ending.
            var line = text.utf8.prefix { $0 != UInt8(ascii: "\n") }
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            guard !line.isEmpty else { throw RIPAError(.badInput, "passphrase file \(file) is empty") }
            return String(decoding: line, as: UTF8.self)
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
        if file != nil || ProcessInfo.processInfo.environment[environment].map({ !$0.isEmpty }) == true {
            return try read(file: file, environment: environment, prompt: prompt)
        }
        let first = try read(file: nil, environment: environment, prompt: prompt)
        let second = try read(file: nil, environment: environment, prompt: "Again: ")
        guard first == second else { throw RIPAError(.badInput, "the two passphrases differ; nothing was written") }
        return first
    }

    private static func promptWithoutEcho(_ prompt: String) -> String? {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var original = termios()
        guard tcgetattr(fd, &original) == 0 else { return nil }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        _ = prompt.withCString { write(fd, $0, strlen($0)) }
        // Ctrl-C or a kill while echo is off would leave the terminal silent: restore it first.
        TerminalGuard.arm(fd: fd, original: original)
        tcsetattr(fd, TCSAFLUSH, &silent)
        defer {
            tcsetattr(fd, TCSAFLUSH, &original)
            TerminalGuard.disarm()
            _ = write(fd, "\n", 1)
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while bytes.count <= InputLimits.passphraseFileBytes {
            let count = Glibc.read(fd, &byte, 1)
            if count < 0, errno == EINTR { continue }
            guard count == 1, byte != UInt8(ascii: "\n") else { break }
            bytes.append(byte)
        }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.isEmpty ? nil : text
    }
}

/// Restores the terminal's settings if SIGINT or SIGTERM arrives while a passphrase is being
/// typed with echo off, then exits with status 130 (as a shell reports an interrupt).
enum TerminalGuard {
    nonisolated(unsafe) private static var fd: Int32 = -1
    nonisolated(unsafe) private static var saved = termios()
    nonisolated(unsafe) private static var previous: [Int32: sighandler_t?] = [:]

    static func arm(fd: Int32, original: termios) {
        saved = original
        Self.fd = fd
        let handler: @convention(c) (Int32) -> Void = { _ in
            // Only async-signal-safe calls: tcsetattr, write, _exit.
            if TerminalGuard.fd >= 0 {
                var settings = TerminalGuard.saved
                tcsetattr(TerminalGuard.fd, TCSANOW, &settings)
                _ = write(TerminalGuard.fd, "\n", 1)
            }
            _exit(130)
        }
        for signal in [SIGINT, SIGTERM] { previous[signal] = Glibc.signal(signal, handler) }
    }

    static func disarm() {
        for (signal, handler) in previous { Glibc.signal(signal, handler ?? SIG_DFL) }
        previous = [:]
        fd = -1
    }
}
