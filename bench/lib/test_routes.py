"""Tests of routes.py (the --routes N sets): python3 -m unittest discover -s bench/lib"""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import routes  # noqa: E402


class RoutesTests(unittest.TestCase):
    def test_one_route_is_the_measured_one(self):
        self.assertEqual(routes.prefixes(1), ["/r/0000"])
        self.assertEqual(routes.measured_path(1), "/r/0000")

    def test_measured_route_is_in_the_middle_not_first(self):
        self.assertEqual(routes.measured_path(1000), "/r/0500")
        self.assertEqual(routes.prefixes(1000).index("/r/0500"), 500)

    def test_prefixes_are_distinct_and_none_is_a_prefix_of_the_measured_path(self):
        prefixes = routes.prefixes(10000)
        self.assertEqual(len(set(prefixes)), 10000)
        path = routes.measured_path(10000)
        self.assertEqual([p for p in prefixes if path.startswith(p)], [path])

    def test_every_proxy_gets_n_routes_to_the_backend(self):
        snapshot = routes.sluice_snapshot(7, 8080)
        json.dumps(snapshot)
        self.assertEqual(len(snapshot["routes"]), 7)
        self.assertEqual({route["upstream"] for route in snapshot["routes"]}, {"backend"})
        self.assertEqual(len({route["name"] for route in snapshot["routes"]}), 7)
        self.assertEqual(snapshot["upstreams"][0]["targets"][0]["url"], "http://127.0.0.1:8080")
        self.assertEqual(routes.nginx_locations(7).count("location /r/"), 7)
        self.assertEqual(routes.haproxy_rules(7).count("use_backend backend if"), 7)


if __name__ == "__main__":
    unittest.main()
