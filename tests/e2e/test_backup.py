"""`comanda backup` and `comanda restore` (docs/operations.md): a backup of
a stopped server's log made by the tool itself, and one of a live server's
made by the server (POST /v1/admin/backup into --backup-dir) while writers
keep placing orders; each restored into an empty directory, verified, and
holding every event acknowledged before the backup began. And the
refusals: who may ask, bad names, a name taken, no --backup-dir, a
directory in use or not empty."""

import json
import os
import subprocess
import tempfile
import threading
import time
import unittest

from harness import TempServer, binary, cli, order_body, put_menu, register_restaurant, serve_for


def comanda(*args, env=None):
    return subprocess.run([binary("COMANDA"), *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


def exported(data):
    done = comanda("export", "--data", data)
    assert done.returncode == 0, done.stderr
    return done.stdout


class BackupTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="comanda-backup-")
        self.addCleanup(self.tmp.cleanup)
        self.backups = self.path("backups")
        self.server = serve_for(self, extra_args=["--backup-dir", self.backups])
        self.rid = register_restaurant(self.server)
        put_menu(self.server, self.rid)

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def place(self):
        status, headers, order = self.server.post("/v1/orders", order_body(self.rid))
        return status, order.get("id"), int(headers.get("Comanda-Position", 0))

    def test_a_stopped_servers_log_backed_up_by_the_tool_and_restored(self):
        for _ in range(20):
            self.assertEqual(self.place()[0], 201)
        self.server.stop()
        done = comanda("backup", self.path("b1"), "--data", self.server.data_dir)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("hash chain intact", done.stdout)
        done = comanda("restore", self.path("b1"), "--data", self.path("r1"))
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(cli("verify", "--data", self.path("r1")).returncode, 0)
        self.assertEqual(exported(self.path("r1")), exported(self.server.data_dir))
        self.assertEqual(comanda("backup", self.path("b1"), "--data", self.server.data_dir).returncode, 1,
                         "the backup's directory exists")
        refused = comanda("restore", self.path("b1"), "--data", self.path("r1"))
        self.assertEqual(refused.returncode, 1)
        self.assertIn("is not empty", refused.stderr)
        self.assertIn("not a backup", comanda("restore", self.tmp.name, "--data", self.path("r2")).stderr)
        self.assertFalse(os.path.exists(self.path("r2")))
        self.assertIn("no log", comanda("backup", self.path("b2"), "--data", self.path("nothing")).stderr)

    def test_a_live_server_backs_up_under_write_load(self):
        acked, stop, failures = [], threading.Event(), []

        def write():
            while not stop.is_set():
                status, oid, position = self.place()
                if status != 201:
                    return failures.append(status)
                acked.append((time.monotonic(), oid, position))

        writers = [threading.Thread(target=write) for _ in range(4)]
        for w in writers:
            w.start()
        try:
            end = time.monotonic() + 30
            while len(acked) < 200 and time.monotonic() < end:
                time.sleep(0.01)
            started = time.monotonic()
            before = [(oid, position) for at, oid, position in list(acked) if at < started]
            # A server holds the directory: the tool asks it, with an admin's token.
            done = comanda("backup", self.path("under-load"), "--data", self.server.data_dir,
                           "--server", self.server.base_url, env={"COMANDA_JWT_SECRET": self.server.secret})
        finally:
            stop.set()
            for w in writers:
                w.join(60)
        self.assertEqual(failures, [], "the writers' requests kept completing")
        self.assertEqual(done.returncode, 0, done.stderr)
        written = os.path.join(self.backups, "under-load")
        self.assertIn(f"backup written to {written}", done.stdout)
        self.assertGreater(len(acked), len(before), "orders were placed while it was made")

        done = comanda("restore", written, "--data", self.path("restored"))
        self.assertEqual(done.returncode, 0, done.stderr)
        verified = cli("verify", "--data", self.path("restored"))
        self.assertEqual(verified.returncode, 0, verified.stderr)
        lines = [json.loads(line) for line in exported(self.path("restored")).splitlines()]
        self.assertGreaterEqual(lines[-1]["position"], max(p for _, p in before))
        streams = {e["stream"] for e in lines}
        self.assertTrue(all(oid in streams for oid, _ in before),
                        "every order acknowledged before the backup began is in it")

    def test_who_may_ask_and_what_is_refused(self):
        owner = self.server.token("owner", "u-owner-1")
        self.assertEqual(self.server.post("/v1/admin/backup", {}, token=owner)[0], 403)
        status, _, problem = self.server.post("/v1/admin/backup", {"name": "../escape"})
        self.assertEqual((status, problem.get("field")), (400, "name"), problem)
        status, _, made = self.server.post("/v1/admin/backup", {"name": "nightly"})
        self.assertEqual(status, 201, made)
        self.assertEqual(made["path"], os.path.join(self.backups, "nightly"))
        self.assertEqual(made["position"], self.server.position())
        self.assertGreater(made["bytes"], 0)
        status, _, problem = self.server.post("/v1/admin/backup", {"name": "nightly"})
        self.assertEqual(status, 409, problem)
        status, _, made = self.server.post("/v1/admin/backup")  # a name of its own
        self.assertEqual(status, 201, made)
        self.assertTrue(made["name"].startswith("backup-"), made)
        # The tool beside a live server, without --server: told what to do.
        busy = comanda("backup", self.path("b3"), "--data", self.server.data_dir)
        self.assertEqual(busy.returncode, 1)
        self.assertIn("--server", busy.stderr)
        with TempServer() as plain:
            status, _, problem = plain.post("/v1/admin/backup", {"name": "x"})
            self.assertEqual(status, 409, problem)
            self.assertIn("--backup-dir", problem["detail"])


if __name__ == "__main__":
    unittest.main()
