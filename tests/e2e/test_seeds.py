"""Each source document's happy path in its own vocabulary, against the
real server (DESIGN.md "Order statuses"): GastroMóvil's estados with a
driver accepting the delivery and marking it delivered; Pedido's four-state
lifecycle in upper case; ordering.co's numeric codes for a delivery and a
pickup. Output is always canonical, with each step's code."""

import unittest

from harness import order_body, register_restaurant, serve_for


class SeedsTest(unittest.TestCase):
    def setUp(self):
        self.server = serve_for(self)
        self.owner = self.server.token("owner", "u-owner-1")
        self.customer = self.server.token("customer", "u-cust-1")

    def place(self, rid, **over):
        status, _, order = self.server.post("/v1/orders", order_body(rid, **over), token=self.owner)
        self.assertEqual(status, 201, order)
        return order["id"]

    def step(self, oid, status, token, expected):
        code, _, order = self.server.post(f"/v1/orders/{oid}/status", {"status": status}, token=token)
        self.assertEqual(code, 200, (status, order))
        self.assertEqual((order["status"], order["status_code"]), expected, status)
        return order

    def test_gastromovil_pendiente_to_entregado_with_a_driver_accepting(self):
        rid = register_restaurant(self.server)
        luis = self.server.token("driver", "u-luis")
        status, _, driver = self.server.post("/v1/drivers", {"name": "Luis"}, token=luis)
        self.assertEqual(status, 201, driver)
        self.assertEqual(self.server.post(f"/v1/drivers/{driver['id']}/location", {"lat": -12.121, "lng": -77.03},
                                          token=luis)[0], 200)
        self.assertEqual(self.server.request("PUT", f"/v1/drivers/{driver['id']}/availability",
                                             {"availability": "available"}, token=luis)[0], 200)
        oid = self.place(rid)
        _, _, order = self.server.get(f"/v1/orders/{oid}", token=self.owner)
        self.assertEqual((order["status"], order["status_code"]), ("pending", 0))
        self.step(oid, "aceptado", self.owner, ("accepted", 7))
        self.step(oid, "preparando", self.owner, ("preparing", 7))
        self.step(oid, "enviado", self.owner, ("awaiting_driver", 22))
        # The driver was offered it and accepts (GastroMóvil's aceptar-entrega).
        status, _, order = self.server.post(f"/v1/orders/{oid}/accept-delivery", token=luis)
        self.assertEqual((status, order["status"], order["driver_id"]), (200, "driver_assigned", driver["id"]), order)
        self.step(oid, "picked_up", luis, ("picked_up", 9))
        self.step(oid, "en_camino", luis, ("on_the_way", 23))
        # marcar-entregado.
        status, _, order = self.server.post(f"/v1/orders/{oid}/delivered", token=luis)
        self.assertEqual((status, order["status"], order["status_code"]), (200, "delivered", 11), order)
        # The customer reads it with the same canonical names.
        _, _, mine = self.server.get(f"/v1/orders/{oid}", token=self.customer)
        self.assertEqual((mine["status"], mine["completed_at"] is not None), ("delivered", True))

    def test_pedido_pendiente_procesando_completado_and_cancelado(self):
        rid = register_restaurant(self.server, series="F001")
        oid = self.place(rid, fulfillment={"type": "eat_in"}, payment={"method": "card"})
        self.step(oid, "PROCESANDO", self.owner, ("preparing", 7))
        order = self.step(oid, "COMPLETADO", self.owner, ("completed", 1))
        self.assertTrue(order["reference"].startswith("F001-"))
        other = self.place(rid, fulfillment={"type": "eat_in"}, payment={"method": "card"})
        self.step(other, "CANCELADO", self.owner, ("cancelled", 2))

    def test_ordering_co_codes_for_a_delivery_and_a_pickup(self):
        rid = register_restaurant(self.server, dispatch={"mode": "none"})  # its own riders
        oid = self.place(rid)
        for code, expected in ((7, ("accepted", 7)), (4, ("ready", 4)), (22, ("awaiting_driver", 22)),
                               (24, ("driver_at_restaurant", 3)), (9, ("picked_up", 9)), (23, ("on_the_way", 23)),
                               (19, ("driver_near_customer", 19)), (11, ("delivered", 11))):
            self.step(oid, code, self.owner, expected)
        pickup = self.place(rid, fulfillment={"type": "pickup"}, payment={"method": "card"})
        self.step(pickup, 7, self.owner, ("accepted", 7))
        self.step(pickup, 4, self.owner, ("ready", 4))
        self.step(pickup, 20, self.customer, ("customer_near_restaurant", 20))
        self.step(pickup, 21, self.customer, ("customer_arrived", 21))
        self.step(pickup, 15, self.owner, ("picked_up_by_customer", 15))
        # A delivery code on a pickup says why it is refused.
        refused = self.place(rid, fulfillment={"type": "pickup"}, payment={"method": "card"})
        status, _, problem = self.server.post(f"/v1/orders/{refused}/status", {"status": 22}, token=self.owner)
        self.assertEqual(status, 409, problem)
        self.assertIn("pickup", problem["detail"])
        # The customer cancels while pending: code 16.
        mine = self.place(rid, fulfillment={"type": "pickup"}, payment={"method": "card"})
        self.step(mine, "cancelled", self.customer, ("cancelled", 16))


if __name__ == "__main__":
    unittest.main()
