"""Tenancy (docs/api.md, "Who may do what"): every role against its own and
the other tenants' restaurants and orders, over HTTP and WebSocket, against
the real server.

The cast: admin; owner1 (u-owner-1) owns R1, owner2 (u-owner-2) owns R2;
cust1 (u-cust-1) has O1 at R1, cust2 (u-cust-2) has O2 at R2; driver1."""

import asyncio
import json
import time
import unittest
import uuid

import jwt  # PyJWT

import harness
from harness import (ADMIN_SUB, content_type as ctype, history_actors, in_thread, make_token, menu_body, order_body, put_menu, recv_json,
                     restaurant_body, serve_for, subscribe, ws_connect)

SUBJECTS = {"admin": ("admin", ADMIN_SUB), "owner1": ("owner", "u-owner-1"), "owner2": ("owner", "u-owner-2"),
            "cust1": ("customer", "u-cust-1"), "cust2": ("customer", "u-cust-2"),
            "driver1": ("driver", "u-driver-1")}
PRINCIPALS = list(SUBJECTS)

AUTH_TIMEOUT = 10.0     # bound on waiting for the server's 5-second first-message deadline


def absent_id():
    """A well-formed id (UUIDv7 shape) that names nothing on the server."""
    u = uuid.uuid4()
    return str(uuid.UUID(int=(u.int & ~(0xF << 76)) | (0x7 << 76)))


def start_server_with_tokens(test):
    """A fresh server for `test`, and a token for each of SUBJECTS."""
    test.server = serve_for(test)
    test.tokens = {name: test.server.token(role, sub) for name, (role, sub) in SUBJECTS.items()}
    test.tokens["admin"] = test.server.admin_token


class TenancyBase(unittest.TestCase):
    def setUp(self):
        start_server_with_tokens(self)
        self.r1 = self.register("admin", owners=["u-owner-1"], name="Sede 1", series="A001")
        self.r2 = self.register("admin", owners=["u-owner-2"], name="Sede 2", series="B002")
        self.o1 = self.place("admin", self.r1, "u-cust-1")
        self.o2 = self.place("admin", self.r2, "u-cust-2")

    # ---- requests as a principal --------------------------------------------

    def call(self, who, method, path, body=None, raw=False, headers=None):
        return self.server.request(method, path, body, token=self.tokens[who], raw=raw, headers=headers)

    def register(self, who, **over):
        status, _, body = self.call(who, "POST", "/v1/restaurants", restaurant_body(**over))
        self.assertEqual(status, 201, f"{who} registering a restaurant: {body}")
        put_menu(self.server, body["id"])  # customers order from it
        return body["id"]

    def place(self, who, rid, customer, **over):
        body = order_body(rid, **over)
        body["customer"]["id"] = customer
        status, _, order = self.call(who, "POST", "/v1/orders", body)
        self.assertEqual(status, 201, f"{who} placing an order for {customer}: {order}")
        return order["id"]

    def set_status(self, who, oid, status, raw=False):
        return self.call(who, "POST", f"/v1/orders/{oid}/status", {"status": status}, raw=raw)

    def order_as_admin(self, oid):
        status, _, order = self.call("admin", "GET", f"/v1/orders/{oid}")
        self.assertEqual(status, 200, order)
        return order

    def list_ids(self, who, query=""):
        status, _, body = self.call(who, "GET", "/v1/orders" + (f"?{query}" if query else ""))
        self.assertEqual(status, 200, f"{who} listing {query!r}: {body}")
        self.assertIsNone(body["next_cursor"])
        return [o["id"] for o in body["orders"]]

    # ---- assertions -----------------------------------------------------------

    def assert_problem(self, response, status, field=None, what=""):
        code, headers, body = response
        self.assertEqual(code, status, f"{what}: {body}")
        self.assertEqual(ctype(headers), "application/problem+json", what)
        self.assertEqual(body.get("status"), status, f"{what}: {body}")
        if field is not None:
            self.assertEqual(body.get("field"), field, f"{what}: {body}")
            self.assertIn(field, body.get("detail", ""), f"{what}: the detail must name {field}")
        return body

    def assert_same_answer(self, hidden, absent, what):
        """A hidden object's answer equals an absent one's: status, content
        type, body bytes."""
        (s1, h1, b1), (s2, h2, b2) = hidden, absent
        self.assertEqual(s2, 404, f"{what}: the absent object's answer: {b2!r}")
        self.assertEqual((s1, ctype(h1), b1), (s2, ctype(h2), b2),
                         f"{what}: must be indistinguishable from an absent one")

    def assert_nothing_written(self, position, what):
        self.assertEqual(self.server.position(), position, f"{what}: a refusal must write nothing")


