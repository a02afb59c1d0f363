"""WebSocket topics (docs/realtime.md), with Debian's `websockets` as an
independent client: a socket follows nothing until it subscribes; each
topic carries exactly its events; rights are checked per topic and role
when subscribing (404 for what is another tenant's, as for what is absent;
403 for a topic the role never follows) and, where they lapse, per event:
a customer follows a driver only while that driver delivers their order."""

import asyncio
import json
import unittest

from harness import (LNG, in_thread, north, order_body, put_menu, recv_json, register_restaurant,
                     serve_for, subscribe, ws_connect)

NOTHING_WITHIN = 0.5  # seconds a socket is watched for a message that must not come


class TopicsBase(unittest.IsolatedAsyncioTestCase):
    """Two restaurants with menus, two drivers (the first available near the
    first restaurant), and the tokens of everyone."""

    def setUp(self):
        self.server = serve_for(self)
        self.tokens = {
            "admin": self.server.admin_token,
            "owner1": self.server.token("owner", "u-owner-1"),
            "owner2": self.server.token("owner", "u-owner-2"),
            "cust1": self.server.token("customer", "u-cust-1"),
            "cust2": self.server.token("customer", "u-cust-2"),
            "driver1": self.server.token("driver", "u-driver-1"),
            "driver2": self.server.token("driver", "u-driver-2"),
        }
        self.r1 = register_restaurant(self.server, owners=["u-owner-1"], dispatch={"mode": "broadcast"})
        self.r2 = register_restaurant(self.server, owners=["u-owner-2"], series="B002")
        for rid in (self.r1, self.r2):
            put_menu(self.server, rid)
        self.d1 = self.driver("driver1", "Luis", 100)
        self.d2 = self.driver("driver2", "Ana", 5000, available=False)

    async def asyncSetUp(self):
        self.sockets = []

    async def asyncTearDown(self):
        for ws in self.sockets:
            await asyncio.wait_for(ws.close(), 10)

    def driver(self, who, name, metres, available=True):
        status, _, body = self.server.post("/v1/drivers", {"name": name}, token=self.tokens[who])
        self.assertEqual(status, 201, body)
        self.ping(who, body["id"], metres)
        if available:
            status, _, _ = self.server.request("PUT", f"/v1/drivers/{body['id']}/availability",
                                               {"availability": "available"}, token=self.tokens[who])
            self.assertEqual(status, 200)
        return body["id"]

    def ping(self, who, driver_id, metres):
        status, headers, body = self.server.post(f"/v1/drivers/{driver_id}/location",
                                                 {"lat": north(metres), "lng": LNG}, token=self.tokens[who])
        self.assertEqual(status, 200, body)
        return int(headers["Comanda-Position"])

    def place(self, rid, customer="u-cust-1", who="admin"):
        body = order_body(rid)
        body["customer"]["id"] = customer
        body["fulfillment"]["location"] = {"lat": north(2000), "lng": LNG}
        status, headers, order = self.server.post("/v1/orders", body, token=self.tokens[who])
        self.assertEqual(status, 201, order)
        return order["id"], int(headers["Comanda-Position"])

    def step(self, order_id, status, who="admin"):
        code, headers, body = self.server.post(f"/v1/orders/{order_id}/status", {"status": status},
                                               token=self.tokens[who])
        self.assertEqual(code, 200, body)
        return int(headers["Comanda-Position"])

    async def open(self, who):
        ws = await ws_connect(self.server, token=self.tokens[who])
        self.sockets.append(ws)
        self.assertEqual((await recv_json(ws))["type"], "authenticated")
        return ws

    async def follow(self, ws, topic):
        answer = await subscribe(ws, topic)
        self.assertEqual((answer["type"], answer["topic"]), ("subscribed", topic), answer)
        self.assertIsInstance(answer["position"], int)
        return answer

    async def assert_silent(self, ws, what):
        with self.assertRaises(asyncio.TimeoutError, msg=what):
            m = await asyncio.wait_for(ws.recv(), NOTHING_WITHIN)
            raise AssertionError(f"{what}: got {m}")


