import ArgumentParser
import Foundation
import RIPA

struct DocumentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "document",
        abstract: "Documents the register keeps (Code of Practice 8.2), such as a JP's order.",
        subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a kept document to a file, after checking it against its SHA-256.")
        @OptionGroup var register: RegisterOptions
        @Argument(help: "The document's SHA-256 (lower-case hex), as the entry and the central record cite it.") var hash: String
        @Option(help: ArgumentHelp("Where to write it (never overwritten).", valueName: "FILE")) var out: String

        func run() async throws {
            let document = try await register.services().verification.document(sha256: hash)
            let content = document.content
            guard !FileManager.default.fileExists(atPath: out) else {
                throw RIPAError(.badInput, "\(out) already exists; choose another --out")
            }
            guard FileManager.default.createFile(atPath: out, contents: Data(content)) else {
                throw RIPAError(.badInput, "cannot write \(out)")
            }
            print("Wrote \(content.count) bytes to \(out) (sha256 \(document.sha256) checked)")
        }
    }
}
