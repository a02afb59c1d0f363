"""Menus over HTTP: a restaurant's owner puts a menu, changes its items one by
one (If-Match on the menu's version), and customers' orders are priced from
it; the point of sale may set its own prices. Answers checked with curl and
urllib, not Comanda's own client."""

import unittest

from harness import menu_body, order_body, put_menu, register_restaurant, serve_for

MENU = "/v1/restaurants/{}/menu"
ITEM = "/v1/restaurants/{}/menu/items/{}"


def customer_order(rid, items, **over):
    body = order_body(rid, **over)
    body["items"] = items
    return body


class MenusTest(unittest.TestCase):
    def setUp(self):
        self.server = serve_for(self)
        self.owner = self.server.token("owner", "u-owner-1")
        self.customer = self.server.token("customer", "u-cust-1")
        self.rid = register_restaurant(self.server)

    def menu_call(self, method, path, body=None, version=None, token=None):
        headers = {"If-Match": f'"{version}"'} if version is not None else None
        return self.server.request(method, path, body, headers=headers, token=token or self.owner)

    def order_as_customer(self, items, **over):
        return self.server.post("/v1/orders", customer_order(self.rid, items, **over), token=self.customer)

    # ---- the menu itself ---------------------------------------------------

    def test_a_restaurant_without_a_menu_has_an_empty_one_at_version_0(self):
        status, headers, menu = self.server.get(MENU.format(self.rid), token=self.customer)
        self.assertEqual(status, 200, menu)
        self.assertEqual((menu["version"], menu["items"], menu["updated_at"]), (0, [], None))
        self.assertEqual(headers.get("ETag"), '"0"')

    def test_the_owner_puts_a_menu_that_anyone_signed_in_reads(self):
        status, headers, menu = self.menu_call("PUT", MENU.format(self.rid), menu_body(), version=0)
        self.assertEqual(status, 200, menu)
        self.assertEqual((menu["restaurant_id"], menu["version"], headers.get("ETag")), (self.rid, 1, '"1"'))
        burger = menu["items"][0]
        self.assertEqual(burger["sku"], "BURGER")
        self.assertEqual(burger["price"], {"amount": "1550", "currency": "PEN", "formatted": "S/ 15.50"})
        self.assertEqual(burger["modifiers"][0]["price"]["amount"], "300")
        self.assertEqual(burger["removals"], ["onion", "ketchup"])
        self.assertTrue(burger["available"])
        curl = self.server.curl("GET", MENU.format(self.rid), token=self.server.token("driver", "u-driver-1"))
        self.assertEqual(curl[0], 200)
        self.assertEqual(curl[2], menu)

    def test_who_may_change_a_menu(self):
        other = self.server.token("owner", "u-owner-2")
        status, _, problem = self.menu_call("PUT", MENU.format(self.rid), menu_body(), token=other)
        self.assertEqual((status, problem["detail"]), (404, "no such restaurant"))
        status, _, problem = self.menu_call("PUT", MENU.format(self.rid), menu_body(), token=self.customer)
        self.assertEqual(status, 403, problem)
        status, _, problem = self.menu_call("PUT", MENU.format("01a20000-0000-7000-8000-000000000000"),
                                            menu_body())
        self.assertEqual(status, 404, problem)
        status, _, _ = self.server.request("PUT", MENU.format(self.rid), menu_body())  # admin
        self.assertEqual(status, 200)

    def test_items_are_changed_added_and_removed_one_by_one(self):
        put_menu(self.server, self.rid)
        status, headers, item = self.menu_call("PATCH", ITEM.format(self.rid, "BURGER"), {"price": 1600}, version=1)
        self.assertEqual(status, 200, item)
        self.assertEqual((item["price"]["amount"], item["name"], headers.get("ETag")), ("1600", "Hamburguesa", '"2"'))
        status, _, item = self.menu_call("PATCH", ITEM.format(self.rid, "SODA"), {"available": False})
        self.assertEqual((status, item["available"]), (200, False))
        status, _, item = self.menu_call("PUT", ITEM.format(self.rid, "TEA"), {"name": "Té", "price": 300})
        self.assertEqual((status, item["sku"], item["modifiers"], item["removals"]), (200, "TEA", [], []))
        status, headers, body = self.menu_call("DELETE", ITEM.format(self.rid, "TEA"), version=4)
        self.assertEqual((status, body, headers.get("ETag")), (204, b"", '"5"'))
        status, _, problem = self.menu_call("GET", ITEM.format(self.rid, "TEA"))
        self.assertEqual((status, problem["detail"]), (404, "no such menu item"))
        status, _, problem = self.menu_call("PATCH", ITEM.format(self.rid, "TEA"), {"price": 1})
        self.assertEqual((status, problem["detail"]), (404, "no such menu item"))
        status, _, menu = self.server.get(MENU.format(self.rid))
        self.assertEqual([(i["sku"], i["price"]["amount"], i["available"]) for i in menu["items"]],
                         [("BURGER", "1600", True), ("SODA", "500", False)])
        self.assertEqual(menu["version"], 5)

    def test_a_stale_if_match_is_a_412_and_changes_nothing(self):
        put_menu(self.server, self.rid)
        self.assertEqual(self.menu_call("PATCH", ITEM.format(self.rid, "SODA"), {"price": 600}, version=1)[0], 200)
        status, _, problem = self.menu_call("PATCH", ITEM.format(self.rid, "SODA"), {"price": 700}, version=1)
        self.assertEqual(status, 412, problem)
        self.assertEqual(self.server.get(ITEM.format(self.rid, "SODA"))[2]["price"]["amount"], "600")

    def test_bad_menus_name_their_field(self):
        good = menu_body()["items"][0]
        cases = [
            ({"items": [dict(good, sku="BIG MAC")]}, 400, "items[0].sku"),
            ({"items": [dict(good, price=-5)]}, 400, "items[0].price"),
            ({"items": [dict(good, price="15.50")]}, 400, "items[0].price"),
            ({"items": [{k: v for k, v in good.items() if k != "name"}]}, 400, "items[0].name"),
            ({"items": [good, good]}, 422, "items[1].sku"),
            ({"items": [dict(good, removals=["onion", "Onion"])]}, 422, "items[0].removals[1]"),
            ({"items": [dict(good, removals=["no onion"])]}, 422, "items[0].removals[0]"),
            ({"items": [dict(good, modifiers=[{"name": "No onion"}])]}, 422, "items[0].modifiers[0].name"),
            ({"items": [dict(good, modifiers=[{"name": "Queso", "precio": 1}])]}, 400, "items[0].modifiers[0].precio"),
            ({"items": [dict(good, avaliable=False)]}, 400, "items[0].avaliable"),
            ({"items": [dict(good, removals=["on\u0007ion"])]}, 400, "items[0].removals[0]"),
            ({"itmes": []}, 400, "itmes"),
        ]
        for body, status, field in cases:
            with self.subTest(field=field):
                got, _, problem = self.menu_call("PUT", MENU.format(self.rid), body)
                self.assertEqual((got, problem.get("field")), (status, field), problem)
        for path, body, status, field in [
            (ITEM.format(self.rid, "BURGER"), {"sku": "OTHER", "name": "x", "price": 1}, 422, "sku"),
            (ITEM.format(self.rid, "BAD%20SKU"), {"name": "x", "price": 1}, 400, "sku"),
        ]:
            with self.subTest(path=path):
                got, _, problem = self.menu_call("PUT", path, body)
                self.assertEqual((got, problem.get("field")), (status, field), problem)
        self.assertEqual(self.server.get(MENU.format(self.rid))[2]["version"], 0)

    def test_the_menu_survives_a_restart(self):
        put_menu(self.server, self.rid)
        self.menu_call("PATCH", ITEM.format(self.rid, "SODA"), {"available": False})
        before = self.server.get(MENU.format(self.rid))[2]
        self.server.restart()
        self.assertEqual(self.server.get(MENU.format(self.rid))[2], before)
        status, _, problem = self.order_as_customer([{"sku": "SODA", "quantity": 1}])
        self.assertEqual((status, problem.get("field")), (422, "items[0].sku"), problem)

    # ---- orders priced from it ----------------------------------------------

    def test_a_customers_order_is_priced_from_the_menu(self):
        put_menu(self.server, self.rid)
        status, _, order = self.order_as_customer(
            [{"sku": "BURGER", "quantity": 2, "modifiers": [{"name": "no ONION"}, {"name": "Extra cheese"}]},
             {"sku": "SODA", "quantity": 1}],
            payment={"method": "card"}, tip=0)
        self.assertEqual(status, 201, order)
        burger, soda = order["items"]
        self.assertEqual((burger["name"], burger["unit_price"]["amount"], burger["price_source"]),
                         ("Hamburguesa", "1550", "menu"))
        self.assertEqual([(m["name"], m["price"]["amount"], m["removal"]) for m in burger["modifiers"]],
                         [("No onion", "0", True), ("Extra cheese", "300", False)])
        self.assertEqual(burger["line_total"]["amount"], "3700")
        self.assertEqual(soda["line_total"]["amount"], "500")
        self.assertEqual(order["total"]["amount"], "4200")

    def test_what_the_menu_does_not_sell_is_refused_naming_the_field(self):
        put_menu(self.server, self.rid)
        self.menu_call("PATCH", ITEM.format(self.rid, "SODA"), {"available": False})
        cases = [
            ([{"sku": "PIZZA", "quantity": 1}], "items[0].sku"),
            ([{"sku": "SODA", "quantity": 1}], "items[0].sku"),  # sold out
            ([{"sku": "BURGER", "quantity": 1, "unit_price": 1000}], "items[0].unit_price"),
            ([{"sku": "BURGER", "quantity": 1, "modifiers": [{"name": "Extra bacon"}]}], "items[0].modifiers[0].name"),
            ([{"sku": "BURGER", "quantity": 1, "modifiers": [{"name": "No tomato"}]}], "items[0].modifiers[0].name"),
            ([{"sku": "BURGER", "quantity": 1, "modifiers": [{"name": "Extra cheese", "price": 1}]}],
             "items[0].modifiers[0].price"),
            ([{"name": "Lomo saltado", "quantity": 1, "unit_price": 3200}], "items[0].sku"),  # customers name skus
        ]
        position = self.server.position()
        for items, field in cases:
            with self.subTest(field=field, items=items):
                status, _, problem = self.order_as_customer(items)
                self.assertEqual((status, problem.get("field")), (422, field), problem)
        self.assertEqual(self.server.position(), position)  # nothing written

    def test_the_point_of_sale_may_set_its_own_prices(self):
        put_menu(self.server, self.rid)
        status, _, order = self.server.post("/v1/orders", customer_order(self.rid, [
            {"sku": "BURGER", "quantity": 1, "unit_price": 1200, "modifiers": [{"name": "Extra cheese"}]},
            {"name": "Chicha morada (jarra)", "quantity": 1, "unit_price": 1800},
            {"sku": "SODA", "quantity": 1}], payment={"method": "card"}, tip=0), token=self.owner)
        self.assertEqual(status, 201, order)
        burger, chicha, soda = order["items"]
        self.assertEqual((burger["unit_price"]["amount"], burger["price_source"], burger["name"]),
                         ("1200", "given", "Hamburguesa"))
        self.assertEqual(burger["modifiers"][0]["price"]["amount"], "300")  # the menu's, as none was sent
        self.assertEqual((chicha["sku"], chicha["price_source"]), ("", "given"))
        self.assertEqual((soda["unit_price"]["amount"], soda["price_source"]), ("500", "menu"))
        self.assertEqual(order["total"]["amount"], str(1500 + 1800 + 500))

    def test_a_customer_of_a_restaurant_without_a_menu_is_told_so(self):
        status, _, problem = self.order_as_customer([{"sku": "BURGER", "quantity": 1}])
        self.assertEqual((status, problem.get("field")), (422, "items[0].sku"), problem)
        self.assertIn("not on the restaurant's menu", problem["detail"])


if __name__ == "__main__":
    unittest.main()
