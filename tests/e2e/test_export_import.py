"""`comanda export` and `comanda import` (docs/operations.md): a log of a
real workload (orders through their steps, driver pings) exported as JSON
Lines, imported into an empty directory, verified, and exported again to
the same bytes; part of a log by position or by time; and every refusal
leaving nothing behind: a non-empty directory, a gap, a line that is not
JSON, an edited event, a link that does not match, an export cut short."""

import base64
import datetime
import json
import os
import subprocess
import tempfile
import unittest

from harness import binary, cli
from test_restart_equality import RestartWorkload


def comanda(*args, stdin=None):
    return subprocess.run([binary("COMANDA"), *args], input=stdin, capture_output=True, timeout=120)


class ExportImportTest(RestartWorkload, unittest.TestCase):
    def setUp(self):
        super().setUp()
        for _ in range(150):
            self.act()
        self.tmp = tempfile.TemporaryDirectory(prefix="comanda-export-")
        self.addCleanup(self.tmp.cleanup)

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def export(self, data, *args):
        done = comanda("export", "--data", data, *args)
        self.assertEqual(done.returncode, 0, done.stderr)
        return done.stdout

    def import_(self, data, lines):
        return comanda("import", "--data", data, stdin=lines)

    def test_an_export_imported_is_the_same_log_byte_for_byte(self):
        # Beside the live server: the log is opened read-only.
        live = self.export(self.server.data_dir)
        self.server.stop()
        first = self.export(self.server.data_dir)
        self.assertEqual(live, first, "nothing was written after the workload")
        lines = [json.loads(line) for line in first.splitlines()]
        self.assertEqual([e["position"] for e in lines], list(range(1, len(lines) + 1)))
        self.assertIn("order_status_changed", {e["type"] for e in lines})
        placed = next(e for e in lines if e["type"] == "order_placed")
        self.assertIn("order_placed", placed["event"], "the envelope in Protobuf's JSON mapping")
        self.assertIn("link", lines[-1], "the last line ends a batch")

        done = self.import_(self.path("copy"), first)
        self.assertEqual(done.returncode, 0, done.stderr)
        verified = cli("verify", "--data", self.path("copy"))
        self.assertEqual(verified.returncode, 0, verified.stdout + verified.stderr)
        self.assertEqual(self.export(self.path("copy")), first, "exported again: the same bytes")
        # The order's history reads the same from the copy.
        order = self.orders[0][0]
        self.assertEqual(cli("history", order, "--data", self.path("copy")).stdout,
                         cli("history", order, "--data", self.server.data_dir).stdout)

    def test_part_of_a_log_by_position_or_time(self):
        self.server.stop()
        whole = [json.loads(line) for line in self.export(self.server.data_dir).splitlines()]
        middle = whole[len(whole) // 2]
        by_position = [json.loads(line) for line in
                       self.export(self.server.data_dir, "--until", str(middle["position"])).splitlines()]
        self.assertGreaterEqual(by_position[-1]["position"], middle["position"])
        self.assertIn("link", by_position[-1], "the batch it is in, whole")
        self.assertEqual(by_position, whole[:len(by_position)])
        # By time: every event recorded at or before it (and the rest of the
        # last one's batch), none after.
        at_us = int(middle["event"]["recorded_at_us"])
        when = datetime.datetime.fromtimestamp(at_us / 1e6, datetime.timezone.utc)
        by_time = self.export(self.server.data_dir, "--until", when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
        last = json.loads(by_time.splitlines()[-1])
        self.assertGreaterEqual(last["position"], middle["position"])
        if last["position"] < len(whole):
            self.assertGreater(int(whole[last["position"]]["event"]["recorded_at_us"]), at_us)
        done = self.import_(self.path("part"), by_time)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(cli("verify", "--data", self.path("part")).returncode, 0)
        tail = self.export(self.server.data_dir, "--from", "5")
        self.assertEqual(json.loads(tail.splitlines()[0])["position"], 5)
        refused = self.import_(self.path("tail"), tail)
        self.assertEqual(refused.returncode, 1)
        self.assertIn(b"line 1: position 5 where 1 was expected", refused.stderr)
        self.assertEqual(comanda("export", "--data", self.server.data_dir, "--until", "soon").returncode, 2)

    def test_every_refusal_leaves_nothing_behind(self):
        self.server.stop()
        text = self.export(self.server.data_dir)
        lines = text.splitlines(keepends=True)

        def edited(index, change):
            event = json.loads(lines[index])
            change(event)
            return b"".join(lines[:index]) + (json.dumps(event) + "\n").encode() + b"".join(lines[index + 1:])

        def flip_a_byte(event):
            stored = bytearray(base64.b64decode(event["stored"]))
            stored[-1] ^= 0x01
            event["stored"] = base64.b64encode(bytes(stored)).decode()

        def other_link(event):
            event["link"] = "00" * 32

        ends = [i for i, line in enumerate(lines) if b'"link"' in line]
        cases = [
            ("a gap", b"".join(lines[:10] + lines[11:]), b"line 11: position 12 where 11 was expected"),
            ("not JSON", b"".join(lines[:3]) + b"{oops\n" + b"".join(lines[3:]), b"line 4: not a JSON object"),
            ("a flipped byte", edited(7, flip_a_byte), b"line 8: the stored event fails its checksum"),
            ("another link", edited(ends[3], other_link), f"line {ends[3] + 1}: the batch's hash-chain link".encode()),
            ("cut short", edited(len(lines) - 1, lambda event: event.pop("link")), b"ends inside a batch"),
        ]
        for what, given, message in cases:
            with self.subTest(what):
                done = self.import_(self.path("bad"), given)
                self.assertEqual(done.returncode, 1, done.stderr)
                self.assertIn(message, done.stderr)
                self.assertFalse(os.path.exists(self.path("bad")), "nothing half-imported")
        # Into a directory that holds something: refused, untouched.
        os.makedirs(self.path("busy"))
        with open(self.path("busy/keep.txt"), "w") as f:
            f.write("mine")
        done = self.import_(self.path("busy"), text)
        self.assertEqual(done.returncode, 1)
        self.assertIn(b"is not empty", done.stderr)
        self.assertEqual(os.listdir(self.path("busy")), ["keep.txt"])


if __name__ == "__main__":
    unittest.main()
