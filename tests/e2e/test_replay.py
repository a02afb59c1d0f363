"""`comanda replay` (docs/operations.md): the read models rebuilt from the
log as of a position or a time equal what the live server answered at that
position: each restaurant, its kitchen board and its day's counts, and
every driver, in the API's own shapes. Run beside the live server, which
has gone on writing since."""

import datetime
import json
import subprocess
import unittest

from harness import binary
from test_restart_equality import RestartWorkload


def replay(*args):
    done = subprocess.run([binary("COMANDA"), "replay", *args], capture_output=True, text=True, timeout=120)
    return done


class ReplayTest(RestartWorkload, unittest.TestCase):
    def capture(self):
        """The live answers now, and the position they reflect."""
        position = self.server.position()
        restaurants = []
        for rid in self.restaurants:
            _, _, restaurant = self.server.get(f"/v1/restaurants/{rid}")
            _, _, board = self.server.get(f"/v1/orders/active?restaurant_id={rid}")
            _, _, today = self.server.get(f"/v1/restaurants/{rid}/stats")
            restaurants.append({"restaurant": restaurant, "active_orders": board["orders"], "today": today})
        drivers = [self.server.get(f"/v1/drivers/{driver}")[2] for driver, _ in self.drivers]
        self.assertEqual(self.server.position(), position, "nothing written while capturing")
        return position, {"restaurants": restaurants, "drivers": drivers}

    def without_clock(self, shown):
        for r in shown["restaurants"]:
            for o in r["active_orders"]:
                o.pop("waiting_s")  # from the moment's clock, not the state
        return shown

    def test_replay_until_a_position_or_a_time_is_what_the_server_answered_then(self):
        for _ in range(120):
            self.act()
        position, live = self.capture()
        self.assertGreater(sum(len(r["active_orders"]) for r in live["restaurants"]), 0)
        for _ in range(120):
            self.act()
        self.assertGreater(self.server.position(), position, "the log went on")

        done = replay("--data", self.server.data_dir, "--until", str(position), "--json")
        self.assertEqual(done.returncode, 0, done.stderr)
        shown = json.loads(done.stdout)
        self.assertEqual(shown["position"], position)
        self.assertEqual(self.without_clock({k: shown[k] for k in ("restaurants", "drivers")}),
                         self.without_clock(live))

        # The same moment by its time: the event's recorded_at to the microsecond.
        exported = subprocess.run([binary("COMANDA"), "export", "--data", self.server.data_dir, "--from",
                                   str(position), "--until", str(position)], capture_output=True, text=True)
        at_us = int(json.loads(exported.stdout.splitlines()[0])["event"]["recorded_at_us"])
        when = datetime.datetime.fromtimestamp(at_us / 1e6, datetime.timezone.utc)
        by_time = replay("--data", self.server.data_dir, "--until", when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                         "--json")
        self.assertEqual(by_time.returncode, 0, by_time.stderr)
        self.assertGreaterEqual(json.loads(by_time.stdout)["position"], position)

        # One restaurant, as text.
        rid = self.restaurants[0]
        text = replay("--data", self.server.data_dir, "--until", str(position), "--restaurant", rid)
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertIn(f"as of position {position}", text.stdout)
        self.assertIn(rid, text.stdout)
        self.assertNotIn(self.restaurants[1], text.stdout)
        for order in live["restaurants"][0]["active_orders"]:
            self.assertIn(order["reference"], text.stdout)

    def test_verify_compares_a_stopped_servers_snapshot_with_a_rebuild(self):
        for _ in range(80):
            self.act()
        self.server.stop()  # a clean stop snapshots the read models
        done = subprocess.run([binary("COMANDA"), "verify", "--data", self.server.data_dir],
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("answers as a fresh rebuild", done.stdout)

    def test_refusals(self):
        self.assertEqual(replay("--data", self.server.data_dir, "--until", "soon").returncode, 2)
        before = replay("--data", self.server.data_dir, "--until", "2000-01-01T00:00:00Z")
        self.assertEqual(before.returncode, 1)
        self.assertIn("nothing to replay", before.stderr)
        unknown = replay("--data", self.server.data_dir, "--restaurant", "0190c2a4-0000-7000-8000-000000000000")
        self.assertEqual(unknown.returncode, 1)
        self.assertIn("no restaurant", unknown.stderr)
        missing = replay("--data", "/nonexistent/comanda")
        self.assertEqual(missing.returncode, 1)


if __name__ == "__main__":
    unittest.main()
