"""docs/api.md's authentication example ("### Example") runs as written
against the real server and prints what the docs say it prints."""

import os
import re
import subprocess
import unittest

from harness import serve_for

DOCS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "api.md")
SCRIPT_TIMEOUT = 60  # seconds for the whole example (a few curl calls)


def example_script():
    """The ```sh block under the "### Example" heading, and the prose after it."""
    with open(DOCS, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^### Example[ \t]*\n(.*?)(?=^#{2,6} |\Z)", text, re.M | re.S)
    if not m:
        raise AssertionError(f"no '### Example' section in {DOCS}")
    section = m.group(1)
    block = re.search(r"^```sh[ \t]*\n(.*?)^```[ \t]*$", section, re.M | re.S)
    if not block:
        raise AssertionError("no ```sh block under '### Example'")
    return block.group(1), section[block.end():]


class DocsExampleTest(unittest.TestCase):
    def setUp(self):
        self.server = serve_for(self)

    def run_example(self, script, **env):
        # No proxy from the environment for these loopback requests.
        base_env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        base_env.update(env)
        return subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=SCRIPT_TIMEOUT,
                              stdin=subprocess.DEVNULL, env=base_env)

    def test_the_example_prints_201_then_401(self):
        script, after = example_script()
        # The docs' own claim about the output, so that docs and test agree.
        self.assertRegex(after, r"prints `201` and then `401`")
        srv = self.server
        out = self.run_example(script, BASE=srv.base_url, ADMIN=srv.admin_token,
                               OWNER=srv.token("owner", "u-owner-1"))
        self.assertEqual(out.stdout, "201\n401\n", f"stderr: {out.stderr}")
        self.assertEqual(out.returncode, 0, out.stderr)

        # It did what it says: a restaurant owned by u-owner-1, with one
        # order for u-cust-1 placed by that owner.
        status, _, listing = srv.get("/v1/orders")
        self.assertEqual(status, 200, listing)
        self.assertEqual(len(listing["orders"]), 1, listing)
        order = listing["orders"][0]
        self.assertEqual(order["customer"]["id"], "u-cust-1")
        self.assertEqual(order["items"][0]["name"], "Lomo saltado")
        status, _, mine = srv.get("/v1/orders", token=srv.token("owner", "u-owner-1"))
        self.assertEqual([o["id"] for o in mine["orders"]], [order["id"]])

    def test_the_example_fails_with_a_foreign_owner(self):
        # The example can fail: an owner who does not own the restaurant gets 404.
        script, _ = example_script()
        srv = self.server
        out = self.run_example(script, BASE=srv.base_url, ADMIN=srv.admin_token,
                               OWNER=srv.token("owner", "u-owner-2"))
        self.assertEqual(out.stdout, "404\n401\n", f"stderr: {out.stderr}")


if __name__ == "__main__":
    unittest.main()
