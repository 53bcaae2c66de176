import SluiceHTTP

/// Two connected nonblocking loopback TCP sockets (through a throwaway listener on port 0).
public func makeLoopbackPair() throws -> (client: Socket, server: Socket) {
    let listener = try Socket.listening(at: .loopbackIPv4(port: 0), backlog: 4, reusePort: false)
    defer { listener.close() }
    let address = try listener.localAddress()
    let client = try Socket.makeTCP(.ipv4)
    _ = try client.connect(to: address)
    // Loopback completes the handshake immediately; accept may still need a retry or two.
    for _ in 0..<100_000 {
        if let server = try listener.accept() { return (client, server) }
    }
    client.close()
    throw TestClientError("accept never completed")
}
