"""Dispatch over HTTP against the real server: drivers go available and
report positions; an order awaiting a driver is offered to the nearest; the
first accept wins when twenty offered drivers accept at once; a drop offers
it anew; the assigned driver's pings along a route move the order by the
restaurant's geofences (checked with curl too); delivered frees the driver."""

import concurrent.futures
import threading
import unittest

from harness import LNG, north, order_body, register_restaurant, serve_for

class DispatchTest(unittest.TestCase):
    def setUp(self):
        self.server = serve_for(self)
        self.tokens = {}

    def driver(self, n, metres, available=True):
        """Registers driver n `metres` north of the restaurant; returns its id."""
        token = self.tokens[n] = self.server.token("driver", f"u-driver-{n}")
        status, _, body = self.server.post("/v1/drivers", {"name": f"Driver {n}", "phone": "+51 900 000 000"},
                                           token=token)
        self.assertEqual(status, 201, body)
        self.assertEqual((body["availability"], body["active"], body["order_id"]), ("offline", True, None))
        driver_id = body["id"]
        self.ping(n, driver_id, metres)
        if available:
            status, headers, body = self.server.request("PUT", f"/v1/drivers/{driver_id}/availability",
                                                        {"availability": "available"}, token=token)
            self.assertEqual(status, 200, body)
            self.assertEqual(body["availability"], "available")
        return driver_id

    def ping(self, n, driver_id, metres):
        status, _, body = self.server.post(f"/v1/drivers/{driver_id}/location",
                                           {"lat": north(metres), "lng": LNG}, token=self.tokens[n])
        self.assertEqual(status, 200, body)

    def order_awaiting_driver(self, restaurant_id):
        body = order_body(restaurant_id)
        body["fulfillment"]["location"] = {"lat": north(2000), "lng": LNG}
        status, _, order = self.server.post("/v1/orders", body)
        self.assertEqual(status, 201, order)
        for step in ("accepted", "ready", "awaiting_driver"):
            status, _, order = self.server.post(f"/v1/orders/{order['id']}/status", {"status": step})
            self.assertEqual(status, 200, order)
        return order["id"]

    def accept(self, n, order_id):
        return self.server.post(f"/v1/orders/{order_id}/accept-delivery", token=self.tokens[n])

    def events(self, order_id):
        status, _, body = self.server.get(f"/v1/orders/{order_id}/events")
        self.assertEqual(status, 200, body)
        return body["events"]

    def status_of(self, order_id):
        return self.server.get(f"/v1/orders/{order_id}")[2]["status"]

    def test_twenty_offered_drivers_accept_at_once_and_exactly_one_wins(self):
        rid = register_restaurant(self.server, dispatch={"mode": "broadcast"})
        drivers = {n: self.driver(n, 100 + 10 * n) for n in range(1, 21)}
        oid = self.order_awaiting_driver(rid)
        offer = self.events(oid)[-1]
        self.assertEqual(offer["type"], "driver_offered")
        self.assertEqual(sorted(offer["data"]["drivers"]), sorted(drivers.values()))
        self.assertEqual(offer["actor"]["role"], "engine")

        # Each offered driver sees the order; a driver never offered it does not.
        status, _, seen = self.server.get(f"/v1/orders/{oid}", token=self.tokens[7])
        self.assertEqual(status, 200, seen)
        outsider = self.server.token("driver", "u-driver-99")
        self.assertEqual(self.server.get(f"/v1/orders/{oid}", token=outsider)[0], 404)

        start = threading.Barrier(20, timeout=30)

        def take(n):
            start.wait()
            return n, self.accept(n, oid)

        with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
            answers = list(pool.map(take, range(1, 21)))
        winners = [(n, body) for n, (status, _, body) in answers if status == 200]
        losers = [(status, body) for n, (status, _, body) in answers if status != 200]
        self.assertEqual(len(winners), 1, answers)
        self.assertEqual({s for s, _ in losers}, {409}, losers)
        for _, body in losers:
            self.assertEqual(body["type"], "urn:comanda:problem:conflict")
        n, order = winners[0]
        self.assertEqual((order["status"], order["status_code"]), ("driver_assigned", 8))
        self.assertEqual(order["driver_id"], drivers[n])
        status, _, driver = self.server.get(f"/v1/drivers/{drivers[n]}", token=self.tokens[n])
        self.assertEqual((driver["availability"], driver["order_id"]), ("busy", oid))
        # Exactly one assignment in the log.
        assigned = [e for e in self.events(oid) if e["type"] == "driver_assigned"]
        self.assertEqual(len(assigned), 1)
        # A busy driver cannot go offline until the delivery ends.
        status, _, problem = self.server.request("PUT", f"/v1/drivers/{drivers[n]}/availability",
                                                 {"availability": "offline"}, token=self.tokens[n])
        self.assertEqual(status, 409, problem)

    def test_a_driver_not_offered_the_order_gets_404_and_an_admin_assigns(self):
        rid = register_restaurant(self.server)
        near = self.driver(1, 100)
        far = self.driver(2, 9000)  # beyond the 5 km radius: not offered
        oid = self.order_awaiting_driver(rid)
        self.assertEqual(self.events(oid)[-1]["data"]["drivers"], [near])
        position = self.server.position()
        status, _, problem = self.accept(2, oid)
        self.assertEqual(status, 404, problem)
        self.assertEqual(self.server.position(), position, "a refused accept writes nothing")
        # Owners take no deliveries; an admin names the driver.
        owner = self.server.token("owner", "u-owner-1")
        self.assertEqual(self.server.post(f"/v1/orders/{oid}/accept-delivery", token=owner)[0], 403)
        status, _, problem = self.server.post(f"/v1/orders/{oid}/accept-delivery", {})
        self.assertEqual((status, problem.get("field")), (400, "driver_id"), problem)
        status, _, order = self.server.post(f"/v1/orders/{oid}/accept-delivery", {"driver_id": far})
        self.assertEqual(status, 200, order)
        self.assertEqual(order["driver_id"], far)
        # The near driver's offer is over: their accept is now a conflict.
        self.assertEqual(self.accept(1, oid)[0], 409)

    def test_a_drop_offers_the_order_to_others_and_delivered_frees_the_driver(self):
        rid = register_restaurant(self.server, dispatch={"offer_to": 1})
        first, second = self.driver(1, 100), self.driver(2, 200)
        oid = self.order_awaiting_driver(rid)
        status, _, order = self.accept(1, oid)
        self.assertEqual(status, 200, order)
        status, _, order = self.server.post(f"/v1/orders/{oid}/drop-delivery", {"reason": "flat tyre"},
                                            token=self.tokens[1])
        self.assertEqual(status, 200, order)
        self.assertEqual((order["status"], order["driver_id"]), ("awaiting_driver", None))
        types = [e["type"] for e in self.events(oid)[-3:]]
        self.assertEqual(types, ["driver_unassigned", "order_status_changed", "driver_offered"])
        self.assertEqual(self.events(oid)[-1]["data"]["drivers"], [second])
        self.assertEqual(self.server.get(f"/v1/drivers/{first}")[2]["availability"], "available")

        status, _, order = self.accept(2, oid)
        self.assertEqual(status, 200, order)
        for step in ("driver_at_restaurant", "picked_up"):
            status, _, order = self.server.post(f"/v1/orders/{oid}/status", {"status": step}, token=self.tokens[2])
            self.assertEqual(status, 200, order)
        # After pickup a drop is refused; delivered ends it (curl, an independent client).
        self.assertEqual(self.server.post(f"/v1/orders/{oid}/drop-delivery", token=self.tokens[2])[0], 409)
        status, _, order = self.server.curl("POST", f"/v1/orders/{oid}/delivered", token=self.tokens[2])
        self.assertEqual(status, 200, order)
        self.assertEqual((order["status"], order["status_code"]), ("delivered", 11))
        status, _, driver = self.server.curl("GET", f"/v1/drivers/{second}", token=self.tokens[2])
        self.assertEqual((driver["availability"], driver["order_id"]), ("available", None))

    def test_the_owner_flags_the_order_not_ready_while_the_driver_waits(self):
        rid = register_restaurant(self.server)
        self.driver(1, 100)
        oid = self.order_awaiting_driver(rid)
        self.assertEqual(self.accept(1, oid)[0], 200)
        owner = self.server.token("owner", "u-owner-1")
        flag = lambda value, **kw: self.server.post(f"/v1/orders/{oid}/not-ready", {"not_ready": value}, **kw)
        self.assertEqual(flag(True, token=owner)[0], 409, "no driver waits at the restaurant yet")
        status, _, order = self.server.post(f"/v1/orders/{oid}/status", {"status": "driver_at_restaurant"},
                                            token=self.tokens[1])
        self.assertEqual((status, order["status_code"]), (200, 3), order)
        self.assertEqual(flag(True, token=self.tokens[1])[0], 403, "the driver does not set it")
        status, _, problem = self.server.post(f"/v1/orders/{oid}/not-ready", {"not_ready": "yes"}, token=owner)
        self.assertEqual((status, problem.get("field")), (400, "not_ready"), problem)
        status, _, order = flag(True, token=owner)
        self.assertEqual((status, order["status"], order["status_code"], order["not_ready"]),
                         (200, "driver_at_restaurant", 14, True), order)
        status, _, order = self.server.curl("POST", f"/v1/orders/{oid}/status", {"status": "picked_up"},
                                            token=self.tokens[1])
        self.assertEqual((status, order["status_code"], order["not_ready"]), (200, 9, False), order)

    def test_pings_along_a_route_move_the_order_by_the_geofences(self):
        rid = register_restaurant(self.server)
        d = self.driver(1, 1500)
        oid = self.order_awaiting_driver(rid)
        self.assertEqual(self.accept(1, oid)[0], 200)

        def drive(metres, expected):
            self.ping(1, d, metres)
            self.assertEqual(self.status_of(oid), expected, f"at {metres} m")

        for metres in (1200, 800, 400):
            drive(metres, "driver_assigned")
        drive(120, "driver_near_restaurant")
        drive(30, "driver_near_restaurant")
        for step in ("driver_at_restaurant", "picked_up"):
            status, _, order = self.server.post(f"/v1/orders/{oid}/status", {"status": step}, token=self.tokens[1])
            self.assertEqual(status, 200, order)
        drive(90, "picked_up")
        drive(300, "on_the_way")
        for metres in (700, 1100, 1500, 1800):
            drive(metres, "on_the_way")
        drive(1920, "driver_near_customer")
        # Each geofence step is the engine's, with the position of the ping that caused it.
        events = self.events(oid)
        steps = [e for e in events if e["type"] == "order_status_changed" and e["actor"]["role"] == "engine"]
        self.assertEqual([s["data"]["to"] for s in steps],
                         ["driver_near_restaurant", "on_the_way", "driver_near_customer"])
        for s in steps:
            self.assertEqual(s["data"]["caused_by"], s["position"] - 1, s)
        status, _, order = self.server.curl("POST", f"/v1/orders/{oid}/delivered", token=self.tokens[1])
        self.assertEqual((status, order["status"]), (200, "delivered"), order)

    def test_an_order_waits_until_a_driver_comes_in_range(self):
        rid = register_restaurant(self.server)
        d = self.driver(1, 8000)
        oid = self.order_awaiting_driver(rid)
        self.assertEqual(self.events(oid)[-1]["type"], "dispatch_waiting")
        self.ping(1, d, 3000)
        last = self.events(oid)[-1]
        self.assertEqual((last["type"], last["data"]["drivers"]), ("driver_offered", [d]))

    def test_availability_and_active_refuse_bad_input_and_other_callers(self):
        d = self.driver(1, 100, available=False)
        put = lambda path, body, **kw: self.server.request("PUT", f"/v1/drivers/{d}/{path}", body, **kw)
        for body, field in (({"availability": "busy"}, "availability"), ({"availability": 1}, "availability"),
                            ({}, "availability"), ({"availability": "available", "x": 1}, "x")):
            status, _, problem = put("availability", body, token=self.tokens[1])
            self.assertEqual((status, problem.get("field")), (400, field), (body, problem))
        other = self.server.token("driver", "u-driver-2")
        self.assertEqual(put("availability", {"availability": "available"}, token=other)[0], 404)
        self.assertEqual(put("active", {"active": False}, token=self.tokens[1])[0], 403)
        status, _, problem = put("availability", {"availability": "available"}, token=self.tokens[1],
                                 headers={"If-Match": '"1"'})
        self.assertEqual(status, 412, problem)
        status, _, body = put("active", {"active": False})  # admin
        self.assertEqual((status, body["active"]), (200, False), body)


if __name__ == "__main__":
    unittest.main()
