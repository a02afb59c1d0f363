"""Whatever a client could read is the same after a restart, and with
finished orders out of memory: a seeded random
workload over HTTP (three restaurants, drivers pinging and taking
deliveries, orders stepped, edited, archived, fulfilled and deleted), then
every list (each owner's, with filters, page by page), every order, every
kitchen board, every day's numbers, every driver's panel and the nearest
drivers read before, after a kill -9 (no snapshot: the read models rebuilt
from the log), and after a clean stop (from the snapshot)."""

import random
import unittest

import time

from harness import DEGREES_PER_METRE, LAT, LNG, order_body, register_restaurant, serve_for


class RestartWorkload:
    """The workload and the reading, for a unittest.TestCase (mixed in first)."""
    EXTRA_ARGS = []

    def setUp(self):
        self.server = serve_for(self, extra_args=self.EXTRA_ARGS)
        self.rng = random.Random(20261130)
        self.owners = [self.server.token("owner", f"u-owner-{i}") for i in range(3)]
        self.restaurants = [register_restaurant(self.server, owners=[f"u-owner-{i}"],
                                                location={"lat": LAT + i * 0.001, "lng": LNG})
                            for i in range(3)]
        self.drivers = []
        for n in range(4):
            token = self.server.token("driver", f"u-driver-{n}")
            status, _, body = self.server.post("/v1/drivers", {"name": f"Driver {n}"}, token=token)
            self.assertEqual(status, 201, body)
            self.drivers.append((body["id"], token))
            self.ping(n)
            status, _, _ = self.server.request("PUT", f"/v1/drivers/{body['id']}/availability",
                                               {"availability": "available"}, token=token)
            self.assertEqual(status, 200)
        self.orders = []

    def ping(self, n):
        driver, token = self.drivers[n]
        north = self.rng.uniform(0, 800) * DEGREES_PER_METRE
        status, _, body = self.server.post(f"/v1/drivers/{driver}/location",
                                           {"lat": round(LAT + north, 7), "lng": LNG}, token=token)
        self.assertEqual(status, 200, body)

    def place(self):
        i = self.rng.randrange(3)
        kind = self.rng.choice(["delivery", "delivery", "pickup", "eat_in"])
        body = order_body(self.restaurants[i], payment=self.rng.choice(
            [{"method": "cash", "cash_tendered": 5000}, {"method": "card"}]))
        body["fulfillment"] = {"type": kind, "address": "Calle 1" if kind == "delivery" else "",
                               "location": {"lat": LAT + 0.01, "lng": LNG} if kind == "delivery" else None}
        body["customer"]["id"] = f"u-cust-{self.rng.randrange(5)}"
        status, _, order = self.server.post("/v1/orders", body, token=self.owners[i])
        self.assertEqual(status, 201, order)
        self.orders.append((order["id"], i, kind))

    def act(self):
        """One random thing a kitchen, a driver or an owner does; refusals are fine."""
        if not self.orders or self.rng.random() < 0.3:
            return self.place()
        order, i, kind = self.rng.choice(self.orders)
        owner = self.owners[i]
        roll = self.rng.random()
        if roll < 0.5:
            steps = {"delivery": ["accepted", "ready", "awaiting_driver"],
                     "pickup": ["accepted", "ready", "picked_up_by_customer"],
                     "eat_in": ["accepted", "preparing", "completed"]}[kind]
            self.server.post(f"/v1/orders/{order}/status",
                             {"status": self.rng.choice(steps + ["cancelled"])}, token=owner)
        elif roll < 0.65:
            n = self.rng.randrange(len(self.drivers))
            driver, token = self.drivers[n]
            got, _, _ = self.server.post(f"/v1/orders/{order}/accept-delivery", token=token)
            if got == 200:
                for step in ("picked_up", "on_the_way"):
                    self.server.post(f"/v1/orders/{order}/status", {"status": step}, token=token)
                if self.rng.random() < 0.7:
                    self.server.post(f"/v1/orders/{order}/delivered", token=token)
        elif roll < 0.75:
            self.ping(self.rng.randrange(len(self.drivers)))
        elif roll < 0.83:
            self.server.post(f"/v1/orders/{order}/lines/1/fulfilled", {"quantity": 1}, token=owner)
        elif roll < 0.9:
            self.server.post(f"/v1/orders/{order}/archive", token=owner)
        elif roll < 0.95:
            self.server.patch(f"/v1/orders/{order}", {"notes": f"nota {self.rng.randrange(99)}"}, token=owner)
        else:
            self.server.request("DELETE", f"/v1/orders/{order}", token=owner)

    def read_everything(self):
        """What every client could read, as one comparable structure."""
        out = {}

        def get(path, token=None):
            status, _, body = self.server.get(path, token=token)
            if isinstance(body, dict) and isinstance(body.get("orders"), list):
                for o in body["orders"]:
                    o.pop("waiting_s", None)  # depends on the clock, not the state
            return status, body

        def pages(path, token):
            got, cursor = [], None
            for _ in range(100):
                status, body = get(path + (f"&cursor={cursor}" if cursor else ""), token)
                self.assertEqual(status, 200, body)
                got += body["orders"]
                cursor = body["next_cursor"]
                if cursor is None:
                    return got
            self.fail("pagination did not end")

        for i, owner in enumerate(self.owners):
            for query in ["limit=7", "status=active&limit=5", "status=completed,cancelled&limit=5",
                          "payment_method=cash&limit=4", "status=archived&limit=9", "customer_id=u-cust-1"]:
                out[f"owner {i} {query}"] = pages(f"/v1/orders?{query}", owner)
            rid = self.restaurants[i]
            out[f"board {i}"] = get(f"/v1/orders/active?restaurant_id={rid}", owner)
            out[f"stats {i}"] = get(f"/v1/restaurants/{rid}/stats", owner)
            out[f"restaurant {i}"] = get(f"/v1/restaurants/{rid}")
        for order, _, _ in self.orders:
            out[f"order {order}"] = get(f"/v1/orders/{order}")
        for n, (driver, token) in enumerate(self.drivers):
            out[f"panel {n}"] = get(f"/v1/drivers/{driver}/panel", token)
            out[f"driver {n}"] = get(f"/v1/drivers/{driver}", token)
            out[f"list {n}"] = pages("/v1/orders?limit=3", token)
        out["nearest"] = get(f"/v1/drivers/positions?near={LAT},{LNG}&available=false&limit=100", self.owners[0])
        return out

    def assert_same(self, before, after, what):
        self.assertEqual(before.keys(), after.keys())
        for key in before:
            self.assertEqual(before[key], after[key], f"{what}: {key} differs")


