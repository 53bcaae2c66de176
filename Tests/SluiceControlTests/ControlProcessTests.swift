import Foundation
import SluiceConfig
import SluiceTestSupport
import Synchronization
import Testing
@testable import SluiceControl

/// The real `sluice-control` binary: listening line, first-start token, startup failures, signals.
@Suite struct ControlProcessTests {
    @Test func firstStartPrintsAnAdminTokenOnceAndItWorks() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-control-process")
        defer { directory.remove() }
        let database = directory.file("control.db")
        let first = ControlProcessHarness(arguments: ["--db", database, "--listen", "127.0.0.1:0"])
        #expect(try first.start())
        let tokenLines = first.lines.filter { $0.hasPrefix("admin token: ") }
        #expect(tokenLines.count == 1)
        let token = String(try #require(tokenLines.first).dropFirst("admin token: ".count))
        #expect(token.count >= 32)
        let port = try #require(first.port)
        #expect(first.lines.last == "listening admin=127.0.0.1:\(port)")
        #expect(try APITestServer.request(port: port, "GET", "/v1/versions", token: token).status == 200)
        #expect(try APITestServer.request(port: port, "GET", "/v1/versions", token: "wrong").status == 401)
        first.signal(SIGTERM)
        let firstExit = first.waitForExit()
        #expect(firstExit.status == 0)
        #expect(!firstExit.standardError.contains(token))

        // The hash is stored: a second start prints no token and the old one still works.
        let second = ControlProcessHarness(arguments: ["--db", database, "--listen", "127.0.0.1:0"])
        #expect(try second.start())
        #expect(!second.lines.contains { $0.hasPrefix("admin token: ") })
        #expect(try APITestServer.request(port: try #require(second.port), "GET", "/v1/audit", token: token).status == 200)
        second.signal(SIGINT)
        #expect(second.waitForExit().status == 0)
    }

    @Test func configuredTokensAndNoGeneratedOne() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-control-process")
        defer { directory.remove() }
        let tokenFile = directory.file("dataplane.token")
        try "dp-token-from-file\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let child = ControlProcessHarness(arguments: ["--db", directory.file("c.db"), "--listen=127.0.0.1:0",
                                                      "--dataplane-token-file", tokenFile],
                                          environment: ["SLUICE_ADMIN_TOKEN": "admin-from-env"])
        #expect(try child.start())
        #expect(!child.lines.contains { $0.hasPrefix("admin token: ") })
        let port = try #require(child.port)
        #expect(try APITestServer.request(port: port, "GET", "/v1/tiers", token: "admin-from-env").status == 200)
        #expect(try APITestServer.request(port: port, "GET", "/v1/dataplane/snapshot?node_id=a&wait=0",
                                          token: "dp-token-from-file").status == 304)
        #expect(try APITestServer.request(port: port, "GET", "/v1/tiers", token: "dp-token-from-file").status == 403)
        child.signal(SIGTERM)
        #expect(child.waitForExit().status == 0)
    }

    /// The other pairing: admin token from `--admin-token-file`, data-plane token from the
    /// environment. Each works only on its own class (403 on the other); neither token is ever
    /// printed, on stdout or stderr, even after requests that failed.
    @Test func adminTokenFileAndDataplaneTokenFromEnvironment() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-control-process")
        defer { directory.remove() }
        let tokenFile = directory.file("admin.token")
        try "admin-from-file-0123\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let child = ControlProcessHarness(arguments: ["--db", directory.file("c.db"), "--listen", "127.0.0.1:0",
                                                      "--admin-token-file", tokenFile],
                                          environment: ["SLUICE_DATAPLANE_TOKEN": "dp-from-env-4567"])
        #expect(try child.start())
        let port = try #require(child.port)
        #expect(try APITestServer.request(port: port, "GET", "/v1/tiers", token: "admin-from-file-0123").status == 200)
        #expect(try APITestServer.request(port: port, "GET", "/v1/dataplane/snapshot?node_id=a&wait=0",
                                          token: "admin-from-file-0123").status == 403)
        #expect(try APITestServer.request(port: port, "GET", "/v1/dataplane/snapshot?node_id=a&wait=0",
                                          token: "dp-from-env-4567").status == 304)
        #expect(try APITestServer.request(port: port, "GET", "/v1/tiers", token: "dp-from-env-4567").status == 403)
        let wrong = try APITestServer.request(port: port, "GET", "/v1/tiers", token: "admin-from-file-0124")
        #expect(wrong.status == 401)
        #expect(!wrong.bodyText.contains("admin-from-file"))
        #expect(try APITestServer.request(port: port, "GET", "/health", token: nil).status == 200)
        child.signal(SIGTERM)
        let exit = child.waitForExit()
        #expect(exit.status == 0)
        let printed = child.lines.joined(separator: "\n") + exit.standardError
        #expect(!printed.contains("admin-from-file") && !printed.contains("dp-from-env"))
        #expect(!child.lines.contains { $0.hasPrefix("admin token: ") })
    }

    @Test func missingDatabaseDirectoryExits1() throws {
        let child = ControlProcessHarness(arguments: ["--db", "/nonexistent-sluice-dir/x/control.db", "--listen", "127.0.0.1:0"])
        #expect(try !child.start())
        let exit = child.waitForExit()
        #expect(exit.status == 1)
        #expect(exit.standardError.contains("cannot start"))
        #expect(exit.standardError.contains("/nonexistent-sluice-dir/x"))
    }

    /// Unwritable database directories, testable as root: a regular file in the directory's place,
    /// and `/proc/self` (refuses new files even to root). Exit 1, the path and the reason on stderr.
    @Test func unwritableDatabaseDirectoryExits1() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-control-process")
        defer { directory.remove() }
        let plainFile = directory.file("plain")
        try "not a directory\n".write(toFile: plainFile, atomically: true, encoding: .utf8)
        for (database, reason) in [(plainFile + "/control.db", "\(plainFile) is not a directory"),
                                   ("/proc/self/control.db", "directory /proc/self is not writable")] {
            let child = ControlProcessHarness(arguments: ["--db", database, "--listen", "127.0.0.1:0"],
                                              environment: ["SLUICE_ADMIN_TOKEN": "admin-secret-never-printed"])
            #expect(try !child.start())
            let exit = child.waitForExit()
            #expect(exit.status == 1, "\(database)")
            #expect(exit.standardError.contains("cannot start"), "\(exit.standardError)")
            #expect(exit.standardError.contains(reason), "\(exit.standardError)")
            #expect(!exit.standardError.contains("admin-secret-never-printed"))
        }
    }

    @Test func corruptDatabaseExits1() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-control-process")
        defer { directory.remove() }
        let database = directory.file("control.db")
        try String(repeating: "this is not a sqlite database\n", count: 200).write(toFile: database, atomically: true, encoding: .utf8)
        let child = ControlProcessHarness(arguments: ["--db", database, "--listen", "127.0.0.1:0"])
        #expect(try !child.start())
        let exit = child.waitForExit()
        #expect(exit.status == 1)
        #expect(exit.standardError.contains("cannot start"))
    }

    @Test func badFlagsExit2AndHelpExits0() throws {
        for arguments in [["--db", "/tmp/x.db", "--bogus"], [], ["--db", "/tmp/x.db", "--listen", "nohost"]] {
            let child = ControlProcessHarness(arguments: arguments)
            #expect(try !child.start())
            let exit = child.waitForExit()
            #expect(exit.status == 2, "\(arguments)")
            #expect(exit.standardError.contains("see --help"))
        }
        let help = ControlProcessHarness(arguments: ["--help"])
        #expect(try !help.start())
        #expect(help.waitForExit().status == 0)
        #expect(help.lines.first?.hasPrefix("Usage: sluice-control") == true)
    }

    /// kill -9 in the middle of a burst of creates: the database reopens, passes
    /// `integrity_check`, and holds every entity whose 201 reached the client.
    @Test func killDuringWriteBurstKeepsEveryAcknowledgedWrite() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-control-process")
        defer { directory.remove() }
        let database = directory.file("control.db")
        let child = ControlProcessHarness(arguments: ["--db", database, "--listen", "127.0.0.1:0"],
                                          environment: ["SLUICE_ADMIN_TOKEN": "burst-admin"])
        #expect(try child.start())
        let port = try #require(child.port)
        let acknowledged = Mutex<[String]>([])
        let enough = DispatchSemaphore(value: 0)
        let writers = DispatchGroup()
        for writer in 0..<3 {
            DispatchQueue.global().async(group: writers) {
                for index in 0..<10_000 {
                    let name = "t\(writer)-\(index)"
                    guard let response = try? APITestServer.request(port: port, "POST", "/v1/tiers", token: "burst-admin",
                                                                     body: #"{"name":"\#(name)","requests_per_second":1}"#),
                          response.status == 201 else { return }
                    let count = acknowledged.withLock { names in
                        names.append(name)
                        return names.count
                    }
                    if count == 60 { enough.signal() }
                }
            }
        }
        #expect(enough.wait(timeout: .now() + 60) == .success)
        child.signal(SIGKILL)
        writers.wait()
        #expect(child.waitForExit().status != 0)

        let names = acknowledged.withLock { $0 }
        #expect(names.count >= 60)
        let store = try ControlPlaneStore(path: database)
        defer { store.close() }
        #expect(try store.integrityCheck())
        for name in names {
            #expect(try store.get(.tiers, name) != nil, "acknowledged \(name) lost")
        }
    }
}

