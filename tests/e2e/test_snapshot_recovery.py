"""A restart after kill -9 starts from the background snapshots and replays
only the log after them, and the state it decides on is the one a replay of
the whole log gives. A seeded random workload runs with a snapshot every 50
events and finished orders leaving memory at once (--hot-window 0); after a
kill -9, the data directory is copied without views/ (so the copy replays
the whole log), both are started, every answer is compared, and then the
same commands are sent to both: reference numbers, versions, refusals,
idempotent replays and balances must agree."""

import os
import shutil
import time
import unittest

from harness import Server, order_body, put_menu
from test_restart_equality import RestartWorkload


class SnapshotRecoveryTest(RestartWorkload, unittest.TestCase):
    EXTRA_ARGS = ["--snapshot-every", "50", "--hot-window", "0"]

    def wait_for_snapshot_past(self, position):
        deadline = time.monotonic() + 30
        while self.server.metric("comanda_snapshot_position") <= position:
            self.assertLess(time.monotonic(), deadline, "no background snapshot was written")
            time.sleep(0.05)

    def paid_order(self, server, key):
        """An order paid from a customer's credit, placed by the customer with an Idempotency-Key."""
        body = order_body(self.restaurants[0], fulfillment={"type": "pickup"}, payment={"method": "credit"}, tip=0)
        body["customer"] = {"id": "u-cust-credit", "name": "Rosa"}
        return server.request("POST", "/v1/orders", body, headers={"Idempotency-Key": key},
                              token=server.token("customer", "u-cust-credit"))

    def same_commands(self, server):
        """The same commands on `server`; what a client would compare of each answer."""
        out = []

        def keep(what, answer):
            status, _, body = answer
            body = body if isinstance(body, dict) else {}
            out.append((what, status, body.get("reference"), body.get("status"), body.get("version"),
                        body.get("balance"), body.get("type")))
            return body

        first = keep("idempotent replay", self.paid_order(server, "before-the-crash"))
        out.append(("the first order's id", first.get("id") == self.first_paid))
        account = server.get(f"/v1/customers/{self.account}", token=self.owners[0])
        out.append(("credit", account[0], account[2].get("credit")))
        keep("another paid order", self.paid_order(server, "after-the-crash"))
        for i, owner in enumerate(self.owners):
            keep(f"place {i}", server.post("/v1/orders", order_body(self.restaurants[i]), token=owner))
        for n, (order, i, kind) in enumerate(self.orders):
            owner = self.owners[i]
            keep(f"accept {n}", server.post(f"/v1/orders/{order}/status", {"status": "accepted"}, token=owner))
            keep(f"archive {n}", server.post(f"/v1/orders/{order}/archive", token=owner))
            if n % 3 == 0:
                driver, token = self.drivers[n % len(self.drivers)]
                keep(f"take {n}", server.post(f"/v1/orders/{order}/accept-delivery", token=token))
        return out

    def test_a_start_after_kill_9_replays_only_the_tail_and_decides_as_a_whole_replay_would(self):
        put_menu(self.server, self.restaurants[0])  # credit orders are priced from it
        status, _, account = self.server.post(
            "/v1/customers", {"user_id": "u-cust-credit", "name": "Rosa",
                              "restaurant_ids": [self.restaurants[0]]}, token=self.owners[0])
        self.assertEqual(status, 201, account)
        self.account = account["id"]
        status, _, credited = self.server.post(f"/v1/customers/{self.account}/credit",
                                               {"amount": 100000, "currency": "PEN"}, token=self.owners[0])
        self.assertEqual(status, 200, credited)
        status, _, paid = self.paid_order(self.server, "before-the-crash")
        self.assertEqual(status, 201, paid)
        self.first_paid = paid["id"]
        for _ in range(200):
            self.act()
        self.wait_for_snapshot_past(0)
        snapshot = self.server.metric("comanda_snapshot_position")
        for _ in range(20):  # a tail after the snapshot
            self.act()
        self.assertGreater(self.server.position(), snapshot)
        before = self.read_everything()

        self.server.proc.kill()
        self.server.proc.wait(timeout=10)
        self.server.stop()
        replayed_dir = os.path.join(self.server.tmp_dir, "replayed")
        shutil.copytree(self.server.data_dir, replayed_dir)
        shutil.rmtree(os.path.join(replayed_dir, "views"))

        self.server.start()
        err = self.server.stderr()
        self.assertIn("the sequencer's state from the snapshot at position", err)
        self.assertIn("read models from the snapshot at position", err)
        self.assert_same(before, self.read_everything(), "after kill -9, from the snapshots")

        replayed = Server(replayed_dir, extra_args=self.EXTRA_ARGS, secret=self.server.secret)
        replayed.start()
        self.addCleanup(replayed.stop)
        self.assertIn("the sequencer's state replayed from the log", replayed.stderr())

        from_snapshot, from_log = self.same_commands(self.server), self.same_commands(replayed)
        self.assertEqual(len(from_snapshot), len(from_log))
        for a, b in zip(from_snapshot, from_log):
            self.assertEqual(a, b)
        self.assertIn(("the first order's id", True), from_snapshot)
        self.assertTrue(any(s == 200 for _, s, *_ in from_snapshot[3:]), "some commands were taken")


if __name__ == "__main__":
    unittest.main()