class RestartEqualityTest(RestartWorkload, unittest.TestCase):
    def test_every_answer_survives_a_kill_and_a_clean_restart(self):
        for _ in range(300):
            self.act()
        before = self.read_everything()
        self.assertGreater(len(before["owner 0 limit=7"]) + len(before["owner 1 limit=7"]), 10)

        self.server.proc.kill()  # kill -9: no snapshot
        self.server.proc.wait(timeout=10)
        self.server.stop()
        self.server.start()
        self.assertIn("read models rebuilt from the log", self.server.stderr())
        self.assert_same(before, self.read_everything(), "after kill -9")

        self.server.restart()  # a clean stop writes the snapshot
        self.assertIn("read models from the snapshot", self.server.stderr())
        self.assert_same(before, self.read_everything(), "after a clean restart")


class ColdOrdersRestartEqualityTest(RestartEqualityTest):
    """The same with --hot-window 0: finished orders leave memory for views/
    as soon as the writer gets to them, and are read from there."""
    EXTRA_ARGS = ["--hot-window", "0"]

    def orders_in_memory(self):
        return self.server.metric("comanda_orders_in_memory")

    def wait_until_out_of_memory(self):
        """Until the read models hold no order (the writer runs every 50 ms)."""
        deadline = time.monotonic() + 10
        while self.orders_in_memory() != 0:
            self.assertLess(time.monotonic(), deadline, "the finished order never left memory")
            time.sleep(0.02)

    def test_a_change_to_an_order_out_of_memory_is_read_at_once(self):
        owner = self.owners[0]
        status, _, order = self.server.post("/v1/orders", dict(order_body(self.restaurants[0]),
                                                               fulfillment={"type": "eat_in"}), token=owner)
        self.assertEqual(status, 201, order)
        status, _, done = self.server.post(f"/v1/orders/{order['id']}/status", {"status": "completed"},
                                           token=owner)
        self.assertEqual(status, 200, done)
        self.wait_until_out_of_memory()
        status, _, answer = self.server.post(f"/v1/orders/{order['id']}/archive", token=owner)
        self.assertEqual(status, 200, answer)
        self.assertTrue(answer["archived"])
        status, _, got = self.server.get(f"/v1/orders/{order['id']}", token=owner)
        self.assertEqual((status, got["archived"], got["version"]), (200, True, answer["version"]))
        status, _, listed = self.server.get(f"/v1/orders?status=archived&restaurant_id={self.restaurants[0]}",
                                            token=owner)
        self.assertIn(order["id"], [o["id"] for o in listed["orders"]])
        self.assertEqual(self.server.request("DELETE", f"/v1/orders/{order['id']}", token=owner)[0], 204)
        self.assertEqual(self.server.get(f"/v1/orders/{order['id']}", token=owner)[0], 404)
        status, _, listed = self.server.get(f"/v1/orders?status=archived&restaurant_id={self.restaurants[0]}",
                                            token=owner)
        self.assertNotIn(order["id"], [o["id"] for o in listed["orders"]])
        self.server.restart()
        self.assertEqual(self.server.get(f"/v1/orders/{order['id']}", token=owner)[0], 404)


if __name__ == "__main__":
    unittest.main()
