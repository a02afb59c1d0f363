"""What the router and the node answer before any route runs: a malformed
id in a path is an absent one, whatever else is wrong with the request; a
second server on a data directory in use says so, before it takes a port."""

import os
import subprocess
import unittest

from harness import binary, serve_for

LOCKED_TIMEOUT = 20  # seconds for the second comandad to give up


class RoutesTest(unittest.TestCase):
    def setUp(self):
        self.server = serve_for(self)

    def test_a_malformed_id_is_absent_before_if_match_or_the_body_are_read(self):
        for path, absent in (("/v1/orders/not-an-id/status", "no such order"),
                             ("/v1/drivers/zzz/location", "no such driver")):
            with self.subTest(path=path):
                status, _, body = self.server.post(path, b"{", headers={"If-Match": "abc"})
                self.assertEqual(status, 404, body)
                self.assertEqual(body["detail"], absent)
        status, _, body = self.server.get("/v1/orders/not-an-id")
        self.assertEqual((status, body["detail"]), (404, "no such order"))

    def test_a_second_server_on_a_directory_in_use_says_so(self):
        # The same port too: the directory's lock is what it must report.
        out = subprocess.run(
            [binary("COMANDAD"), "--data", self.server.data_dir, "--dev",
             "--listen", f"127.0.0.1:{self.server.port}"],
            capture_output=True, text=True, timeout=LOCKED_TIMEOUT, stdin=subprocess.DEVNULL,
            env={k: v for k, v in os.environ.items() if not k.startswith("COMANDA_")})
        self.assertEqual(out.returncode, 1, out.stdout)
        self.assertIn("in use by another process", out.stderr)


if __name__ == "__main__":
    unittest.main()