class TopicsTest(TopicsBase):
    async def test_a_socket_follows_nothing_until_it_subscribes(self):
        ws = await self.open("admin")
        await in_thread(self.place, self.r1)
        await self.assert_silent(ws, "an event before any subscription")
        answer = await self.follow(ws, "events")
        _, position = await in_thread(self.place, self.r1)
        self.assertGreater(position, answer["position"])
        m = await recv_json(ws)
        self.assertEqual((m["type"], m["topic"], m["position"]), ("event", "events", position))

    async def test_a_restaurant_topic_carries_exactly_its_orders_events(self):
        ws = await self.open("owner1")
        topic = f"restaurants/{self.r1}/orders"
        await self.follow(ws, topic)
        mine, placed = await in_thread(self.place, self.r1)
        await in_thread(self.place, self.r2, "u-cust-2")  # another restaurant's
        accepted = await in_thread(self.step, mine, "accepted", "owner1")
        got = [await recv_json(ws) for _ in range(3)]
        self.assertEqual([(m["type"], m["topic"], m["position"]) for m in got],
                         [("event", topic, placed), ("notification", topic, placed),
                          ("event", topic, accepted)])
        self.assertEqual([m["event"]["type"] for m in got if m["type"] == "event"],
                         ["order_placed", "order_status_changed"])
        # A new order tells the restaurant.
        self.assertEqual((got[1]["order_id"], got[1]["message"]),
                         (mine, f"Nuevo pedido {got[0]['event']['data']['reference']} (1 producto)"))
        # An order's topic and the customer's, side by side on one socket:
        # each event, then the customer's message, on each.
        cust = await self.open("cust1")
        await self.follow(cust, f"orders/{mine}")
        await self.follow(cust, "customers/u-cust-1/orders")
        preparing = await in_thread(self.step, mine, "preparing", "owner1")
        got = [await recv_json(cust) for _ in range(4)]
        self.assertEqual(sorted((m["topic"], m["type"], m["position"]) for m in got),
                         [("customers/u-cust-1/orders", "event", preparing),
                          ("customers/u-cust-1/orders", "notification", preparing),
                          (f"orders/{mine}", "event", preparing),
                          (f"orders/{mine}", "notification", preparing)])
        told = [m["message"] for m in got if m["type"] == "notification"]
        self.assertEqual(told, ["👨‍🍳 Tu pedido está siendo preparado."] * 2)
        self.assertEqual((await recv_json(ws))["position"], preparing)

    async def test_who_may_follow_what(self):
        o1, _ = await in_thread(self.place, self.r1, "u-cust-1")
        unknown = "0190c2a4-9b7e-7c3a-8f00-000000000000"
        cases = [
            ("owner1", f"restaurants/{self.r1}/orders", "subscribed"),
            ("owner2", f"restaurants/{self.r1}/orders", 404),
            ("admin", f"restaurants/{self.r1}/orders", "subscribed"),
            ("cust1", f"restaurants/{self.r1}/orders", 403),
            ("driver1", f"restaurants/{self.r1}/orders", 403),
            ("owner1", f"restaurants/{unknown}/orders", 404),
            ("cust1", f"orders/{o1}", "subscribed"),
            ("cust2", f"orders/{o1}", 404),
            ("owner2", f"orders/{o1}", 404),
            ("owner1", f"orders/{o1}", "subscribed"),
            ("driver1", f"orders/{o1}", 404),  # not theirs to deliver
            ("admin", f"orders/{unknown}", 404),
            ("cust1", "customers/u-cust-1/orders", "subscribed"),
            ("cust2", "customers/u-cust-1/orders", 404),
            ("owner1", "customers/u-cust-1/orders", 403),
            ("driver1", f"drivers/{self.d1}/offers", "subscribed"),
            ("driver2", f"drivers/{self.d1}/offers", 404),
            ("owner1", f"drivers/{self.d1}/offers", 403),
            ("owner1", "drivers/positions", "subscribed"),
            ("cust1", "drivers/positions", 403),
            ("driver1", "drivers/positions", 403),
            ("owner1", f"drivers/{self.d1}/position", "subscribed"),
            ("driver1", f"drivers/{self.d1}/position", "subscribed"),
            ("driver2", f"drivers/{self.d1}/position", 404),
            ("cust1", f"drivers/{self.d1}/position", 404),  # delivers nothing of theirs
            ("cust1", "events", "subscribed"),
            ("cust1", "orders/not-an-id", 400),
            ("cust1", "menus", 400),
        ]
        sockets = {}
        for who, topic, expected in cases:
            with self.subTest(who=who, topic=topic):
                ws = sockets.get(who) or await self.open(who)
                sockets[who] = ws
                answer = await subscribe(ws, topic)
                if expected == "subscribed":
                    self.assertEqual((answer["type"], answer["topic"]), ("subscribed", topic), answer)
                else:
                    self.assertEqual((answer["type"], answer["status"]), ("error", expected), answer)
                    self.assertEqual(answer.get("field"), "topic", answer)
        # Refusals leave the socket open and working.
        answer = await subscribe(sockets["cust2"], "customers/u-cust-2/orders")
        self.assertEqual(answer["type"], "subscribed", answer)

    async def test_a_customer_follows_the_driver_only_while_it_delivers_their_order(self):
        order, _ = await in_thread(self.place, self.r1, "u-cust-1")
        driver_ws = await self.open("driver1")
        await self.follow(driver_ws, f"drivers/{self.d1}/offers")
        for status in ("accepted", "ready", "awaiting_driver"):
            await in_thread(self.step, order, status)
        offered = await recv_json(driver_ws)
        self.assertEqual((offered["topic"], offered["event"]["type"], offered["event"]["stream"]),
                         (f"drivers/{self.d1}/offers", "driver_offered", order))
        # The offer's particulars, for the driver to decide on.
        note = await recv_json(driver_ws)
        self.assertEqual((note["type"], note["position"], note["order_id"], note["restaurant_name"],
                          note["delivery_address"]),
                         ("notification", offered["position"], order, "Sede 1", "Calle 1 234"))
        cust = await self.open("cust1")
        topic = f"drivers/{self.d1}/position"
        refused = await subscribe(cust, topic)
        self.assertEqual((refused["type"], refused["status"]), ("error", 404), "not assigned yet")
        status, _, body = await in_thread(self.server.post, f"/v1/orders/{order}/accept-delivery",
                                          token=self.tokens["driver1"])
        self.assertEqual(status, 200, body)
        await self.follow(cust, topic)
        position = await in_thread(self.ping, "driver1", self.d1, 900)
        m = await recv_json(cust)
        self.assertEqual((m["topic"], m["position"], m["event"]["type"]),
                         (topic, position, "driver_location_reported"))
        # Delivered: the driver is free, and the customer's right lapses.
        status, _, body = await in_thread(self.server.post, f"/v1/orders/{order}/delivered",
                                          token=self.tokens["driver1"])
        self.assertEqual(status, 200, body)
        await in_thread(self.ping, "driver1", self.d1, 1000)
        self.assertEqual(await recv_json(cust), {"type": "unsubscribed", "topic": topic})
        await in_thread(self.ping, "driver1", self.d1, 1100)
        await self.assert_silent(cust, "a ping after the right lapsed")

    async def test_unsubscribe_ends_a_topic(self):
        ws = await self.open("owner1")
        topic = f"restaurants/{self.r1}/orders"
        await self.follow(ws, topic)
        await ws.send(json.dumps({"type": "unsubscribe", "topic": topic}))
        self.assertEqual(await recv_json(ws), {"type": "unsubscribed", "topic": topic})
        _, placed = await in_thread(self.place, self.r1)
        await self.assert_silent(ws, "an event after unsubscribing")
        # Following it again from a position replays what was missed.
        answer = await subscribe(ws, topic, **{"from": placed})
        self.assertEqual((answer["type"], answer["position"]), ("subscribed", placed), answer)
        missed = await recv_json(ws)
        self.assertEqual((missed["type"], missed["position"], missed["event"]["type"]),
                         ("event", placed, "order_placed"))
        # Its notification is derived again, with the event's position.
        note = await recv_json(ws)
        self.assertEqual((note["type"], note["position"], note["order_id"]), ("notification", placed, missed["event"]["stream"]))
        self.assertEqual(await recv_json(ws), {"type": "caught_up", "topic": topic, "position": placed})
        # Twice the same topic with a replay: refused, the first goes on.
        again = await subscribe(ws, topic, **{"from": 1})
        self.assertEqual((again["type"], again["status"]), ("error", 409), again)



