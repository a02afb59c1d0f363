"""`comanda seed` (docs/operations.md): a realistic city written through the
engine into an empty directory. The log verifies and a server starts on
it. The same options give the same bytes. The mix is what the docs say:
every fulfillment and every ending, at least 5 % rejected, cancelled or
failed, lunch and dinner peaks, and moving drivers pinging every 3 to 5 s."""

import collections
import datetime
import json
import os
import subprocess
import tempfile
import unittest

from harness import Server, binary, cli

CITY = ["--restaurants", "5", "--drivers", "12", "--orders", "400", "--days", "2"]


def comanda(*args):
    return subprocess.run([binary("COMANDA"), *args], capture_output=True, text=True, timeout=300)


class SeedTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="comanda-seed-")
        cls.data = os.path.join(cls.tmp.name, "city")
        done = comanda("seed", "--data", cls.data, *CITY, "--seed", "7")
        assert done.returncode == 0, done.stderr
        cls.summary = done.stdout
        exported = comanda("export", "--data", cls.data)
        assert exported.returncode == 0, exported.stderr
        cls.export = exported.stdout
        cls.events = [json.loads(line) for line in exported.stdout.splitlines()]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def of_type(self, kind):
        return [e for e in self.events if e["type"] == kind]

    def test_the_log_verifies_and_a_server_serves_it(self):
        verified = cli("verify", "--data", self.data)
        self.assertEqual(verified.returncode, 0, verified.stderr)
        self.assertIn(f"seeded {len(self.events)} events", self.summary)
        copy = os.path.join(self.tmp.name, "copy")
        self.assertEqual(comanda("backup", copy, "--data", self.data).returncode, 0)
        self.assertEqual(comanda("restore", copy, "--data", os.path.join(self.tmp.name, "served2")).returncode, 0)
        with Server(os.path.join(self.tmp.name, "served2")) as server:
            self.assertEqual(server.position(), len(self.events))
            restaurant = self.of_type("restaurant_registered")[0]["stream"]
            status, _, board = server.get(f"/v1/orders/active?restaurant_id={restaurant}")
            self.assertEqual(status, 200, board)

    def test_the_same_options_give_the_same_bytes(self):
        again = os.path.join(self.tmp.name, "again")
        self.assertEqual(comanda("seed", "--data", again, *CITY, "--seed", "7").returncode, 0)
        self.assertEqual(comanda("export", "--data", again).stdout, self.export)
        other = os.path.join(self.tmp.name, "other")
        self.assertEqual(comanda("seed", "--data", other, *CITY, "--seed", "8").returncode, 0)
        self.assertNotEqual(comanda("export", "--data", other).stdout, self.export)
        refused = comanda("seed", "--data", other, *CITY)
        self.assertEqual(refused.returncode, 1)
        self.assertIn("is not empty", refused.stderr)

    def test_the_mix_is_realistic(self):
        placed = self.of_type("order_placed")
        self.assertEqual(len(placed), 400)
        # Protobuf's JSON mapping leaves out enum defaults: the first, delivery.
        kinds = collections.Counter(e["event"]["order_placed"]["fulfillment"].get("type", "DELIVERY")
                                    for e in placed)
        self.assertEqual(len(kinds), 5, kinds)
        endings = collections.Counter(e["event"]["order_status_changed"]["to"] for e in
                                      self.of_type("order_status_changed")
                                      if e["event"]["order_status_changed"]["to"] in (
                                          "ORDER_STATUS_DELIVERED", "ORDER_STATUS_PICKED_UP_BY_CUSTOMER",
                                          "ORDER_STATUS_COMPLETED", "ORDER_STATUS_REJECTED",
                                          "ORDER_STATUS_CANCELLED", "ORDER_STATUS_DELIVERY_FAILED",
                                          "ORDER_STATUS_NOT_PICKED_UP"))
        self.assertEqual(sum(endings.values()), 400, "every order ends")
        for ending in ("DELIVERED", "PICKED_UP_BY_CUSTOMER", "COMPLETED", "REJECTED", "CANCELLED",
                       "DELIVERY_FAILED"):
            self.assertGreater(endings["ORDER_STATUS_" + ending], 0, endings)
        unhappy = sum(n for s, n in endings.items() if s.endswith(("REJECTED", "CANCELLED", "FAILED", "NOT_PICKED_UP")))
        self.assertGreaterEqual(unhappy / 400, 0.05)

        # Lunch (12-14) and dinner (19-21), Lima time, hold most orders.
        lima = datetime.timezone(datetime.timedelta(hours=-5))
        hours = [datetime.datetime.fromtimestamp(int(e["event"]["recorded_at_us"]) / 1e6, lima).hour
                 for e in placed]
        peaks = sum(1 for h in hours if 12 <= h < 14 or 19 <= h < 21)
        self.assertGreater(peaks / len(hours), 0.5)

        # A moving driver pings every 3 to 5 s (a longer gap is a pause between trips).
        pings = collections.defaultdict(list)
        for e in self.of_type("driver_location_reported"):
            pings[e["stream"]].append(int(e["event"]["recorded_at_us"]))
        gaps = [b - a for times in pings.values() for a, b in zip(times, times[1:]) if b - a < 30_000_000]
        self.assertGreater(len(gaps), 1000)
        self.assertTrue(all(3_000_000 <= g <= 5_000_000 for g in gaps), sorted(set(gaps))[:5])


if __name__ == "__main__":
    unittest.main()
