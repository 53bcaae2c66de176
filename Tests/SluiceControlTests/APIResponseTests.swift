import SluiceConfig
import SluiceTestSupport
import Testing
@testable import SluiceControl

@Suite struct APIResponseTests {
    @Test func storeErrorsMapToOneStatusEach() {
        let problems = [ConfigProblem(pointer: "/targets/0/url", message: "bad url")]
        #expect(APIResponse(storeError: .invalid(problems)).status == 422)
        #expect(APIResponse(storeError: .invalid(problems)).body == Array(#"{"errors":[{"pointer":"/targets/0/url","message":"bad url"}]}"#.utf8))
        #expect(APIResponse(storeError: .conflict("taken")).status == 409)
        #expect(APIResponse(storeError: .notFound("upstream \"x\"")).status == 404)
        #expect(APIResponse(storeError: .preconditionFailed("changed")).status == 412)
        let failure = APIResponse(storeError: .migrationChanged("0001_initial.sql"))
        #expect(failure.status == 500)
        #expect(!String(decoding: failure.body, as: UTF8.self).contains("0001"))
    }

    @Test func errorShapeHasEmptyPointer() {
        let response = APIResponse.error(401, "missing or invalid bearer token", headers: [("WWW-Authenticate", "Bearer")])
        #expect(response.body == Array(#"{"errors":[{"pointer":"","message":"missing or invalid bearer token"}]}"#.utf8))
        #expect(response.header("www-authenticate") == "Bearer")
    }

    @Test func headAnswersWithoutBody() throws {
        let server = try APITestServer()
        defer { server.stop() }
        let head = try server.request("HEAD", "/v1/versions")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(Int(head.header("Content-Length") ?? "") ?? 0 > 0)
        let options = try server.request("OPTIONS", "/v1/dataplane/status", token: APITestServer.dataplaneToken)
        #expect(options.status == 405)
        #expect(options.header("Allow") == "POST")
    }

    @Test func keepAliveCarriesSeveralRequests() throws {
        let server = try APITestServer()
        defer { server.stop() }
        let client = try TestTCPClient(port: server.port)
        for _ in 0..<3 {
            try client.send(APITestServer.requestText("GET", "/health", token: nil, body: nil, close: false))
            #expect(try client.readResponse().status == 200)
        }
    }
}