class SocketCapTest(TopicsBase):
    async def test_an_account_has_at_most_16_sockets_open(self):
        sockets = [await self.open("cust2") for _ in range(16)]
        extra = await self.open("cust2")  # identified, then refused
        error = await recv_json(extra)
        self.assertEqual((error["type"], error["status"]), ("error", 429), error)
        await asyncio.wait_for(extra.wait_closed(), 10)
        self.assertEqual((extra.close_code, extra.close_reason), (1008, error["detail"]))
        # Another account is not counted against it.
        other = await self.open("cust1")
        self.assertEqual((await subscribe(other, "events"))["type"], "subscribed")
        # One closed, one more may open (once the server has seen it go).
        await asyncio.wait_for(sockets.pop().close(), 10)
        loop = asyncio.get_running_loop()
        end = loop.time() + 10
        while True:
            ws = await self.open("cust2")
            answer = await subscribe(ws, "events")
            if answer["type"] == "subscribed":
                break
            self.assertLess(loop.time(), end, "the closed socket still counted")
            await asyncio.sleep(0.1)


class SocketLocationsTest(TopicsBase):
    """Drivers send their pings on the socket: each is the event POST
    /v1/drivers/{id}/location makes, acknowledged once durable."""

    async def test_pings_on_the_socket_are_acknowledged_once_durable(self):
        watcher = await self.open("owner1")
        await self.follow(watcher, f"drivers/{self.d1}/position")
        ws = await self.open("driver1")
        await ws.send(json.dumps({"type": "location", "id": "p-1", "lat": north(300), "lng": LNG,
                                  "heading": 90, "speed": 8.5}))
        ack = await recv_json(ws)
        self.assertEqual((ack["type"], ack["id"]), ("ack", "p-1"), ack)
        self.assertLessEqual(ack["position"], await in_thread(self.server.position))
        seen = await recv_json(watcher)
        self.assertEqual((seen["position"], seen["event"]["type"], seen["event"]["data"]["speed"]),
                         (ack["position"], "driver_location_reported", 8.5))
        status, _, position = await in_thread(self.server.get, f"/v1/drivers/{self.d1}/position",
                                              token=self.tokens["driver1"])
        self.assertEqual((status, position["lat"]), (200, round(north(300), 7)), position)

        # A batch: one ack, at the last ping's position, after all.
        pings = [{"lat": north(400 + 10 * i), "lng": LNG} for i in range(5)]
        await ws.send(json.dumps({"type": "locations", "id": "b-1", "pings": pings}))
        ack = await recv_json(ws)
        self.assertEqual((ack["type"], ack["id"]), ("ack", "b-1"), ack)
        got = [await recv_json(watcher) for _ in pings]
        self.assertEqual(max(m["position"] for m in got), ack["position"])

        # Refusals name what was wrong, with the message's id.
        await ws.send(json.dumps({"type": "location", "id": "bad", "lat": 200, "lng": LNG}))
        error = await recv_json(ws)
        self.assertEqual((error["type"], error["status"], error["id"], error["field"]), ("error", 400, "bad", "lat"))
        await ws.send(json.dumps({"type": "locations", "id": "bad-2",
                                  "pings": [{"lat": 1, "lng": 1}, {"lat": 1}]}))
        error = await recv_json(ws)
        self.assertEqual((error["status"], error["id"], error["field"]), (400, "bad-2", "pings[1].lng"), error)
        await ws.send(json.dumps({"type": "location", "id": "other", "driver_id": self.d2,
                                  "lat": 1, "lng": 1}))
        error = await recv_json(ws)
        self.assertEqual((error["type"], error["id"]), ("error", "other"), error)
        self.assertIn(error["status"], (403, 404), error)
        cust = await self.open("cust1")
        await cust.send(json.dumps({"type": "location", "id": "c", "lat": 1, "lng": 1}))
        error = await recv_json(cust)
        self.assertEqual((error["status"], error["id"], error["field"]), (404, "c", "driver_id"), error)


