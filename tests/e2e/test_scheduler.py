"""The scheduler in the real server: a preorder waits `scheduled` and opens
at its time less the lead, also when the server was down at that moment
(what is due is computed from the log at start); an unanswered offer
expires and goes to the next driver. Waits are bounded (the shortest
offer timeout a restaurant may set is 5 s)."""

import datetime
import time
import unittest

from harness import order_body, register_restaurant, serve_for

LEAD_S = 3600


def rfc3339(seconds_from_now):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds_from_now)
    return t.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class SchedulerTest(unittest.TestCase):
    def setUp(self):
        self.server = serve_for(self)

    def wait_for(self, what, predicate, timeout_s=20):
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.1)
        self.fail(f"{what}: not within {timeout_s} s")

    def order(self, oid):
        status, _, body = self.server.get(f"/v1/orders/{oid}")
        self.assertEqual(status, 200, body)
        return body

    def test_a_preorder_opens_at_its_time_less_the_lead_across_a_restart(self):
        rid = register_restaurant(self.server, preorder_lead_s=LEAD_S)
        body = order_body(rid)
        body["fulfillment"]["scheduled_for"] = rfc3339(LEAD_S + 2)
        status, _, order = self.server.post("/v1/orders", body)
        self.assertEqual(status, 201, order)
        self.assertEqual((order["status"], order["status_code"]), ("scheduled", 13))
        self.assertIsNotNone(order["fulfillment"]["scheduled_for"])
        # A later one stays scheduled.
        body["fulfillment"]["scheduled_for"] = rfc3339(LEAD_S + 3600)
        status, _, later = self.server.post("/v1/orders", body)
        self.assertEqual((status, later["status"]), (201, "scheduled"), later)

        self.server.stop()
        time.sleep(2.5)  # its window opens while the server is down
        self.server.start()
        opened = self.wait_for("the preorder opening",
                               lambda: (o := self.order(order["id"]))["status"] == "pending" and o)
        self.assertEqual(opened["version"], 2)
        events = self.server.get(f"/v1/orders/{order['id']}/events")[2]["events"]
        self.assertEqual(events[-1]["actor"]["role"], "engine")
        self.assertEqual(events[-1]["data"]["reason"], "preorder_window_open")
        self.assertEqual(self.order(later["id"])["status"], "scheduled")

    def test_an_unanswered_offer_expires_and_goes_to_the_next_driver(self):
        rid = register_restaurant(self.server, dispatch={"offer_to": 1, "offer_timeout_s": 5})
        drivers = []
        for n, metres in ((1, 100), (2, 300)):
            token = self.server.token("driver", f"u-driver-{n}")
            status, _, d = self.server.post("/v1/drivers", {"name": f"Driver {n}"}, token=token)
            self.assertEqual(status, 201, d)
            lat = round(-12.12 + metres / 111195.0, 7)
            self.assertEqual(self.server.post(f"/v1/drivers/{d['id']}/location", {"lat": lat, "lng": -77.03},
                                              token=token)[0], 200)
            self.assertEqual(self.server.request("PUT", f"/v1/drivers/{d['id']}/availability",
                                                 {"availability": "available"}, token=token)[0], 200)
            drivers.append(d["id"])
        status, _, order = self.server.post("/v1/orders", order_body(rid))
        self.assertEqual(status, 201, order)
        for step in ("accepted", "ready", "awaiting_driver"):
            self.assertEqual(self.server.post(f"/v1/orders/{order['id']}/status", {"status": step})[0], 200)

        def offers():
            events = self.server.get(f"/v1/orders/{order['id']}/events")[2]["events"]
            return [e["data"]["drivers"] for e in events if e["type"] == "driver_offered"]

        self.assertEqual(offers(), [[drivers[0]]])
        second = self.wait_for("the second offer", lambda: len(offers()) >= 2 and offers())
        self.assertEqual(second[1], [drivers[1]], "the next nearest")


if __name__ == "__main__":
    unittest.main()
