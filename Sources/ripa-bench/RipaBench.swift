import ArgumentParser
import Foundation
import Ledger
import RIPA
import RegisterFiles
import RegisterServer
import RegisterStorage

/// `ripa-bench`: the register's speed, each figure beside the limit measured in the same
/// run on the same machine. Build and run in release mode (`make bench`).
@main
struct RipaBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ripa-bench",
        abstract: "Measure the register's appends, verification and proofs beside raw baselines.",
        discussion: "Run in release mode: `make bench`, or `swift build -c release && .build/release/ripa-bench`.")

    @Flag(help: "Print one JSON object instead of a table.") var json = false
    @Option(help: ArgumentHelp("Build the register in DIR and leave it there (database and key file).", valueName: "DIR"))
    var keep: String?
    @Option(help: "Entries in the register that verification and proofs run over.") var entries = 1_000_000
    @Option(help: "Durable single-entry transactions timed.") var singles = 200

    func validate() throws {
        guard entries >= 10_000 else { throw ValidationError("--entries must be at least 10,000 (the baselines sample real entries from the register)") }
        guard singles >= 1 else { throw ValidationError("--singles must be at least 1") }
    }

    func run() async throws {
        let directory = keep ?? FileManager.default.temporaryDirectory.appendingPathComponent("ripa-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let db = directory + "/register.db"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        try? FileManager.default.removeItem(atPath: directory + "/register.key")
        try? FileManager.default.removeItem(atPath: directory + "/raw.db")

        var figures = Figures()
        let log = { (text: String) in if !json { FileHandle.standardError.write(Data((text + "\n").utf8)) } }

        // A register with an administrator and the investigator whose views fill it.
        let (register, _, founders) = try await RegisterFiles.create(
            databasePath: db, origin: "bench.ripa.example/register",
            administrators: [
                NewUser(userID: "admin", name: "Bench Admin", roles: [.administrator], rank: "Administrator"),
                NewUser(userID: "second", name: "Second Admin", roles: [.administrator], rank: "Administrator"),
            ],
            policy: (try PolicyLoader.load(paths: ShippedPolicy.paths()), ShippedPolicy.fileNames))
        for founder in founders {
            try await register.acceptInvitation(userID: founder.userID, code: founder.code.description, passphrase: "bench passphrase")
        }
        let admin = try await register.unlock(userID: "admin", passphrase: "bench passphrase")
        let invitation = try await register.invite(NewUser(userID: "ivan", name: "Ivan Bench", roles: [.investigator], rank: "Investigator"), by: admin)
        try await register.acceptInvitation(userID: "ivan", code: invitation.code.description, passphrase: "bench passphrase")
        let investigator = try await register.unlock(userID: "ivan", passphrase: "bench passphrase")
        var workload = ViewWorkload(investigator: investigator)

        // 1. Durable appends in batches of 1,000 (each entry signed, hashed, tree updated,
        //    projected; `RegisterWriter.append(contentsOf:)` signs on one core while the other
        //    stores), building the register the later figures use. Every 20th batch the
        //    baseline signs and inserts the same bytes raw, 1,000 per transaction, so both are
        //    timed under the same conditions on this shared machine, not minutes apart.
        log("building a \(entries)-entry register in batches of 1,000 …")
        let raw = try RawSQLite(path: directory + "/raw.db")
        let target = UInt64(entries)
        var built: UInt64 = try await register.store.read { try $0.size() }
        let initial = built
        var sample: [[UInt8]] = []
        var batchSeconds = 0.0
        var rawSeconds = 0.0
        var rawCount = 0
        var batches = 0
        while built < target {
            let count = Int(min(1000, target - built))
            let bodies = workload.nextBodies(count)
            batchSeconds += try await Measure.seconds {
                built = try await register.write { writer in
                    try ViewWorkload.appendStored(bodies, by: investigator, to: writer)
                    return writer.size
                }
            }
            if sample.isEmpty {
                let first = built - UInt64(count)
                sample = try await register.store.read { try $0.leaves(from: first, limit: count).map(\.leaf) }
            }
            if batches % 20 == 0 {
                rawSeconds += try Measure.seconds {
                    try raw.exec("BEGIN IMMEDIATE")
                    for i in 0..<1000 {
                        let bytes = sample[(rawCount + i) % sample.count]
                        _ = investigator.key.signature(for: bytes)
                        try raw.insert(bytes)
                    }
                    try raw.exec("COMMIT")
                }
                rawCount += 1000
            }
            batches += 1
        }
        figures.appendBatchPerSecond = Double(target - initial) / batchSeconds
        figures.appendBatchLimitPerSecond = Double(rawCount) / rawSeconds
        log("append batch: \(Int(figures.appendBatchPerSecond))/s (raw \(Int(figures.appendBatchLimitPerSecond))/s)")
        // The share of that append which is sealing the looks' personal fields (included in
        // the figure above): 10,000 bodies sealed alone, their case and tag keys already open.
        let toSeal = workload.nextBodies(10_000)
        figures.sealingMicrosecondsPerEntry = try await register.write { writer in
            try Measure.seconds { for body in toSeal { _ = try PersonalData.seal(body, kind: .viewRecorded, writer: writer) } }
        } / Double(toSeal.count) * 1_000_000
        log("sealing: \(figures.sealingMicrosecondsPerEntry) µs per entry")

        // 2. One entry per durable transaction, beside a raw single-row insert with the same fsync.
        var single: [Double] = []
        var rawSingle: [Double] = []
        for i in 0..<singles {
            let body = workload.nextBody()
            single.append(try await Measure.seconds { try await register.write { writer in try ViewWorkload.appendStored(body, by: investigator, to: writer) } })
            rawSingle.append(try Measure.seconds { try raw.insert(sample[i % sample.count]) })
        }
        figures.appendSingleP50ms = Measure.percentile(single, 50) * 1000
        figures.appendSingleLimitP50ms = 1.5 * Measure.percentile(rawSingle, 50) * 1000
        log("append single: p50 \(figures.appendSingleP50ms) ms (limit \(figures.appendSingleLimitP50ms) ms)")

        // 3. The viewing gate over the register's views: the decision alone (a repeat look
        //    at a profile already seen, or a first look), then decision + durable record.
        var decisions: [Double] = []
        for i in 0..<5000 {
            let address = i % 2 == 0 ? "https://example.org/people/\(Int.random(in: 1...workload.counter))" : "https://example.org/new/\(i)"
            decisions.append(try await Measure.seconds { _ = try await register.decideView(address: address, urn: nil, viewer: "ivan") })
        }
        figures.gateDecisionP99ms = Measure.percentile(decisions, 99) * 1000
        var recorded: [Double] = []
        var rawRecorded: [Double] = []
        for i in 0..<singles {
            let address = workload.nextAddress()
            await recorded.append(try Measure.seconds {
                _ = try await register.view(address: address, caseRef: "BENCH-2", purpose: "first look", urn: nil, by: investigator)
            })
            rawRecorded.append(try Measure.seconds { try raw.insert(sample[i % sample.count]) })
        }
        figures.gateRecordP50ms = Measure.percentile(recorded, 50) * 1000
        figures.gateRecordLimitP50ms = 1.5 * Measure.percentile(rawRecorded, 50) * 1000
        log("gate: decision p99 \(figures.gateDecisionP99ms) ms; decision + record p50 \(figures.gateRecordP50ms) ms (limit \(figures.gateRecordLimitP50ms) ms)")

        // 4. Verification of the whole register on every core, beside raw libsodium
        //    verification of the same entries' signatures on every core at once (one thread
        //    per core, each through its share; wall clock). The raw rate is taken just before
        //    and just after the register's verification and averaged, so a change in the load
        //    of this shared machine during the run weighs on both alike.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let verifySample = try await register.store.read { try $0.leaves(from: 1000, limit: 20_000) }.map { try RawVerify.Signed(Entry(leafData: $0.leaf)) }
        let rawVerifyOneCore = try RawVerify.rate(verifySample, threads: 1)
        let rawBefore = try RawVerify.rate(verifySample, threads: cores)
        log("verifying \(try await register.store.read { try $0.size() }) entries on \(cores) cores …")
        Measure.resetPeakResident()
        var report: VerificationReport?
        let verifySeconds = try await Measure.asyncSeconds {
            report = try await RegisterVerifier(store: register.store).verify(saveState: true)
        }
        figures.verifyPeakRSSMB = Measure.peakResidentMB()
        let rawAfter = try RawVerify.rate(verifySample, threads: cores)
        figures.verifyLimitAllCoresPerSecond = (rawBefore + rawAfter) / 2
        figures.rawVerifySingleCorePerSecond = rawVerifyOneCore
        figures.verifyPerSecond = Double(report!.size) / verifySeconds
        log("verify: \(Int(figures.verifyPerSecond))/s (raw on \(cores) cores \(Int(rawBefore))/s before, \(Int(rawAfter))/s after), peak \(Int(figures.verifyPeakRSSMB)) MB")

        // 4a. `verify --since`: 10,000 new entries verified from the state the full verify
        //     saved. Before the replay, whose memory the process may keep, so both peaks are
        //     measured from the same footing.
        figures.fullVerifySeconds = verifySeconds
        try await IncrementalFigures.measure(
            register: register, investigator: investigator, workload: &workload, stateFile: report!.stateFile!, into: &figures, log: log)

        // 4b. `verify --replay`: every decision re-run from the log alone; its peak resident
        //     memory is what grows with the register (the replay's own projections).
        log("verifying with replay …")
        Measure.resetPeakResident()
        var replayReport: VerificationReport?
        let replaySeconds = try await Measure.asyncSeconds {
            replayReport = try await RegisterVerifier(store: register.store).verify(replay: true)
        }
        figures.replayPeakRSSMB = Measure.peakResidentMB()
        figures.replayPerSecond = Double(replayReport!.size) / replaySeconds
        log("verify --replay: \(Int(figures.replayPerSecond))/s, peak \(Int(figures.replayPeakRSSMB)) MB")

        // 5. Proofs at full size, each in its own read from the stored tree.
        let size = report!.size
        var generator = SystemRandomNumberGenerator()
        var inclusion: [Double] = []
        var consistency: [Double] = []
        for _ in 0..<1000 {
            let index = UInt64.random(in: 0..<size, using: &generator)
            inclusion.append(try await Measure.seconds { _ = try await register.store.read { try $0.inclusionProof(index: index, size: size) } })
            let old = UInt64.random(in: 1..<size, using: &generator)
            consistency.append(try await Measure.seconds { _ = try await register.store.read { try $0.consistencyProof(oldSize: old, newSize: size) } })
        }
        figures.inclusionProofMs = Measure.percentile(inclusion, 99) * 1000
        figures.consistencyProofMs = Measure.percentile(consistency, 99) * 1000

        // 6. Through HTTP on loopback: `ripa serve` in this process, with its start-up and
        //    background verification off (measured above, and they would share the cores).
        try await WebFigures.measure(register: register, admin: admin, investigator: investigator, workload: &workload, singles: singles, into: &figures, log: log)

        figures.entries = Int(size)
        figures.cores = cores
        if json {
            print(try figures.json())
        } else {
            figures.printTable()
            if let keep { print("\nKept the register in \(keep) (register.db, register.key): time `ripa verify --db \(keep)/register.db`.") }
        }
        try? FileManager.default.removeItem(atPath: directory + "/raw.db")
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: directory + "/raw.db" + suffix) }
    }
}

extension Measure {
    static func asyncSeconds(_ body: () async throws -> Void) async rethrows -> Double {
        let start = now()
        try await body()
        return now() - start
    }
}
