import Testing
import SluiceHTTP

@Suite struct UTCTimeTests {
    @Test func formatsRFC3339() {
        #expect(UTCTime(secondsSince1970: 0).rfc3339 == "1970-01-01T00:00:00Z")
        #expect(UTCTime(secondsSince1970: 951_782_400).rfc3339 == "2000-02-29T00:00:00Z")
        #expect(UTCTime(secondsSince1970: 1_795_392_000 + 3661).rfc3339 == "2026-11-23T01:01:01Z")
        #expect(UTCTime(secondsSince1970: -1).rfc3339 == "1969-12-31T23:59:59Z")
    }

    @Test func parsesWhatItWrites() {
        for seconds: Int64 in [0, 1, 951_782_400, 1_795_449_600, 4_102_444_799, -86_401] {
            let time = UTCTime(secondsSince1970: seconds)
            #expect(UTCTime(rfc3339: time.rfc3339) == time)
        }
        #expect(UTCTime(rfc3339: "2026-11-23T15:52:00") == nil)
        #expect(UTCTime(rfc3339: "2026-13-01T00:00:00Z") == nil)
        #expect(UTCTime(rfc3339: "2026-11-23 15:52:00Z") == nil)
    }

    @Test func nowIsRecent() {
        #expect(UTCTime.now().secondsSince1970 > 1_700_000_000)
    }
}
