"""Customer accounts and credit over HTTP (Canteen): accounts belong to
restaurants, a parent (guardian) pays for a child, an order paid with credit
is debited in its own batch and refunded when cancelled, the order shows the
customer's class and parent; concurrent credit orders against one balance
never take it below zero, and every movement is in the log."""

import concurrent.futures
import unittest

from harness import cli, order_body, put_menu, register_restaurant, serve_for


def credit_order(rid, customer, burgers=1):
    body = order_body(rid, fulfillment={"type": "pickup"}, payment={"method": "credit"}, tip=0)
    body["customer"] = {"id": customer, "name": customer}
    body["items"] = [{"sku": "BURGER", "quantity": burgers}]
    return body


class CreditTest(unittest.TestCase):
    def setUp(self):
        self.server = serve_for(self)
        self.owner = self.server.token("owner", "u-owner-1")
        self.rid = register_restaurant(self.server)
        put_menu(self.server, self.rid)
        self.parent = self.register({"user_id": "u-mama", "name": "Rosa Pérez", "email": "rosa@example.pe",
                                     "phone": "+51 999 111 222"})
        self.child = self.register({"user_id": "u-nino", "name": "Tito Pérez", "class": "3B",
                                    "parent_id": self.parent["id"]})

    def register(self, body, token=None, status=201):
        body = dict(body, restaurant_ids=body.get("restaurant_ids", [self.rid]))
        got, headers, account = self.server.post("/v1/customers", body, token=token or self.owner)
        self.assertEqual(got, status, account)
        if status == 201:
            self.assertEqual(headers.get("Location"), f"/v1/customers/{account['id']}")
        return account

    def credit(self, account_id, amount, reason=None, token=None):
        body = {"amount": amount, "currency": "PEN"}
        if reason:
            body["reason"] = reason
        return self.server.post(f"/v1/customers/{account_id}/credit", body, token=token or self.owner)

    def balance(self, account_id):
        account = self.server.get(f"/v1/customers/{account_id}")[2]
        return int(account["credit"][0]["amount"]) if account["credit"] else 0

    def test_an_account_shows_its_parent_and_credit(self):
        status, _, account = self.credit(self.parent["id"], 10000, "recarga de marzo")
        self.assertEqual(status, 200, account)
        self.assertEqual(account["credit"], [{"amount": "10000", "currency": "PEN", "formatted": "S/ 100.00"}])
        child = self.server.get(f"/v1/customers/{self.child['id']}")[2]
        self.assertEqual((child["class"], child["parent"]["name"], child["parent"]["credit"][0]["amount"]),
                         ("3B", "Rosa Pérez", "10000"))

    def test_who_sees_an_account(self):
        path = f"/v1/customers/{self.child['id']}"
        for who, sub, status in [("owner", "u-owner-1", 200), ("owner", "u-owner-2", 404),
                                 ("customer", "u-nino", 200), ("customer", "u-mama", 200),
                                 ("customer", "u-otro", 404), ("driver", "u-driver-1", 404)]:
            with self.subTest(who=who, sub=sub):
                self.assertEqual(self.server.get(path, token=self.server.token(who, sub))[0], status)

    def test_bad_registrations_and_changes_name_their_field(self):
        other = register_restaurant(self.server, owners=["u-owner-2"], series="B002")
        self.assertEqual(self.register({"user_id": "u-x", "name": "X", "restaurant_ids": [other]},
                                       status=404)["field"], "restaurant_ids[0]")
        self.assertEqual(self.register({"user_id": "u-nino", "name": "Otra"}, status=409)["field"], "user_id")
        self.assertEqual(self.register({"user_id": "u-x", "name": "X", "parent_id": self.child["id"]},
                                       status=422)["field"], "parent_id")
        self.assertEqual(self.register({"user_id": "u-x", "name": "X", "clase": "4A"}, status=400)["field"], "clase")
        self.register({"user_id": "u-x", "name": "X"}, token=self.server.token("customer", "u-x"), status=403)
        status, _, problem = self.credit(self.parent["id"], -1)
        self.assertEqual((status, problem["field"]), (422, "amount"))  # never below zero
        status, _, problem = self.credit(self.parent["id"], 0)
        self.assertEqual((status, problem["field"]), (400, "amount"))
        status, _, problem = self.credit(self.parent["id"], 100, token=self.server.token("owner", "u-owner-2"))
        self.assertEqual(status, 404, problem)

    def test_a_credit_order_is_paid_by_the_parent_and_refunded_when_cancelled(self):
        self.credit(self.parent["id"], 5000)
        nino = self.server.token("customer", "u-nino")
        status, _, order = self.server.post("/v1/orders", credit_order(self.rid, "u-nino", 2), token=nino)
        self.assertEqual(status, 201, order)
        self.assertEqual(order["payment"]["account_id"], self.parent["id"])
        self.assertEqual((order["customer"]["class"], order["customer"]["parent"]["name"]), ("3B", "Rosa Pérez"))
        self.assertEqual(order["customer"]["parent"]["credit"][0]["amount"], "1900")
        self.assertEqual(self.balance(self.parent["id"]), 1900)
        status, _, problem = self.server.post("/v1/orders", credit_order(self.rid, "u-nino", 2), token=nino)
        self.assertEqual((status, problem["field"]), (422, "payment.method"), problem)
        status, _, cancelled = self.server.post(f"/v1/orders/{order['id']}/status", {"status": "cancelled"},
                                                token=nino)
        self.assertEqual(status, 200, cancelled)
        self.assertEqual(self.balance(self.parent["id"]), 5000)

    def test_concurrent_credit_orders_never_overdraw(self):
        self.credit(self.parent["id"], 10000)
        nino = self.server.token("customer", "u-nino")

        def place(_):
            return self.server.post("/v1/orders", credit_order(self.rid, "u-nino"), token=nino)[0]

        with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
            statuses = list(pool.map(place, range(20)))
        # 10000 covers six orders of 15.50, not a seventh.
        self.assertEqual(sorted(statuses), [201] * 6 + [422] * 14)
        self.assertEqual(self.balance(self.parent["id"]), 10000 - 6 * 1550)
        # Every movement is in the log, on the account's stream.
        history = cli("history", self.parent["id"], "--data", self.server.data_dir)
        self.assertEqual(history.returncode, 0, history.stderr)
        events = [line.split()[5] for line in history.stdout.splitlines()[1:]]
        self.assertEqual(events, ["customer_registered", "credit_topped_up"] + ["credit_debited"] * 6)


if __name__ == "__main__":
    unittest.main()
