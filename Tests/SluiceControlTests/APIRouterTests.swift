import SluiceHTTP
import Testing
@testable import SluiceControl

@Suite struct APIRouterTests {
    let router = APIRouter()

    @Test func matchesEntityItemWithDecodedParameter() throws {
        guard case .route(let route, let parameters) = router.match(method: .GET, path: "/v1/jwt-keys/key%201") else {
            Issue.record("no match")
            return
        }
        #expect(route.endpoint == .getEntity(.jwtKeys))
        #expect(parameters == ["kid": "key 1"])
    }

    @Test func headIsRoutedAsGet() {
        guard case .route(let route, _) = router.match(method: .HEAD, path: "/v1/versions") else {
            Issue.record("no match")
            return
        }
        #expect(route.endpoint == .listVersions)
    }

    @Test func nestedAPIKeyRoute() {
        guard case .route(let route, let parameters) = router.match(method: .DELETE, path: "/v1/consumers/u1/api-keys/k9") else {
            Issue.record("no match")
            return
        }
        #expect(route.endpoint == .deleteAPIKey)
        #expect(parameters == ["id": "u1", "key_id": "k9"])
    }

    @Test func knownPathWithOtherMethodIs405WithAllow() {
        guard case .methodNotAllowed(let allowed) = router.match(method: .PATCH, path: "/v1/upstreams/users") else {
            Issue.record("expected 405")
            return
        }
        #expect(APIRouter.allowValue(allowed) == "GET, PUT, DELETE, HEAD")
    }

    @Test func unknownPathsAreNotFound() {
        for path in ["/", "/v1", "/v1/nothing", "/v1/upstreams/a/b", "/v1/upstreams/", "relative", "/health/x"] {
            if case .notFound = router.match(method: .GET, path: path) { continue }
            Issue.record("\(path) matched")
        }
    }

    @Test func malformedPercentEncodingDoesNotMatch() {
        if case .notFound = router.match(method: .GET, path: "/v1/routes/%zz") { return }
        Issue.record("matched a malformed escape")
    }

    @Test func everyRouteIsUniqueAndReachable() {
        var seen = Set<String>()
        for route in router.routes {
            #expect(seen.insert("\(route.method.name) \(route.pattern)").inserted, "duplicate \(route.pattern)")
            let path = route.pattern.split(separator: "/").map { $0.hasPrefix("{") ? "x1" : String($0) }.joined(separator: "/")
            guard case .route(let matched, _) = router.match(method: route.method, path: "/" + path) else {
                Issue.record("\(route.pattern) unreachable")
                continue
            }
            #expect(matched.endpoint == route.endpoint)
        }
    }

    @Test func queryParsingDecodes() {
        #expect(APIRequest.parseQuery("?after=3&node_id=n%2F1&wait=&x=a+b") == ["after": "3", "node_id": "n/1", "wait": "", "x": "a b"])
        #expect(APIRequest.parseQuery("") == [:])
    }

    @Test func bearerTokenExtraction() {
        #expect(APIRequest(method: .GET, path: "/", authorization: "Bearer abc").bearerToken == "abc")
        #expect(APIRequest(method: .GET, path: "/", authorization: "bearer  abc ").bearerToken == "abc")
        #expect(APIRequest(method: .GET, path: "/", authorization: "Basic abc").bearerToken == nil)
        #expect(APIRequest(method: .GET, path: "/", authorization: "Bearer ").bearerToken == nil)
        #expect(APIRequest(method: .GET, path: "/").bearerToken == nil)
    }

    @Test func authenticatorClassesAndRefusals() {
        let authenticator = APIAuthenticator(configuredAdminToken: ("admin-1", "env"), dataplaneToken: "dp-1",
                                             storedAdminToken: { $0 == "stored-1" ? "tok_1" : nil })
        func identify(_ token: String?) -> APIAuthenticator.Identity {
            authenticator.identify(APIRequest(method: .GET, path: "/", authorization: token.map { "Bearer " + $0 }))
        }
        #expect(identify("admin-1") == .admin(actor: "env"))
        #expect(identify("stored-1") == .admin(actor: "tok_1"))
        #expect(identify("dp-1") == .dataplane)
        #expect(identify("admin-2") == .unknown)
        #expect(identify(nil) == .unknown)
        #expect(authenticator.refusal(of: .unknown, for: .admin)?.status == 401)
        #expect(authenticator.refusal(of: .unknown, for: .admin)?.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        #expect(authenticator.refusal(of: .dataplane, for: .admin)?.status == 403)
        #expect(authenticator.refusal(of: .admin(actor: "env"), for: .dataplane)?.status == 403)
        #expect(authenticator.refusal(of: .unknown, for: .open) == nil)
        #expect(authenticator.refusal(of: .admin(actor: "env"), for: .admin) == nil)
    }

    @Test func etagIsQuoted() {
        #expect(ControlAPI.quotedETag("abc") == #""abc""#)
        #expect(ControlAPI.quotedETag(#""abc""#) == #""abc""#)
    }

    @Test func pageParsing() {
        guard case .success(let page) = APIPage.from(query: ["limit": "5", "offset": "10"]) else {
            Issue.record("refused")
            return
        }
        #expect(page == APIPage(limit: 5, offset: 10))
        for bad in [["limit": "0"], ["limit": "1001"], ["limit": "x"], ["offset": "-1"]] {
            if case .failure(let error) = APIPage.from(query: bad) { #expect(error.response.status == 400) } else { Issue.record("accepted \(bad)") }
        }
    }
}