class HttpTenancyTest(TenancyBase):
    # Who sees which of O1 and O2 (docs/api.md: admin all; owners their
    # restaurants' orders; customers the orders placed for them; drivers none).
    SEES = {"admin": {"O1", "O2"}, "owner1": {"O1"}, "owner2": {"O2"}, "cust1": {"O1"}, "cust2": {"O2"},
            "driver1": set()}

    def oid(self, name):
        return {"O1": self.o1, "O2": self.o2}[name]

    def test_get_order(self):
        for who in PRINCIPALS:
            absent = self.call(who, "GET", f"/v1/orders/{absent_id()}", raw=True)
            for name in ("O1", "O2"):
                with self.subTest(who=who, order=name):
                    response = self.call(who, "GET", f"/v1/orders/{self.oid(name)}", raw=True)
                    if name in self.SEES[who]:
                        status, _, body = response
                        self.assertEqual(status, 200, body)
                        self.assertEqual(json.loads(body)["id"], self.oid(name))
                    else:
                        self.assert_same_answer(response, absent, f"{who} GET {name}")

    def test_list_orders(self):
        newest_first = {"O1": 0, "O2": 1}
        for who in PRINCIPALS:
            with self.subTest(who=who, query="all"):
                expected = sorted(self.SEES[who], key=lambda n: -newest_first[n])
                self.assertEqual(self.list_ids(who), [self.oid(n) for n in expected])
            for rname, rid, oname in (("R1", self.r1, "O1"), ("R2", self.r2, "O2")):
                with self.subTest(who=who, query=f"restaurant_id={rname}"):
                    expected = [self.oid(oname)] if oname in self.SEES[who] else []
                    self.assertEqual(self.list_ids(who, f"restaurant_id={rid}"), expected)
                    self.assertEqual(self.list_ids(who, f"establishment={rid}"), expected)
                    self.assertEqual(self.list_ids(who, f"restaurant_id={rid}&status=active"), expected)
            with self.subTest(who=who, query="an absent restaurant"):
                self.assertEqual(self.list_ids(who, f"restaurant_id={absent_id()}"), [])

    def test_another_tenants_restaurant_filter_is_answered_like_an_absent_one(self):
        for who, other in (("owner1", self.r2), ("owner2", self.r1)):
            with self.subTest(who=who):
                hidden = self.call(who, "GET", f"/v1/orders?restaurant_id={other}", raw=True)
                absent = self.call(who, "GET", f"/v1/orders?restaurant_id={absent_id()}", raw=True)
                self.assertEqual((hidden[0], ctype(hidden[1]), hidden[2]), (absent[0], ctype(absent[1]), absent[2]))
                self.assertEqual(json.loads(hidden[2]), {"orders": [], "next_cursor": None})

    def test_status_change_on_a_hidden_order_is_answered_like_an_absent_one(self):
        for who in PRINCIPALS:
            for name in ("O1", "O2"):
                if name in self.SEES[who]:
                    continue
                for status in ("accepted", "cancelled", "customer_arrived"):
                    with self.subTest(who=who, order=name, status=status):
                        position = self.server.position()
                        hidden = self.set_status(who, self.oid(name), status, raw=True)
                        absent = self.set_status(who, absent_id(), status, raw=True)
                        self.assert_same_answer(hidden, absent, f"{who} sets {name} {status}")
                        self.assert_nothing_written(position, f"{who} sets {name} {status}")
        for name in ("O1", "O2"):
            order = self.order_as_admin(self.oid(name))
            self.assertEqual((order["status"], order["version"]), ("pending", 1), name)

    def test_status_changes_each_role_may_make(self):
        # The owners accept their own orders; the admin any.
        for who, name in (("owner1", "O1"), ("owner2", "O2")):
            with self.subTest(who=who):
                status, _, body = self.set_status(who, self.oid(name), "accepted")
                self.assertEqual((status, body.get("status")), (200, "accepted"), body)
        extra = self.place("admin", self.r1, "u-cust-2")
        status, _, body = self.set_status("admin", extra, "accepted")
        self.assertEqual((status, body.get("status")), (200, "accepted"), body)
        # An owner makes the driver's steps while no driver is assigned.
        for step in ("ready", "awaiting_driver", "picked_up", "on_the_way", "delivered"):
            with self.subTest(owner_step=step):
                status, _, body = self.set_status("owner1", self.o1, step)
                self.assertEqual((status, body.get("status")), (200, step), body)

    def test_customer_may_cancel_only_while_pending(self):
        position = self.server.position()
        # A customer never accepts: 403, nothing written.
        for step in ("accepted", "aceptado", "ready", "delivered"):
            with self.subTest(customer_step=step):
                self.assert_problem(self.set_status("cust1", self.o1, step), 403, field="status",
                                    what=f"cust1 sets O1 {step}")
                self.assert_nothing_written(position, f"cust1 sets O1 {step}")
        self.assertEqual(self.order_as_admin(self.o1)["status"], "pending")

        # Their own pending order: cancelled, status code 16 (by the customer).
        status, _, body = self.set_status("cust1", self.o1, "cancelled")
        self.assertEqual(status, 200, body)
        self.assertEqual((body["status"], body["status_code"]), ("cancelled", 16))
        self.assertEqual(self.order_as_admin(self.o1)["status_code"], 16)

        # Once accepted, no more: 409, nothing written.
        status, _, body = self.set_status("owner2", self.o2, "accepted")
        self.assertEqual(status, 200, body)
        position = self.server.position()
        self.assert_problem(self.set_status("cust2", self.o2, "cancelled"), 409, field="status",
                            what="cust2 cancels an accepted O2")
        self.assert_nothing_written(position, "cust2 cancels an accepted O2")
        self.assertEqual(self.order_as_admin(self.o2)["status"], "accepted")

    def test_customer_steps_at_the_counter(self):
        pickup = self.place("cust1", self.r1, "u-cust-1", fulfillment={"type": "pickup"},
                            payment={"method": "card"}, tip=0)
        for step in ("customer_near_restaurant", "customer_arrived"):
            with self.subTest(step=step):
                status, _, body = self.set_status("cust1", pickup, step)
                self.assertEqual((status, body.get("status")), (200, step), body)
        # But handing it over is the restaurant's step.
        self.assert_problem(self.set_status("cust1", pickup, "picked_up_by_customer"), 403, field="status")

    def test_too_late_to_cancel_lists_the_steps_the_customer_could_take(self):
        # docs/api.md: a status the role sets, but not from the current
        # status, answers 409 "with the steps it could take" (`allowed`).
        other = self.place("cust1", self.r1, "u-cust-1", fulfillment={"type": "pickup"},
                           payment={"method": "card"}, tip=0)
        self.assertEqual(self.set_status("owner1", other, "accepted")[0], 200)
        position = self.server.position()
        problem = self.assert_problem(self.set_status("cust1", other, "cancelled"), 409, field="status")
        self.assert_nothing_written(position, "cust1 cancels an accepted pickup order")
        self.assertEqual(set(problem.get("allowed", [])), {"customer_near_restaurant", "customer_arrived"},
                         problem)

    def test_place_order(self):
        def attempt(who, rid, customer):
            body = order_body(rid)
            body["customer"]["id"] = customer
            return self.call(who, "POST", "/v1/orders", body, raw=True)

        allowed = [("admin", self.r1, "u-cust-1"), ("admin", self.r2, "u-cust-9"),
                   ("owner1", self.r1, "u-cust-2"), ("owner2", self.r2, "u-cust-1"),
                   ("cust1", self.r1, "u-cust-1"), ("cust1", self.r2, "u-cust-1"),
                   ("cust2", self.r1, "u-cust-2")]
        for who, rid, customer in allowed:
            with self.subTest(who=who, rid=rid, customer=customer):
                status, _, body = attempt(who, rid, customer)
                self.assertEqual(status, 201, body)
                placed = json.loads(body)
                self.assertEqual((placed["restaurant_id"], placed["customer"]["id"]), (rid, customer))
                # The one who placed it and the customer both see it.
                self.assertEqual(self.call(who, "GET", f"/v1/orders/{placed['id']}")[0], 200)

        # An owner at the other owner's restaurant: 404 naming restaurant_id,
        # exactly as for an absent restaurant.
        for who, other in (("owner1", self.r2), ("owner2", self.r1)):
            with self.subTest(who=who, case="another owner's restaurant"):
                position = self.server.position()
                hidden = attempt(who, other, "u-cust-1")
                absent = attempt(who, absent_id(), "u-cust-1")
                self.assert_same_answer(hidden, absent, f"{who} orders at another's restaurant")
                self.assertEqual(json.loads(hidden[2]).get("field"), "restaurant_id", hidden[2])
                self.assertIn("restaurant_id", json.loads(hidden[2]).get("detail", ""))
                self.assert_nothing_written(position, f"{who} orders at another's restaurant")

        # A customer ordering for someone else: 403 naming customer.id.
        for who, rid, customer in (("cust1", self.r1, "u-cust-2"), ("cust2", self.r2, "u-cust-1"),
                                   ("cust1", self.r2, "u-owner-2")):
            with self.subTest(who=who, customer=customer):
                position = self.server.position()
                status, headers, body = attempt(who, rid, customer)
                self.assert_problem((status, headers, json.loads(body)), 403, field="customer.id",
                                    what=f"{who} orders for {customer}")
                self.assert_nothing_written(position, f"{who} orders for {customer}")

        # A driver places no orders.
        for rid in (self.r1, self.r2):
            with self.subTest(who="driver1", rid=rid):
                position = self.server.position()
                status, headers, body = attempt("driver1", rid, "u-driver-1")
                self.assert_problem((status, headers, json.loads(body)), 403, what="driver1 orders")
                self.assert_nothing_written(position, "driver1 orders")

    def test_register_restaurant(self):
        # The admin registers for anyone; the owners list is taken as given.
        status, _, body = self.call("admin", "POST", "/v1/restaurants", restaurant_body(owners=["u-owner-3"]))
        self.assertEqual((status, body.get("owners")), (201, ["u-owner-3"]), body)

        # An owner becomes an owner of what they register, listed or not.
        for owners in ([], ["u-owner-2"], None):
            with self.subTest(owners=owners):
                over = {"name": "Sede Nueva"}
                req = restaurant_body(**over)
                if owners is None:
                    del req["owners"]
                else:
                    req["owners"] = owners
                status, _, body = self.call("owner1", "POST", "/v1/restaurants", req)
                self.assertEqual(status, 201, body)
                self.assertIn("u-owner-1", body["owners"])
                for listed in owners or []:
                    self.assertIn(listed, body["owners"])
                # ...and so may take orders there, and sees them.
                oid = self.place("owner1", body["id"], "u-cust-1")
                self.assertEqual(self.list_ids("owner1", f"restaurant_id={body['id']}"), [oid])
        # Listed or not, registering twice as owner does not duplicate them.
        status, _, body = self.call("owner1", "POST", "/v1/restaurants", restaurant_body(owners=["u-owner-1"]))
        self.assertEqual((status, body.get("owners")), (201, ["u-owner-1"]), body)

        # Customers and drivers may not.
        for who in ("cust1", "driver1"):
            with self.subTest(who=who):
                position = self.server.position()
                self.assert_problem(self.call(who, "POST", "/v1/restaurants", restaurant_body()), 403,
                                    what=f"{who} registers a restaurant")
                self.assert_nothing_written(position, f"{who} registers a restaurant")

    def test_the_role_matters_not_just_the_subject(self):
        # Authority is the data's, but for the token's role: u-owner-1 as a
        # customer is not R1's owner, and u-cust-1 as an owner is not O1's customer.
        as_customer = self.server.token("customer", "u-owner-1")
        as_owner = self.server.token("owner", "u-cust-1")
        for token, what in ((as_customer, "u-owner-1 as a customer"), (as_owner, "u-cust-1 as an owner")):
            with self.subTest(who=what):
                hidden = self.server.get(f"/v1/orders/{self.o1}", token=token, raw=True)
                absent = self.server.get(f"/v1/orders/{absent_id()}", token=token, raw=True)
                self.assert_same_answer(hidden, absent, what)
                status, _, listing = self.server.get("/v1/orders", token=token)
                self.assertEqual((status, listing["orders"]), (200, []), what)
        position = self.server.position()
        self.assert_problem(self.server.post(f"/v1/orders/{self.o1}/status", {"status": "accepted"},
                                             token=as_customer), 404, what="u-owner-1 as a customer accepts O1")
        self.assert_nothing_written(position, "u-owner-1 as a customer accepts O1")

    def test_history_shows_each_events_actor(self):
        oid = self.place("cust1", self.r1, "u-cust-1")
        steps = [("owner1", "accepted"), ("admin", "ready"), ("owner1", "awaiting_driver")]
        for who, step in steps:
            status, _, body = self.set_status(who, oid, step)
            self.assertEqual(status, 200, body)
        self.assertEqual(history_actors(self.server.data_dir, oid),
                         [(1, "customer:u-cust-1", "order_placed"),
                          (2, "owner:u-owner-1", "order_status_changed"),
                          (3, f"admin:{ADMIN_SUB}", "order_status_changed"),
                          (4, "owner:u-owner-1", "order_status_changed"),
                          # No driver in range: the engine records that the order waits.
                          (5, "engine:engine", "dispatch_waiting")])
        cancelled = self.place("owner2", self.r2, "u-cust-2")
        status, _, body = self.set_status("cust2", cancelled, "cancelado")
        self.assertEqual(status, 200, body)
        self.assertEqual(history_actors(self.server.data_dir, cancelled),
                         [(1, "owner:u-owner-2", "order_placed"),
                          (2, "customer:u-cust-2", "order_status_changed")])


