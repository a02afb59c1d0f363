"""The fleet over HTTP: the drivers nearest a point (GET /v1/drivers/positions,
for admins and owners), nearest first, only available ones by default; a
driver's panel (GET /v1/drivers/{id}/panel, the driver and admins) with its
offer, then its delivery, then what it completed today; the same after a
restart (read models from their snapshot)."""

import unittest

from harness import LAT, LNG, north, order_body, register_restaurant, serve_for

class FleetTest(unittest.TestCase):
    def setUp(self):
        self.server = serve_for(self)
        self.tokens, self.ids = {}, {}
        self.owner = self.server.token("owner", "u-owner-1")
        self.rid = register_restaurant(self.server)

    def driver(self, n, metres, available=True):
        token = self.tokens[n] = self.server.token("driver", f"u-driver-{n}")
        status, _, body = self.server.post("/v1/drivers", {"name": f"Driver {n}", "phone": "+51 900"},
                                           token=token)
        self.assertEqual(status, 201, body)
        self.ids[n] = body["id"]
        status, _, body = self.server.post(f"/v1/drivers/{self.ids[n]}/location",
                                           {"lat": north(metres), "lng": LNG}, token=token)
        self.assertEqual(status, 200, body)
        if available:
            status, _, body = self.server.request("PUT", f"/v1/drivers/{self.ids[n]}/availability",
                                                  {"availability": "available"}, token=token)
            self.assertEqual(status, 200, body)
        return self.ids[n]

    def positions(self, query, token=None):
        return self.server.get(f"/v1/drivers/positions?{query}", token=token or self.owner)

    def test_nearest_first_within_the_radius(self):
        near, far, offline = self.driver(1, 300), self.driver(2, 1200), self.driver(3, 100, available=False)
        self.driver(4, 9000)
        status, headers, body = self.positions(f"near={LAT},{LNG}&radius_m=3000")
        self.assertEqual(status, 200, body)
        self.assertIn("Comanda-Position", headers)
        got = [(d["driver_id"], d["availability"]) for d in body["drivers"]]
        self.assertEqual(got, [(near, "available"), (far, "available")])
        self.assertAlmostEqual(body["drivers"][0]["distance_m"], 300, delta=2)
        self.assertEqual(body["drivers"][0]["name"], "Driver 1")
        self.assertIn("at", body["drivers"][0])
        # available=false: every driver with a position, whatever its state.
        status, _, body = self.positions(f"near={LAT},{LNG}&radius_m=3000&available=false&limit=2")
        self.assertEqual([d["driver_id"] for d in body["drivers"]], [offline, near])
        # Through curl, an independent client, with the defaults (5 km, 10).
        status, _, body = self.server.curl("GET", f"/v1/drivers/positions?near={LAT},{LNG}", token=self.owner)
        self.assertEqual(status, 200)
        self.assertEqual([d["driver_id"] for d in body["drivers"]], [near, far])

    def test_who_may_ask_and_what_is_refused(self):
        self.assertEqual(self.positions(f"near={LAT},{LNG}", token=self.server.token("customer", "u-c"))[0], 403)
        self.assertEqual(self.positions(f"near={LAT},{LNG}", token=self.server.token("driver", "u-d"))[0], 403)
        for query, field in [("", "near"), ("near=91,0", "near"), ("near=-12.1", "near"),
                             (f"near={LAT},{LNG}&radius_m=0", "radius_m"),
                             (f"near={LAT},{LNG}&radius_m=abc", "radius_m"),
                             (f"near={LAT},{LNG}&limit=101", "limit"),
                             (f"near={LAT},{LNG}&available=yes", "available"),
                             (f"near={LAT},{LNG}&near={LAT},{LNG}", "near"),
                             (f"near={LAT},{LNG}&city=lima", "city")]:
            status, _, problem = self.positions(query)
            self.assertEqual(status, 400, query)
            self.assertEqual(problem["field"], field, query)

    def order_awaiting_driver(self):
        body = order_body(self.rid)
        body["fulfillment"]["location"] = {"lat": north(2000), "lng": LNG}
        status, _, order = self.server.post("/v1/orders", body, token=self.owner)
        self.assertEqual(status, 201, order)
        for step in ("accepted", "ready", "awaiting_driver"):
            status, _, order = self.server.post(f"/v1/orders/{order['id']}/status", {"status": step},
                                                token=self.owner)
            self.assertEqual(status, 200, order)
        return order["id"]

    def panel(self, n, token=None):
        status, headers, body = self.server.get(f"/v1/drivers/{self.ids[n]}/panel", token=token or self.tokens[n])
        self.assertEqual(status, 200, body)
        return body

    def test_the_panel_follows_an_offer_a_delivery_and_its_completion(self):
        self.driver(1, 100)
        self.driver(2, 900)
        order = self.order_awaiting_driver()
        panel = self.panel(1)
        self.assertEqual([o["id"] for o in panel["offers"]], [order])
        offer = panel["offers"][0]
        self.assertEqual((offer["restaurant"]["name"], offer["restaurant"]["address"]), ("Sede 1", "Av. Larco 101"))
        self.assertEqual(offer["customer"]["name"], "Ana Pérez")
        self.assertEqual(offer["payment"]["method"], "cash")
        self.assertEqual((panel["in_transit"], panel["completed_today"]), ([], []))

        status, _, _ = self.server.post(f"/v1/orders/{order}/accept-delivery", token=self.tokens[1])
        self.assertEqual(status, 200)
        panel = self.panel(1)
        self.assertEqual((panel["offers"], [o["id"] for o in panel["in_transit"]]), ([], [order]))
        for step in ("picked_up", "on_the_way"):
            status, _, body = self.server.post(f"/v1/orders/{order}/status", {"status": step}, token=self.tokens[1])
            self.assertEqual(status, 200, body)
        status, _, body = self.server.post(f"/v1/orders/{order}/delivered", token=self.tokens[1])
        self.assertEqual(status, 200, body)
        panel = self.panel(1)
        self.assertEqual(panel["in_transit"], [])
        self.assertEqual([o["id"] for o in panel["completed_today"]], [order])
        self.assertIsNotNone(panel["completed_today"][0]["completed_at"])
        self.assertEqual(self.panel(2)["completed_today"], [])

        # An admin reads it too; another driver, an owner or a customer cannot.
        self.assertEqual(self.panel(1, token=self.server.token("admin", "root")), panel)
        status, _, _ = self.server.get(f"/v1/drivers/{self.ids[1]}/panel", token=self.tokens[2])
        self.assertEqual(status, 404)
        status, _, _ = self.server.get(f"/v1/drivers/{self.ids[1]}/panel", token=self.owner)
        self.assertEqual(status, 403)

        self.server.restart()
        self.assertEqual(self.panel(1), panel)


if __name__ == "__main__":
    unittest.main()
