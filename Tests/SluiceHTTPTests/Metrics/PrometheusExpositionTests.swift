import Foundation
import SluiceHTTP
import SluiceTestSupport
import Testing

@Suite struct PrometheusExpositionTests {
    @Test func labelValuesAndHelpAreEscapedAndReadBack() throws {
        var out = PrometheusExposition()
        out.family("demo_total", .counter, help: "A \\ help\nwith a newline.")
        let tricky = "back\\slash \"quoted\"\nnew line ünïcode"
        out.sample("demo_total", labels: [("route", tricky), ("method", "GET")], 3)
        out.sample("demo_total", labels: [("route", ""), ("method", "GET")], 0)
        #expect(out.text.contains(#"route="back\\slash \"quoted\"\nnew line ünïcode""#))
        #expect(out.text.contains("# HELP demo_total A \\\\ help\\nwith a newline.\n"))
        let scrape = try PrometheusScrape(parsing: out.text)
        #expect(scrape.families["demo_total"]?.help == "A \\ help\nwith a newline.")
        #expect(scrape.value("demo_total", ["route": tricky, "method": "GET"]) == 3)
        #expect(scrape.value("demo_total", ["route": "", "method": "GET"]) == 0)
    }

    @Test func histogramsAreCumulativeWithInfEqualToCount() throws {
        let buckets = HistogramBuckets([0.001, 0.01, 0.1])
        var histogram = Histogram(buckets: buckets)
        for nanoseconds: UInt64 in [500_000, 1_000_000, 1_000_001, 50_000_000, 2_000_000_000] {
            histogram.record(nanoseconds: nanoseconds)
        }
        var out = PrometheusExposition()
        out.family("latency_seconds", .histogram, help: "Latency.")
        out.histogram("latency_seconds", labels: [("route", "a")], histogram)
        let scrape = try PrometheusScrape(parsing: out.text)
        // `le` is inclusive: exactly 1 ms falls in the 0.001 bucket.
        #expect(scrape.value("latency_seconds_bucket", ["route": "a", "le": "0.001"]) == 2)
        #expect(scrape.value("latency_seconds_bucket", ["route": "a", "le": "0.01"]) == 3)
        #expect(scrape.value("latency_seconds_bucket", ["route": "a", "le": "0.1"]) == 4)
        #expect(scrape.value("latency_seconds_bucket", ["route": "a", "le": "+Inf"]) == 5)
        #expect(scrape.value("latency_seconds_count", ["route": "a"]) == 5)
        let sum = try #require(scrape.value("latency_seconds_sum", ["route": "a"]))
        #expect(abs(sum - 2.052500001) < 1e-9)
    }

    @Test func histogramSetsKeepKeysApartAndMerge() {
        var set = HistogramSet(buckets: .latency)
        set.record(key: 3, nanoseconds: 2_000_000)
        set.record(key: 0, nanoseconds: 20_000_000_000)
        #expect(set.keyCount == 4)
        #expect(set.histogram(key: 1).count == 0)
        var merged = set.histogram(key: 3)
        merged.merge(set.histogram(key: 0))
        #expect(merged.count == 2)
        #expect(merged.counts.last == 1)
        #expect(merged.sumNanoseconds == 20_002_000_000)
    }

    @Test func valuesUsePrometheusFloatSyntax() {
        #expect(PrometheusExposition.format(.infinity) == "+Inf")
        #expect(PrometheusExposition.format(-.infinity) == "-Inf")
        #expect(PrometheusExposition.format(.nan) == "NaN")
        #expect(PrometheusExposition.format(3) == "3")
        #expect(PrometheusExposition.format(0.0025) == "0.0025")
        #expect(PrometheusScrape.parseValue(PrometheusExposition.format(1e-7)) == 1e-7)
    }

    @Test func theStrictParserRefusesMalformedExpositions() {
        let bad = [
            "x_total 1\n",                                                         // no HELP/TYPE
            "# HELP x_total h\n# TYPE x_total counter\nx_total{a=\"1\",} 1\n",     // trailing comma
            "# HELP x_total h\n# TYPE x_total counter\nx_total{a=\"\\t\"} 1\n",    // bad escape
            "# HELP x_total h\n# TYPE x_total counter\nx_total -1\n",              // negative counter
            "# HELP x_total h\n# TYPE x_total counter\nx_total 1",                 // no final newline
            "# HELP x h\n# TYPE x histogram\nx_bucket{le=\"1\"} 2\nx_bucket{le=\"+Inf\"} 1\nx_sum 1\nx_count 1\n",
            "# HELP x h\n# TYPE x histogram\nx_bucket{le=\"1\"} 1\nx_sum 1\nx_count 1\n",  // no +Inf
            "# HELP x h\n# TYPE x histogram\nx_bucket{le=\"+Inf\"} 2\nx_sum 1\nx_count 1\n",  // count mismatch
            "# HELP a h\n# TYPE a gauge\na 1\n# HELP b h\n# TYPE b gauge\nb 1\na 2\n",  // family reopened
        ]
        for text in bad {
            #expect(throws: PrometheusScrape.ParseError.self, "\(text)") { try PrometheusScrape(parsing: text) }
        }
    }
}