class SlowClientTest(unittest.IsolatedAsyncioTestCase):
    """A client that never reads is told the last position it was sent and
    closed, while the writers' requests keep completing."""

    # A socket may have 64 messages waiting here, and the kernel holds about
    # 512 KiB more for it (comandad bounds its send buffer; the client's
    # receive buffer is made small): 4,000 events are well past that.
    WRITERS, PINGS = 4, 1000

    def setUp(self):
        self.server = serve_for(self, extra_args=["--durability", "async", "--ws-queue", "64"])

    def write(self, n, failures):
        token = self.server.token("driver", f"u-slow-{n}")
        status, _, driver = self.server.post("/v1/drivers", {"name": f"D{n}"}, token=token)
        if status != 201:
            return failures.append((status, driver))
        for i in range(self.PINGS):
            status, _, body = self.server.post(f"/v1/drivers/{driver['id']}/location",
                                               {"lat": -12 - i * 1e-6, "lng": -77.0}, token=token)
            if status != 200:
                return failures.append((status, body))

    async def test_a_client_that_never_reads_is_closed_with_where_to_resume(self):
        import socket
        import threading
        # A small receive buffer (set before connecting), so that the
        # server's queue is what fills.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", self.server.port))
        ws = await ws_connect(self.server, sock=sock, max_queue=1)
        try:
            self.assertEqual((await recv_json(ws))["type"], "authenticated")
            self.assertEqual((await subscribe(ws, "events"))["type"], "subscribed")
            ws.transport.pause_reading()  # reads nothing from here on
            failures = []
            writers = [threading.Thread(target=self.write, args=(n, failures)) for n in range(self.WRITERS)]
            for w in writers:
                w.start()
            for w in writers:
                await in_thread(w.join, 120)
            self.assertEqual(failures, [], "the writers' requests kept completing")
            last_position = self.server.position()
            # Now read what was sent: events, then the error, then the close.
            ws.transport.resume_reading()
            received = []
            try:
                while True:
                    received.append(json.loads(await asyncio.wait_for(ws.recv(), 30)))
            except Exception:
                pass
            self.assertEqual(ws.close_code, 1008)
            error = received[-1]
            self.assertEqual((error["type"], error["status"]), ("error", 429), error)
            events = [m for m in received if m["type"] == "event"]
            self.assertEqual(error["position"], events[-1]["position"], "the last position sent")
            self.assertLess(error["position"], last_position, "the socket was cut off")
            self.assertEqual(ws.close_reason, f"too slow; last position sent {error['position']}")
            positions = [m["position"] for m in events]
            self.assertEqual(positions, sorted(set(positions)), "in order, none twice")
        finally:
            await ws.close()


