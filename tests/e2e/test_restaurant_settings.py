"""A restaurant's settings over HTTP: given at registration or later with
PATCH /v1/restaurants/{id} (If-Match), merged field by field, bounded,
kept across a restart; a paused restaurant refuses new orders and keeps
serving its open ones; the delivery fee lands on delivery orders."""

import unittest

from harness import order_body, register_restaurant, restaurant_body, serve_for

DEFAULT_SETTINGS = {
    "dispatch": {"mode": "nearest", "offer_on": "awaiting_driver", "offer_to": 3,
                 "radius_m": 5000, "offer_timeout_s": 60},
    "geofence": {"enabled": True, "near_restaurant_m": 150, "near_customer_m": 150},
    "auto_reject_after_s": 0,
    "preorder_lead_s": 1800,
}


class RestaurantSettingsTest(unittest.TestCase):
    def setUp(self):
        self.server = serve_for(self)
        self.owner = self.server.token("owner", "u-owner-1")
        self.rid = register_restaurant(self.server)

    def patch(self, body, version=None, token=None):
        headers = {"If-Match": f'"{version}"'} if version is not None else None
        return self.server.patch(f"/v1/restaurants/{self.rid}", body, headers=headers,
                                 token=token or self.owner)

    def test_a_new_restaurant_has_the_documented_defaults(self):
        status, _, shown = self.server.get(f"/v1/restaurants/{self.rid}", token=self.owner)
        self.assertEqual(status, 200, shown)
        for key, value in DEFAULT_SETTINGS.items():
            self.assertEqual(shown[key], value, key)
        self.assertEqual(shown["delivery_fee"]["amount"], "0")
        self.assertFalse(shown["paused"])

    def test_settings_given_at_registration_are_kept(self):
        status, _, created = self.server.post("/v1/restaurants", restaurant_body(
            delivery_fee=500, dispatch={"mode": "broadcast", "offer_on": "accepted"},
            geofence={"enabled": False}, preorder_lead_s=600, paused=True), token=self.owner)
        self.assertEqual(status, 201, created)
        self.assertEqual(created["delivery_fee"]["amount"], "500")
        self.assertEqual(created["dispatch"]["mode"], "broadcast")
        self.assertEqual(created["dispatch"]["offer_on"], "accepted")
        self.assertEqual(created["dispatch"]["radius_m"], 5000)  # the default, untouched
        self.assertFalse(created["geofence"]["enabled"])
        self.assertEqual(created["preorder_lead_s"], 600)
        self.assertTrue(created["paused"])

    def test_a_patch_merges_nested_settings_and_bumps_the_version(self):
        status, headers, changed = self.patch(
            {"name": "Sede Miraflores", "dispatch": {"radius_m": 3000}, "delivery_fee": 450}, version=1)
        self.assertEqual(status, 200, changed)
        self.assertEqual(headers.get("ETag"), '"2"')
        self.assertEqual(changed["version"], 2)
        self.assertEqual(changed["name"], "Sede Miraflores")
        self.assertEqual(changed["dispatch"], dict(DEFAULT_SETTINGS["dispatch"], radius_m=3000))
        self.assertEqual(changed["delivery_fee"]["amount"], "450")
        self.assertEqual(changed["delivery_fee"]["formatted"], "S/ 4.50")
        self.assertEqual(changed["address"], "Av. Larco 101")  # absent: unchanged
        status, _, shown = self.server.get(f"/v1/restaurants/{self.rid}", token=self.owner)
        self.assertEqual(shown, changed)

    def test_every_documented_field_can_be_patched(self):
        body = {"name": "N", "address": "A", "location": {"lat": -12.0, "lng": -77.1},
                "time_zone": "America/Bogota", "tax": {"rate_bp": 1900, "included": False},
                "owners": ["u-owner-1", "u-owner-3"], "series": "B7", "delivery_fee": 300,
                "dispatch": {"mode": "none", "offer_on": "accepted", "offer_to": 5, "radius_m": 800,
                             "offer_timeout_s": 30},
                "geofence": {"enabled": False, "near_restaurant_m": 50, "near_customer_m": 75},
                "auto_reject_after_s": 600, "preorder_lead_s": 900}
        status, _, changed = self.patch(body, version=1)
        self.assertEqual(status, 200, changed)
        for key, value in body.items():
            if key != "delivery_fee":
                self.assertEqual(changed[key], value, key)
        self.assertEqual(changed["delivery_fee"]["amount"], "300")
        order = self.server.post("/v1/orders", order_body(self.rid, fulfillment={"type": "pickup"},
                                                          payment={"method": "card"}))[2]
        self.assertTrue(order["reference"].startswith("B7"), order["reference"])

    def test_a_stale_if_match_is_a_412_and_changes_nothing(self):
        self.assertEqual(self.patch({"name": "first"}, version=1)[0], 200)
        status, _, problem = self.patch({"name": "second"}, version=1)
        self.assertEqual(status, 412, problem)
        shown = self.server.get(f"/v1/restaurants/{self.rid}", token=self.owner)[2]
        self.assertEqual((shown["name"], shown["version"]), ("first", 2))

    def test_a_patch_that_changes_nothing_answers_200_and_appends_nothing(self):
        before = self.server.position()
        status, headers, shown = self.patch({"name": "Sede 1", "dispatch": {"mode": "nearest"}}, version=1)
        self.assertEqual(status, 200, shown)
        self.assertEqual((shown["version"], headers.get("ETag")), (1, '"1"'))
        self.assertEqual(self.server.position(), before)

    def test_who_may_change_a_restaurant(self):
        other_owner = self.server.token("owner", "u-owner-2")
        status, _, problem = self.patch({"name": "x"}, token=other_owner)
        self.assertEqual((status, problem["detail"]), (404, "no such restaurant"))
        for role in ("customer", "driver"):
            with self.subTest(role=role):
                status, _, problem = self.patch({"name": "x"}, token=self.server.token(role, "u-1"))
                self.assertEqual(status, 403, problem)
        status, _, shown = self.server.patch(f"/v1/restaurants/{self.rid}", {"name": "by admin"})
        self.assertEqual((status, shown["name"]), (200, "by admin"))

    def test_an_owner_cannot_take_themself_off_but_an_admin_can(self):
        status, _, problem = self.patch({"owners": ["u-owner-2"]})
        self.assertEqual((status, problem["field"]), (422, "owners"), problem)
        status, _, shown = self.server.patch(f"/v1/restaurants/{self.rid}", {"owners": ["u-owner-2"]})
        self.assertEqual((status, shown["owners"]), (200, ["u-owner-2"]))
        # The new owner sees its orders; the old one no longer sees the restaurant.
        self.assertEqual(self.patch({"name": "x"})[0], 404)
        order = self.server.post("/v1/orders", order_body(self.rid))[2]
        status, _, _ = self.server.get(f"/v1/orders/{order['id']}", token=self.server.token("owner", "u-owner-2"))
        self.assertEqual(status, 200)

    def test_bad_patches_name_their_field(self):
        cases = [
            ({"currency": "USD"}, 422, "currency"),
            ({"dispatch": {"mode": "fastest"}}, 400, "dispatch.mode"),
            ({"dispatch": {"offer_on": "ready"}}, 400, "dispatch.offer_on"),
            ({"dispatch": {"offer_to": 0}}, 422, "dispatch.offer_to"),
            ({"dispatch": {"radius_m": "far"}}, 400, "dispatch.radius_m"),
            ({"geofence": {"near_customer_m": 5}}, 422, "geofence.near_customer_m"),
            ({"geofence": {"enabled": "yes"}}, 400, "geofence.enabled"),
            ({"auto_reject_after_s": 30}, 422, "auto_reject_after_s"),
            ({"delivery_fee": -1}, 400, "delivery_fee"),
            ({"time_zone": "Mars/Olympus"}, 422, "time_zone"),
            ({"series": "a-1"}, 400, "series"),
            ({"owners": []}, 422, "owners"),
            ({"owners": ["u\u0007"]}, 400, "owners[0]"),
            ({"paused": 1}, 400, "paused"),
            ({"pasued": True}, 400, "pasued"),  # misspelt: not ignored without a word
            ({"dispatch": {"radius": 1000}}, 400, "dispatch.radius"),
            ({"id": "01a20000-0000-7000-8000-000000000000"}, 400, "id"),
        ]
        for body, status, field in cases:
            with self.subTest(body=body):
                got, _, problem = self.patch(body)
                self.assertEqual((got, problem.get("field")), (status, field), problem)
        shown = self.server.get(f"/v1/restaurants/{self.rid}", token=self.owner)[2]
        self.assertEqual(shown["version"], 1)

    def test_a_paused_restaurant_refuses_new_orders_and_serves_open_ones(self):
        open_order = self.server.post("/v1/orders", order_body(self.rid))[2]
        status, _, paused = self.patch({"paused": True})
        self.assertEqual((status, paused["paused"]), (200, True))
        status, _, problem = self.server.post("/v1/orders", order_body(self.rid))
        self.assertEqual((status, problem["field"]), (409, "restaurant_id"), problem)
        status, _, moved = self.server.post(f"/v1/orders/{open_order['id']}/status", {"status": "accepted"},
                                            token=self.owner)
        self.assertEqual((status, moved.get("status")), (200, "accepted"), moved)
        self.assertEqual(self.patch({"paused": False})[0], 200)
        self.assertEqual(self.server.post("/v1/orders", order_body(self.rid))[0], 201)
        # Anyone signed in sees that it is paused.
        self.patch({"paused": True})
        shown = self.server.get(f"/v1/restaurants/{self.rid}", token=self.server.token("customer", "u-cust-1"))[2]
        self.assertTrue(shown["paused"])

    def test_the_delivery_fee_lands_on_delivery_orders_only(self):
        self.patch({"delivery_fee": 500})
        status, _, delivery = self.server.post("/v1/orders", order_body(self.rid))
        self.assertEqual(status, 201, delivery)
        self.assertEqual(delivery["delivery_fee"]["amount"], "500")
        self.assertEqual(delivery["total"]["amount"], "4400")  # 37.00 + 2.00 tip + 5.00
        status, _, pickup = self.server.post("/v1/orders", order_body(
            self.rid, fulfillment={"type": "pickup"}, payment={"method": "card"}))
        self.assertEqual(status, 201, pickup)
        self.assertEqual(pickup["delivery_fee"]["amount"], "0")

    def test_settings_and_pause_survive_a_restart(self):
        _, _, changed = self.patch({"dispatch": {"mode": "broadcast"}, "delivery_fee": 250, "paused": True})
        self.server.restart()
        shown = self.server.get(f"/v1/restaurants/{self.rid}", token=self.owner)[2]
        self.assertEqual(shown, changed)
        self.assertEqual(self.server.post("/v1/orders", order_body(self.rid))[0], 409)


if __name__ == "__main__":
    unittest.main()
