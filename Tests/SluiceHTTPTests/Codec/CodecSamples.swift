/// Valid messages shared by the parser tests and the mutation fuzz test.
enum CodecSamples {
    static let browserGET = """
        GET /api/users/42?include=orders&sort=desc HTTP/1.1\r
        Host: api.example.com\r
        User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r
        Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r
        Accept-Language: en-US,en;q=0.5\r
        Accept-Encoding: gzip, deflate, br\r
        Connection: keep-alive\r
        Cookie: session=abc123def456; theme=dark\r
        Upgrade-Insecure-Requests: 1\r
        Sec-Fetch-Dest: document\r
        \r

        """

    static let validRequests: [String] = [
        browserGET,
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "POST /submit HTTP/1.1\r\nHost: example.com:8080\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\n",
        "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n",
        "GET /old HTTP/1.0\r\n\r\n",
        "GET /old HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
        "GET http://Example.com:81/p/q?x=1 HTTP/1.1\r\nHost: example.com:81\r\n\r\n",
        "GET HTTPS://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n",
        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
        "\r\n\r\nDELETE /x HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
        "PUT /x HTTP/1.1\r\nHost: 10.0.0.1\r\nContent-Length: 5, 5\r\ncontent-length: 5\r\n\r\n",
        "PATCH /x HTTP/1.2\r\nHost: h\r\nConnection: close, Upgrade\r\nUpgrade: websocket\r\nX-Opaque: \u{80}\u{FF}v a\tl\r\n\r\n",
        "BREW /pot HTTP/1.1\r\nhOsT: tea.example\r\nX-Empty:\r\nX-Spaces:   padded \t \r\n\r\n",
        "HEAD http://h/h?x HTTP/1.1\r\nHost:\r\nTE: trailers\r\nTrailer: X\r\nAuthorization: Bearer x\r\n\r\n",
    ]

    static let chunkedBodies: [String] = [
        "5\r\nhello\r\n0\r\n\r\n",
        "a;name=value\r\n0123456789\r\n1 ; x = \"q;s\"\r\n!\r\n0\r\nX-Trailer: yes\r\nChecksum: 1\r\n\r\n",
        "000F\r\nfifteen bytes..\r\n0;last\r\n\r\n",
        "0\r\n\r\n",
    ]

    static let validResponses: [String] = [
        "HTTP/1.1 200 OK\r\nContent-Length: 12\r\nContent-Type: text/plain\r\n\r\n",
        "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\nServer: x\r\n\r\n",
        "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 204\r\nDate: Mon, 23 Nov 2026 14:00:00 GMT\r\n\r\n",
        "HTTP/1.1 500 \r\nConnection: close\r\n\r\n",
        "HTTP/1.1 100 Continue\r\n\r\n",
    ]
}
