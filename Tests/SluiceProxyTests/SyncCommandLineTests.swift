import Foundation
import SluiceConfig
import SluiceHTTP
import SluiceProxy
import SluiceTestSupport
import Testing

/// The `--control-plane` flags, the control-plane URL forms, `/status` with a control-plane
/// link, and the start-up failures of a following data plane.
@Suite struct SyncCommandLineTests {
    private func failure(_ arguments: [String]) -> ProxyCommandLineError? {
        do {
            _ = try ProxyCommandLine.parse(arguments)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesTheControlPlaneFlags() throws {
        let request = try ProxyCommandLine.parse(["--control-plane", "http://cp.example:9901/", "--dataplane-token-file", "t",
                                                  "--node-id=edge-1", "--cache-dir", "/var/cache/sluice", "--listen", "127.0.0.1:0"])
        guard case .run(let commandLine) = request else { throw TestClientError("expected .run") }
        #expect(commandLine.configPath == nil)
        #expect(commandLine.controlPlane == ControlPlaneSettings(url: "http://cp.example:9901", host: "cp.example", port: 9901,
                                                               tokenFile: "t", nodeID: "edge-1", cacheDirectory: "/var/cache/sluice"))
        guard case .run(let minimal) = try ProxyCommandLine.parse(["--control-plane", "http://127.0.0.1:1", "--listen", "127.0.0.1:0"]) else {
            throw TestClientError("expected .run")
        }
        #expect(minimal.controlPlane?.tokenFile == nil)
        #expect(minimal.controlPlane?.nodeID == nil)
        #expect(minimal.controlPlane?.cacheDirectory == nil)
    }

    @Test func exactlyOneSourceAndCompanionsOnlyWithTheControlPlane() {
        let listen = ["--listen", "127.0.0.1:0"]
        guard case .conflictingFlags("--config", _)? = failure(["--config", "c", "--control-plane", "http://h:1"] + listen) else {
            Issue.record("both sources accepted")
            return
        }
        #expect(failure(listen) == .missingFlag("--config or --control-plane"))
        for flag in ["--dataplane-token-file", "--node-id", "--cache-dir"] {
            guard case .conflictingFlags(flag, _)? = failure(["--config", "c", flag, "x"] + listen) else {
                Issue.record("\(flag) accepted with --config")
                continue
            }
        }
        for bad in ["https://h:1", "h:1", "http://", "http://h:0", "http://h:1/api", "http://h:x"] {
            guard case .invalidValue(flag: "--control-plane", value: bad, _)? = failure(["--control-plane", bad] + listen) else {
                Issue.record("\(bad) accepted")
                continue
            }
        }
    }

    @Test func endpointForms() {
        #expect(ControlPlaneSettings.endpoint("http://h")?.port == 80)
        #expect(ControlPlaneSettings.endpoint("http://[::1]:9901")?.host == "::1")
        #expect(ControlPlaneSettings.endpoint("http://[::1]:9901")?.url == "http://[::1]:9901")
        #expect(ControlPlaneSettings.endpoint("http://10.0.0.1:9901/")?.url == "http://10.0.0.1:9901")
    }

    @Test func helpDocumentsTheFlags() {
        for flag in ["--control-plane", "--dataplane-token-file", "--node-id", "--cache-dir", "SLUICE_DATAPLANE_TOKEN"] {
            #expect(ProxyCommandLine.usage.contains(flag), "\(flag)")
        }
    }

    @Test func processExitsForCommandLineAndTokenProblems() throws {
        let both = try runProxyToExit(["--config", "c", "--control-plane", "http://127.0.0.1:1", "--listen", "127.0.0.1:0"])
        #expect(both.status == 2)
        #expect(both.standardError.contains("--config"))
        // No token file and (in this child's environment) no SLUICE_DATAPLANE_TOKEN... unless the
        // test run has one, so name a missing file instead.
        let missing = try runProxyToExit(["--control-plane", "http://127.0.0.1:1", "--dataplane-token-file", "/nonexistent/token",
                                          "--listen", "127.0.0.1:0"])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("/nonexistent/token"))
        #expect(missing.standardOutput.isEmpty)
    }

    @Test func statusJSONWithTheControlPlaneLink() {
        let status = ProxyStatus(source: "control-plane:http://h:1", workers: 2, controlPlaneURL: "http://h:1")
        #expect(String(decoding: status.report.statusJSON, as: UTF8.self)
            == #"{"version":null,"generation":0,"source":"control-plane:http://h:1","loaded_at":null,"last_error":null,"workers":2,"#
            + #""control_plane":{"url":"http://h:1","connected":false,"last_contact":null,"last_error":null}}"#)
        status.recordControlPlaneFailure("cannot reach http://h:1: refused")
        status.setSource("cache:/c/snapshot-current.json")
        #expect(status.report.controlPlane?.lastError == "cannot reach http://h:1: refused")
        #expect(status.report.source == "cache:/c/snapshot-current.json")
        status.recordControlPlaneContact(at: 951_782_400)
        #expect(String(decoding: status.report.statusJSON, as: UTF8.self).hasSuffix(
            #""control_plane":{"url":"http://h:1","connected":true,"last_contact":"2000-02-29T00:00:00Z","last_error":null}}"#))
    }
}
