import Foundation
import SluiceTestSupport

/// A real `sluice-control` child (temp db, port 0, admin token and data-plane token from its
/// environment) and a way to run the built `sluicectl` binary against it. The control plane is
/// killed and the directory removed in `deinit`.
final class SluicectlHarness {
    static let adminToken = "sluicectl-test-admin-token"
    static let dataplaneToken = "sluicectl-test-dataplane-token"

    let directory: TemporaryDirectory
    let control: ControlProcessHarness
    let port: UInt16

    var serverURL: String { "http://127.0.0.1:\(port)" }

    init() throws {
        directory = try TemporaryDirectory(prefix: "sluicectl")
        control = ControlProcessHarness(arguments: ["--db", directory.file("control.db"), "--listen", "127.0.0.1:0"],
                                        environment: ["SLUICE_ADMIN_TOKEN": Self.adminToken,
                                                      "SLUICE_DATAPLANE_TOKEN": Self.dataplaneToken])
        guard try control.start(), let port = control.port else {
            throw TestClientError("sluice-control did not start: \(control.waitForExit().standardError)")
        }
        self.port = port
    }

    deinit {
        control.signal(SIGKILL)
        _ = control.waitForExit()
        directory.remove()
    }

    /// Runs sluicectl with `arguments` against this server (through `SLUICE_SERVER` and
    /// `SLUICE_ADMIN_TOKEN`, which `environment` may override or blank).
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> SluicectlResult {
        var variables = ["SLUICE_SERVER": serverURL, "SLUICE_ADMIN_TOKEN": Self.adminToken]
        variables.merge(environment) { $1 }
        return try Self.run(arguments, stdin: stdin, environment: variables, directory: directory)
    }

    /// Runs sluicectl with exactly `environment`; stdout and stderr go to files in `directory`.
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String],
                    directory: TemporaryDirectory) throws -> SluicectlResult {
        let name = UUID().uuidString
        let outputPath = directory.file("\(name).out")
        let errorPath = directory.file("\(name).err")
        guard FileManager.default.createFile(atPath: outputPath, contents: nil),
              FileManager.default.createFile(atPath: errorPath, contents: nil) else {
            throw TestClientError("cannot create output files in \(directory.path)")
        }
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: errorPath)
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer {
            try? output.close()
            try? errors.close()
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = output
        process.standardError = errors
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let outputText = String(decoding: FileManager.default.contents(atPath: outputPath) ?? Data(), as: UTF8.self)
        let errorText = String(decoding: FileManager.default.contents(atPath: errorPath) ?? Data(), as: UTF8.self)
        return SluicectlResult(status: process.terminationStatus, standardOutput: outputText, standardError: errorText)
    }

    /// The built `sluicectl`, next to the test bundle (or in .build/debug).
    static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("sluicectl")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/sluicectl")
    }
}
