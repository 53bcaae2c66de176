#!/usr/bin/env python3
"""The route sets of proxy mode (`--routes N`), written for each proxy. Stdlib only.

  routes.py path --routes N                      the path wrk requests: /r/MMMM, M = N // 2
  routes.py sluice --routes N --bport P          a Sluice snapshot (JSON) with N routes
  routes.py nginx --routes N                     N nginx `location` blocks (for @ROUTES@)
  routes.py haproxy --routes N                   N HAProxy `use_backend` rules (for @ROUTES@)

Every proxy gets the same N routes, each a distinct path prefix /r/0000 … /r/{N-1}, all to the
one backend, in that order. The measured route is the one in the middle (/r/{N//2}), so a proxy
that tries routes one by one (HAProxy's rules) walks half of them, and one with an index
(Sluice's trie, nginx's location tree) should not care how many there are. With N = 1 the only
route is /r/0000. No catch-all: a path outside the set is not routed (404/503).
"""

import argparse
import json


def prefixes(count):
    width = max(4, len(str(count - 1)))
    return [f"/r/{index:0{width}d}" for index in range(count)]


def measured_path(count):
    return prefixes(count)[count // 2]


def sluice_snapshot(count, backend_port):
    routes = [{"name": "r" + prefix.rsplit("/", 1)[1], "path_prefix": prefix, "upstream": "backend"}
              for prefix in prefixes(count)]
    return {
        "format": 1,
        "version": 1,
        "upstreams": [{"name": "backend", "targets": [{"url": f"http://127.0.0.1:{backend_port}"}]}],
        "routes": routes,
    }


def nginx_locations(count):
    return "".join(f"        location {prefix} {{ proxy_pass http://backend; }}\n"
                   for prefix in prefixes(count))


def haproxy_rules(count):
    return "".join(f"    use_backend backend if {{ path_beg {prefix} }}\n" for prefix in prefixes(count))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["path", "sluice", "nginx", "haproxy"])
    parser.add_argument("--routes", type=int, required=True)
    parser.add_argument("--bport", type=int)
    args = parser.parse_args()
    if args.routes < 1:
        parser.error("--routes must be at least 1")
    if args.what == "path":
        print(measured_path(args.routes))
    elif args.what == "sluice":
        if args.bport is None:
            parser.error("sluice needs --bport")
        print(json.dumps(sluice_snapshot(args.routes, args.bport), separators=(",", ":")))
    elif args.what == "nginx":
        print(nginx_locations(args.routes), end="")
    else:
        print(haproxy_rules(args.routes), end="")


if __name__ == "__main__":
    main()