@Suite struct ControlProcessShutdownTests {
    /// A changed migration (recorded checksum differs from the binary's) refuses to start.
    @Test func changedMigrationExits1() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-control-process")
        defer { directory.remove() }
        let database = directory.file("control.db")
        do {
            let store = try ControlPlaneStore(path: database)
            store.close()
        }
        let connection = try SQLiteConnection(path: database)
        try connection.execute("UPDATE schema_migrations SET checksum = 'edited'")
        connection.close()
        let child = ControlProcessHarness(arguments: ["--db", database, "--listen", "127.0.0.1:0"],
                                          environment: ["SLUICE_ADMIN_TOKEN": "a"])
        #expect(try !child.start())
        let exit = child.waitForExit()
        #expect(exit.status == 1)
        #expect(exit.standardError.contains("migration"))
    }

    /// SIGTERM with a parked long poll: the poll is answered (304) and the process exits 0 promptly.
    @Test func sigtermReleasesParkedPolls() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-control-process")
        defer { directory.remove() }
        let child = ControlProcessHarness(arguments: ["--db", directory.file("c.db"), "--listen", "127.0.0.1:0"],
                                          environment: ["SLUICE_ADMIN_TOKEN": "adm", "SLUICE_DATAPLANE_TOKEN": "dp"])
        #expect(try child.start())
        let port = try #require(child.port)
        let poller = try TestTCPClient(port: port, timeoutSeconds: 10)
        defer { poller.close() }
        try poller.send(APITestServer.requestText("GET", "/v1/dataplane/snapshot?node_id=n1&wait=60", token: "dp", body: nil,
                                                  close: false))
        // Parked once the node is listed (its poll recorded it first).
        while try APITestServer.request(port: port, "GET", "/v1/dataplanes", token: "adm").json["total"]?.integerValue != 1 {}
        let started = Date()
        child.signal(SIGTERM)
        #expect(try poller.readResponse().status == 304)
        #expect(child.waitForExit().status == 0)
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
