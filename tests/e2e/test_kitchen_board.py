"""The kitchen board over HTTP (GET /v1/orders/active, GastroMóvil's active
orders): a restaurant's open orders, newest first, each with its line count,
address ("" without one), notes and waiting time; finished and deleted
orders leave it; owners see their own restaurants' boards only; the same
board after a restart (read models from their snapshot)."""

import unittest

from harness import order_body, register_restaurant, serve_for


class KitchenBoardTest(unittest.TestCase):
    def setUp(self):
        self.server = serve_for(self)
        self.owner = self.server.token("owner", "u-owner-1")
        self.rid = register_restaurant(self.server)

    def place(self, **over):
        status, _, order = self.server.post("/v1/orders", order_body(self.rid, **over), token=self.owner)
        self.assertEqual(status, 201, order)
        return order["id"]

    def board(self, token=None, query=None):
        return self.server.get(f"/v1/orders/active?{query or 'restaurant_id=' + self.rid}",
                               token=token or self.owner)

    def test_open_orders_newest_first_with_what_the_kitchen_needs(self):
        delivery = self.place()
        two_lines = self.place(fulfillment={"type": "pickup"}, payment={"method": "card"}, notes="",
                               items=[{"sku": "BURGER", "name": "Hamburguesa", "quantity": 1, "unit_price": 1550},
                                      {"sku": "SODA", "name": "Inca Kola", "quantity": 2, "unit_price": 500}])
        done = self.place(fulfillment={"type": "eat_in"}, payment={"method": "card"})
        deleted = self.place(fulfillment={"type": "eat_in"}, payment={"method": "card"})
        self.assertEqual(self.server.post(f"/v1/orders/{two_lines}/status", {"status": "aceptado"},
                                          token=self.owner)[0], 200)
        self.assertEqual(self.server.post(f"/v1/orders/{done}/status", {"status": "cancelled"},
                                          token=self.owner)[0], 200)
        self.assertEqual(self.server.request("DELETE", f"/v1/orders/{deleted}", token=self.owner)[0], 204)

        status, headers, body = self.board()
        self.assertEqual(status, 200, body)
        self.assertEqual(int(headers["Comanda-Position"]), self.server.position())
        self.assertEqual([o["id"] for o in body["orders"]], [two_lines, delivery], "newest first, open only")
        first, second = body["orders"]
        self.assertEqual((first["status"], first["status_code"], first["item_count"], first["address"],
                          first["notes"], first["fulfillment_type"]),
                         ("accepted", 7, 2, "", "", "pickup"))
        self.assertEqual((second["status"], second["item_count"], second["address"], second["notes"]),
                         ("pending", 1, "Calle 1 234", "sin ají"))
        self.assertEqual(second["customer_name"], "Ana Pérez")
        self.assertEqual(second["total"]["amount"], "3900")
        self.assertTrue(second["reference"].startswith("A001-"))
        self.assertIsInstance(second["waiting_s"], int)
        self.assertGreaterEqual(second["waiting_s"], 0)
        # The owner's next steps, and the version to send with one.
        self.assertEqual((first["version"], second["version"]), (2, 1))
        self.assertEqual(first["next_statuses"],
                         ["preparing", "ready", "picked_up_by_customer", "not_picked_up", "cancelled"])
        self.assertEqual(second["next_statuses"][:2], ["rejected", "accepted"], "in rank order")
        self.assertNotIn("driver_assigned", second["next_statuses"])
        status, _, _ = self.server.post(f"/v1/orders/{delivery}/status", {"status": "accepted"}, token=self.owner,
                                        headers={"If-Match": f'"{second["version"]}"'})
        self.assertEqual(status, 200)

        # The same board from curl, and after a restart.
        c_status, _, c_body = self.server.curl("GET", f"/v1/orders/active?restaurant_id={self.rid}",
                                               headers={"Authorization": f"Bearer {self.owner}"})
        self.assertEqual((c_status, [o["id"] for o in c_body["orders"]]), (200, [two_lines, delivery]))
        self.server.restart()
        status, _, again = self.board()
        self.assertEqual([o["id"] for o in again["orders"]], [two_lines, delivery])

    def test_who_may_read_a_board_and_bad_queries(self):
        self.place()
        stranger = self.server.token("owner", "u-owner-2")
        status, _, body = self.board(token=stranger)
        self.assertEqual((status, body["orders"]), (200, []), "another tenant's board is empty")
        for role in ("customer", "driver"):
            self.assertEqual(self.board(token=self.server.token(role, "u-x"))[0], 403, role)
        for query, field in (("", "restaurant_id"), ("restaurant_id=nope", "restaurant_id"),
                             (f"restaurant_id={self.rid}&status=pending", "status")):
            status, _, problem = self.server.get(f"/v1/orders/active?{query}", token=self.owner)
            self.assertEqual((status, problem.get("field")), (400, field), (query, problem))
        status, _, body = self.board(query=f"establishment={self.rid}")  # Canteen's name
        self.assertEqual((status, len(body["orders"])), (200, 1))


if __name__ == "__main__":
    unittest.main()
