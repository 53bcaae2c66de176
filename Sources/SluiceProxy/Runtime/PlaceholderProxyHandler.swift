import SluiceHTTP

/// TEMPORARY until the `proxy` branch's `ProxyHandler` is merged: answers every request 503.
final class PlaceholderProxyHandler: HTTPServerHandler {
    func requestHead(_ head: HTTPRequestHead, bytes: ByteView, connection: HTTPServerConnection) {
        connection.sendErrorResponse(status: 503, reason: "proxy handler not available")
    }
}
