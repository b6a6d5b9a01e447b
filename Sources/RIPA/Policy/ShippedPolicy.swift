import Foundation

/// The policy files shipped in `Policies/`, located beside the binary's source tree or
/// through `$RIPA_POLICIES`; `ripa init` adopts them.
public enum ShippedPolicy {
    /// The shipped files, in the order they are adopted.
    public static let fileNames = ["england-wales-local-authority.yaml", "offences.yaml"]

    /// The folder holding the shipped packs: `$RIPA_POLICIES`, else `Policies/` found by
    /// walking up from the executable (a checkout's `.build/…/ripa`), else from the
    /// working directory.
    public static func directory() throws(RIPAError) -> String {
        if let path = ProcessInfo.processInfo.environment["RIPA_POLICIES"] { return path }
        var starts = [URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()]
        starts.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        for start in starts {
            var dir = start
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent("Policies")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(fileNames[0]).path) {
                    return candidate.path
                }
                dir = dir.deletingLastPathComponent()
            }
        }
        throw RIPAError(.policy, "cannot find the shipped Policies/ folder", reason: .policyNoShippedPack)
    }

    /// The shipped files' paths.
    public static func paths() throws(RIPAError) -> [String] {
        let dir = try directory()
        return fileNames.map { dir + "/" + $0 }
    }
}
