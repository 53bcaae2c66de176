#!/usr/bin/env python3
"""The traffic-policy variant of proxy mode (`--policy`). Stdlib plus the openssl command line.

  policy.py --snapshot IN --dir DIR

Reads a Sluice snapshot written by routes.py and writes DIR/snapshot-policy.json: the same routes
with `auth: jwt`, an RS256 key (a fresh 2048-bit RSA key pair made with `openssl genpkey`), one
consumer on a tier whose limit no benchmark reaches (so every request is decided, none refused),
and DIR/token: an RS256 token for that consumer, valid for a day, signed with `openssl dgst`.
Every request of the run carries the same token, so the data plane verifies it once per worker
and serves the rest from its verified-token cache: the steady state of real clients.
"""

import argparse
import base64
import json
import os
import subprocess
import time


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--snapshot", required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    private = os.path.join(args.dir, "jwt-private.pem")
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", private],
                   check=True, capture_output=True)
    public = subprocess.run(["openssl", "pkey", "-in", private, "-pubout"], check=True, capture_output=True).stdout.decode()

    with open(args.snapshot) as file:
        snapshot = json.load(file)
    for route in snapshot["routes"]:
        route["auth"] = "jwt"
    snapshot["tiers"] = [{"name": "bench", "requests_per_second": 1000000, "burst": 1000000000}]
    snapshot["consumers"] = [{"id": "bench-user", "tier": "bench"}]
    snapshot["jwt_keys"] = [{"kid": "bench-rs256", "alg": "RS256", "public_key_pem": public,
                             "issuer": "https://bench.sluice", "audiences": ["bench"]}]
    with open(os.path.join(args.dir, "snapshot-policy.json"), "w") as file:
        json.dump(snapshot, file)

    header = b64url(json.dumps({"alg": "RS256", "kid": "bench-rs256", "typ": "JWT"}).encode())
    claims = {"iss": "https://bench.sluice", "aud": "bench", "sub": "bench-user", "exp": int(time.time()) + 86400}
    signing_input = header + "." + b64url(json.dumps(claims).encode())
    signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", private], input=signing_input.encode(),
                               check=True, capture_output=True).stdout
    with open(os.path.join(args.dir, "token"), "w") as file:
        file.write(signing_input + "." + b64url(signature))


if __name__ == "__main__":
    main()