class SlowClientByBytesTest(SlowClientTest):
    """The same when the queue's bytes bound is what fills (--ws-queue-mib
    1, the messages bound left at 8,192): 8,000 events of about 450 bytes
    are well past 1 MiB and the kernel's share."""

    WRITERS, PINGS = 4, 2000

    def setUp(self):
        self.server = serve_for(self, extra_args=["--durability", "async", "--ws-queue-mib", "1"])


class HeartbeatTest(unittest.IsolatedAsyncioTestCase):
    """Heartbeats (--ws-idle 2): the server pings a silent socket at half the
    idle time; a client that answers (websockets does, as it reads) stays,
    one that reads nothing is closed at the end of it."""

    def setUp(self):
        self.server = serve_for(self, extra_args=["--ws-idle", "2"])

    async def test_a_client_that_answers_pings_stays_and_a_silent_one_is_closed(self):
        import websockets
        alive = await ws_connect(self.server)
        silent = await ws_connect(self.server)
        for ws in (alive, silent):
            self.assertEqual((await recv_json(ws))["type"], "authenticated")
        silent.transport.pause_reading()  # neither reads the pings nor answers them
        await asyncio.sleep(5)  # more than twice the idle time
        answer = await subscribe(alive, "events")
        self.assertEqual(answer["type"], "subscribed", "still open after 5 s of silence")
        silent.transport.resume_reading()
        with self.assertRaises(websockets.ConnectionClosed):
            await asyncio.wait_for(silent.recv(), 5)
        await asyncio.wait_for(alive.close(), 10)


if __name__ == "__main__":
    unittest.main()