# ---- WebSocket --------------------------------------------------------------------------



class WebSocketTenancyTest(unittest.IsolatedAsyncioTestCase):
    def setUp(self):
        start_server_with_tokens(self)

    async def asyncSetUp(self):
        self.sockets = []

    async def asyncTearDown(self):
        for ws in self.sockets:
            await asyncio.wait_for(ws.close(), 10)

    async def open(self, token=harness.DEFAULT):
        ws = await ws_connect(self.server, token=token)
        self.sockets.append(ws)
        return ws

    async def post(self, who, path, body, method="POST"):
        status, headers, answer = await in_thread(self.server.request, method, path, body, token=self.tokens[who])
        self.assertLess(status, 300, f"{who} {method} {path}: {answer}")
        return int(headers["Comanda-Position"]), answer

    async def test_each_socket_streams_exactly_what_its_principal_may_see(self):
        watchers = ["admin", "owner1", "owner2", "cust1", "cust2"]
        sockets = {}
        for who in watchers + ["driver1"]:
            ws = await self.open(self.tokens[who])
            role, sub = SUBJECTS[who]
            hello = await recv_json(ws)
            self.assertEqual(hello, {"type": "authenticated", "subject": sub, "role": role}, who)
            self.assertEqual((await subscribe(ws, "events"))["type"], "subscribed", who)
            sockets[who] = ws

        # (position, stream, event type, actor, who may see it) per docs/api.md.
        produced = []

        async def produce(who, path, body, stream_of, etype, visible, method="POST"):
            position, answer = await self.post(who, path, body, method)
            role, sub = SUBJECTS[who]
            produced.append((position, stream_of(answer), etype, {"id": sub, "role": role}, set(visible)))
            return answer

        def order_for(rid, customer, **over):
            body = order_body(rid, **over)
            body["customer"]["id"] = customer
            return body

        the_id = lambda answer: answer["id"]  # noqa: E731
        r1 = (await produce("admin", "/v1/restaurants", restaurant_body(owners=["u-owner-1"]), the_id,
                            "restaurant_registered", {"admin", "owner1"}))["id"]
        r2 = (await produce("admin", "/v1/restaurants", restaurant_body(owners=["u-owner-2"], series="B002"),
                            the_id, "restaurant_registered", {"admin", "owner2"}))["id"]
        # Customers order from menus; a menu's events are its restaurant's
        # owners' (its stream is not one clients name: None).
        await produce("owner1", f"/v1/restaurants/{r1}/menu", menu_body(), lambda _: None,
                      "menu_replaced", {"admin", "owner1"}, method="PUT")
        await produce("owner2", f"/v1/restaurants/{r2}/menu", menu_body(), lambda _: None,
                      "menu_replaced", {"admin", "owner2"}, method="PUT")
        o1 = (await produce("owner1", "/v1/orders", order_for(r1, "u-cust-1"), the_id, "order_placed",
                            {"admin", "owner1", "cust1"}))["id"]
        o2 = (await produce("cust2", "/v1/orders", order_for(r2, "u-cust-2"), the_id, "order_placed",
                            {"admin", "owner2", "cust2"}))["id"]
        await produce("owner1", f"/v1/orders/{o1}/status", {"status": "accepted"}, lambda _: o1,
                      "order_status_changed", {"admin", "owner1", "cust1"})
        await produce("owner2", f"/v1/orders/{o2}/status", {"status": "accepted"}, lambda _: o2,
                      "order_status_changed", {"admin", "owner2", "cust2"})
        # cust1 orders at R2 too: owner2 sees it, owner1 does not.
        o3 = (await produce("cust1", "/v1/orders", order_for(r2, "u-cust-1"), the_id, "order_placed",
                            {"admin", "owner2", "cust1"}))["id"]
        await produce("cust1", f"/v1/orders/{o3}/status", {"status": "cancelled"}, lambda _: o3,
                      "order_status_changed", {"admin", "owner2", "cust1"})
        await produce("admin", f"/v1/orders/{o1}/status", {"status": "ready"}, lambda _: o1,
                      "order_status_changed", {"admin", "owner1", "cust1"})

        # For each socket in turn: the events it may see arrive, in log
        # order; then one more event it may see is the very next message, so
        # that nothing it may not see slipped in.
        finals = {"owner1": ("owner1", "/v1/orders", lambda: order_for(r1, "u-cust-7"), {"admin", "owner1"}),
                  "owner2": ("owner2", "/v1/orders", lambda: order_for(r2, "u-cust-8"), {"admin", "owner2"}),
                  "cust1": ("cust1", "/v1/orders", lambda: order_for(r1, "u-cust-1"), {"admin", "owner1", "cust1"}),
                  "cust2": ("cust2", "/v1/orders", lambda: order_for(r1, "u-cust-2"), {"admin", "owner1", "cust2"}),
                  "admin": ("admin", "/v1/restaurants", lambda: restaurant_body(owners=[], series="C003"),
                            {"admin"})}
        received = {who: [] for who in watchers}
        for who in watchers:
            ws = sockets[who]
            expected = [p for p in produced if who in p[4]]
            while len(received[who]) < len(expected):
                received[who].append(await recv_json(ws))
            with self.subTest(socket=who):
                self.assertEqual([(m["type"], m["position"]) for m in received[who]],
                                 [("event", p[0]) for p in expected], f"{who} received the wrong events")
                for m, (position, stream, etype, actor, _) in zip(received[who], expected):
                    self.assertEqual((m["event"]["stream"], m["event"]["type"], m["event"]["actor"]),
                                     (stream or m["event"]["stream"], etype, actor), f"{who}: event at {position}")
                    if etype == "menu_replaced":  # prices in the restaurant's currency
                        self.assertEqual(m["event"]["data"]["items"][0]["price"]["formatted"], "S/ 15.50")
            actor, path, body, visible = finals[who]
            etype = "restaurant_registered" if path == "/v1/restaurants" else "order_placed"
            answer = await produce(actor, path, body(), the_id, etype, visible)
            m = await recv_json(ws)
            received[who].append(m)
            self.assertEqual((m["type"], m["position"], m["event"]["stream"]),
                             ("event", produced[-1][0], answer["id"]),
                             f"{who}: the next message after what it may see must be its next visible event")

        # The driver may see nothing yet: the first thing it gets is the
        # answer to a message it sends now (events reach a socket in order).
        await sockets["driver1"].send(json.dumps({"type": "ping"}))
        m = await recv_json(sockets["driver1"])
        self.assertEqual(m.get("type"), "error", f"driver1 must have received no event: {m}")

    async def test_first_message_auth(self):
        ws = await self.open(token=None)
        await ws.send(json.dumps({"type": "auth", "token": self.tokens["cust1"]}))
        hello = await recv_json(ws)
        self.assertEqual(hello, {"type": "authenticated", "subject": "u-cust-1", "role": "customer"})
        self.assertEqual((await subscribe(ws, "events"))["type"], "subscribed")

        # It streams what cust1 may see, and not what it may not.
        rid = await in_thread(harness.register_restaurant, self.server)
        status, headers, other = await in_thread(self.server.post, "/v1/orders", order_body(rid),
                                                 token=self.tokens["admin"])
        self.assertEqual(status, 201, other)  # order_body's customer is u-cust-1
        m = await recv_json(ws)
        self.assertEqual((m["type"], m["position"], m["event"]["stream"]),
                         ("event", int(headers["Comanda-Position"]), other["id"]),
                         "the restaurant's registration must not reach a customer")

    async def assert_refused_and_closed(self, ws, what):
        """An error 401 message, then a close with code 1008."""
        m = await recv_json(ws, timeout=AUTH_TIMEOUT)
        self.assertEqual((m.get("type"), m.get("status")), ("error", 401), f"{what}: {m}")
        await asyncio.wait_for(ws.wait_closed(), AUTH_TIMEOUT)
        self.assertEqual(ws.close_code, 1008, f"{what}: close code")

    async def test_bad_first_message_is_refused_with_1008(self):
        s = self.server.secret
        now = int(time.time())
        cases = {"garbage token": {"type": "auth", "token": "garbage"},
                 "wrong secret": {"type": "auth", "token": make_token(harness.new_secret(), "admin", "u")},
                 "expired": {"type": "auth", "token": make_token(s, "admin", "u", exp=now - 120)},
                 "alg none": {"type": "auth", "token": jwt.encode(
                     {"sub": "u", "role": "admin", "exp": now + 3600}, None, algorithm="none")},
                 "unknown role": {"type": "auth", "token": make_token(s, "superuser", "u")},
                 "no token": {"type": "auth"},
                 "not an auth message": {"type": "subscribe", "topic": "events"},
                 "not JSON": "hello"}
        for case, message in cases.items():
            with self.subTest(case=case):
                ws = await self.open(token=None)
                await ws.send(message if isinstance(message, str) else json.dumps(message))
                await self.assert_refused_and_closed(ws, case)

    async def test_silent_client_is_refused(self):
        # After the 5 seconds docs/api.md gives it; not timed here (no timing
        # assertions on a shared machine), only that it happens.
        ws = await self.open(token=None)
        await self.assert_refused_and_closed(ws, "no auth message")

    async def test_bad_token_in_the_upgrade_is_401(self):
        s = self.server.secret
        now = int(time.time())
        cases = {"garbage": "garbage",
                 "wrong secret": make_token(harness.new_secret(), "admin", "u"),
                 "expired": make_token(s, "admin", "u", exp=now - 120),
                 "HS512": make_token(s, "admin", "u", algorithm="HS512")}
        for case, token in cases.items():
            with self.subTest(case=case):
                with self.assertRaises(harness.upgrade_refused_errors()) as ctx:
                    ws = await ws_connect(self.server, token=token)
                    self.sockets.append(ws)
                self.assertEqual(harness.refused_upgrade_status(ctx.exception), 401, case)
                headers = harness.refused_upgrade_headers(ctx.exception)
                self.assertRegex(headers.get("WWW-Authenticate", ""), r"(?i)^Bearer\b", case)
        # And a bad Basic scheme too.
        with self.assertRaises(harness.upgrade_refused_errors()) as ctx:
            ws = await ws_connect(self.server, token=None, headers={"Authorization": "Basic dXNlcjpwYXNzd29yZA=="})
            self.sockets.append(ws)
        self.assertEqual(harness.refused_upgrade_status(ctx.exception), 401)


if __name__ == "__main__":
    unittest.main()
