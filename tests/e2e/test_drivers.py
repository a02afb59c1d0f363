"""Drivers over HTTP against the real server: a driver signs up, sends GPS
pings, and reads back its position; nobody else may act as it or see it;
bad pings are refused naming the field and append nothing; positions survive
a restart."""

import asyncio
import json
import os
import unittest
import uuid

from harness import content_type as ctype, serve_for, subscribe, ws_connect

RECV_TIMEOUT = 10.0  # seconds per expected WebSocket message


class DriversTest(unittest.TestCase):
    def setUp(self):
        self.server = serve_for(self)
        self.luis = self.server.token("driver", "u-driver-1")
        self.ana = self.server.token("driver", "u-driver-2")
        status, headers, body = self.server.post(
            "/v1/drivers", {"name": "Luis Rojas", "phone": "+51 988 777 666", "vehicle": "moto"},
            token=self.luis)
        self.assertEqual(status, 201, body)
        self.driver = body["id"]
        self.assertEqual(headers.get("Location"), f"/v1/drivers/{self.driver}")
        self.assertEqual(headers.get("ETag"), '"1"')
        self.assertEqual(body["user_id"], "u-driver-1")
        self.assertIsNone(body["position"])

    def ping(self, body, token=None, headers=None):
        return self.server.post(f"/v1/drivers/{self.driver}/location", body,
                                token=token or self.luis, headers=headers)

    def assert_refused(self, status, headers, body, expected_status, field):
        self.assertEqual(status, expected_status, body)
        self.assertEqual(ctype(headers), "application/problem+json")
        self.assertEqual(body.get("field"), field, body)

    def test_a_ping_is_the_drivers_position(self):
        status, headers, body = self.ping({"lat": -12.1234567, "lng": -77.0301234, "heading": 90,
                                           "speed": 8.5, "at": "2026-11-24T12:00:00.250Z"})
        self.assertEqual(status, 200, body)
        self.assertEqual(headers.get("ETag"), '"2"')
        self.assertEqual(int(headers["Comanda-Position"]), self.server.position(),
                         "a write answers with its event's position")
        self.assertEqual(body["driver_id"], self.driver)
        self.assertEqual((body["lat"], body["lng"]), (-12.1234567, -77.0301234))
        self.assertEqual((body["heading"], body["speed"], body["accuracy"]), (90, 8.5, None))
        self.assertEqual(body["at"], "2026-11-24T12:00:00.250Z")

        status, _, position = self.server.get(f"/v1/drivers/{self.driver}/position", token=self.luis)
        self.assertEqual(status, 200)
        self.assertEqual(position, body)
        status, _, driver = self.server.get(f"/v1/drivers/{self.driver}")  # admin
        self.assertEqual(status, 200)
        self.assertEqual(driver["position"], body)
        self.assertEqual(driver["version"], 2)

    def test_curl_posts_a_ping_with_an_offset_time(self):
        status, _, body = self.server.curl(
            "POST", f"/v1/drivers/{self.driver}/location",
            {"lat": 1, "lng": 2, "at": "2026-11-24T07:00:00-05:00"}, token=self.luis)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["at"], "2026-11-24T12:00:00.000Z")

    def test_a_late_ping_does_not_move_the_driver_back(self):
        self.assertEqual(self.ping({"lat": 10, "lng": 10, "at": "2026-11-24T12:01:00Z"})[0], 200)
        status, _, body = self.ping({"lat": 20, "lng": 20, "at": "2026-11-24T12:00:00Z"})
        self.assertEqual(status, 200, body)
        self.assertEqual((body["lat"], body["at"]), (10, "2026-11-24T12:01:00.000Z"))

    def test_no_position_before_the_first_ping(self):
        status, headers, body = self.server.get(f"/v1/drivers/{self.driver}/position", token=self.luis)
        self.assertEqual(status, 404, body)
        self.assertEqual(ctype(headers), "application/problem+json")

    def test_another_account_cannot_act_as_or_see_the_driver(self):
        others = {"driver": self.ana, "owner": self.server.token("owner", "u-owner-1"),
                  "customer": self.server.token("customer", "u-cust-1")}
        position = self.server.position()
        for who, token in others.items():
            with self.subTest(who=who):
                status, _, body = self.ping({"lat": 1, "lng": 1}, token=token)
                self.assertEqual(status, 404, body)
                absent = self.server.post(f"/v1/drivers/{uuid.uuid4()}/location", {"lat": 1, "lng": 1},
                                          token=token, raw=True)
                self.assertEqual(absent[0], 404)
                self.assertEqual(body, json.loads(absent[2]), "another's driver must look absent")
                for path in (f"/v1/drivers/{self.driver}", f"/v1/drivers/{self.driver}/position"):
                    self.assertEqual(self.server.get(path, token=token)[0], 404, path)
        self.assertEqual(self.server.position(), position, "a refused ping appended an event")

    def test_one_account_is_one_driver(self):
        status, headers, body = self.server.post("/v1/drivers", {"name": "Luis again"}, token=self.luis)
        self.assert_refused(status, headers, body, 409, "user_id")
        status, headers, body = self.server.post("/v1/drivers", {"name": "X", "user_id": "u-driver-9"},
                                                 token=self.ana)
        self.assert_refused(status, headers, body, 403, "user_id")

    def test_an_admin_registers_a_driver_for_an_account(self):
        status, headers, body = self.server.post("/v1/drivers", {"name": "Sin cuenta"})
        self.assert_refused(status, headers, body, 422, "user_id")
        status, _, body = self.server.post("/v1/drivers", {"name": "Ana", "user_id": "u-driver-2"})
        self.assertEqual(status, 201, body)
        status, _, ping = self.server.post(f"/v1/drivers/{body['id']}/location", {"lat": 3, "lng": 4},
                                           token=self.ana)
        self.assertEqual(status, 200, ping)

    def test_owners_and_customers_cannot_register_drivers(self):
        for role, sub in (("owner", "u-owner-1"), ("customer", "u-cust-1")):
            status, _, body = self.server.post("/v1/drivers", {"name": "X"},
                                               token=self.server.token(role, sub))
            self.assertEqual(status, 403, body)

    def test_bad_pings_name_the_field_and_append_nothing(self):
        cases = [
            ({"lng": 1}, 400, "lat"),
            ({"lat": 1}, 400, "lng"),
            ({"lat": "1", "lng": 1}, 400, "lat"),
            ({"lat": 90.5, "lng": 1}, 400, "lat"),
            ({"lat": 1, "lng": -180.01}, 400, "lng"),
            ({"lat": 1, "lng": 1, "heading": 361}, 400, "heading"),
            ({"lat": 1, "lng": 1, "speed": -1}, 400, "speed"),
            ({"lat": 1, "lng": 1, "speed": True}, 400, "speed"),
            ({"lat": 1, "lng": 1, "accuracy": []}, 400, "accuracy"),
            ({"lat": 1, "lng": 1, "at": "yesterday"}, 400, "at"),
            ({"lat": 1, "lng": 1, "at": "2026-13-01T00:00:00Z"}, 400, "at"),
            ({"lat": 1, "lng": 1, "at": "2026-11-24T12:00:00+25:00"}, 400, "at"),
            ({"lat": 1, "lng": 1, "at": 1700000000}, 400, "at"),
            ({"lat": 1, "lng": 1, "at": "2999-01-01T00:00:00Z"}, 422, "at"),
        ]
        position = self.server.position()
        for body, expected, field in cases:
            with self.subTest(body=body):
                status, headers, problem = self.ping(body)
                self.assert_refused(status, headers, problem, expected, field)
        status, headers, problem = self.ping(b'{"lat": 1e400, "lng": 1}')  # beyond a double
        self.assert_refused(status, headers, problem, 400, "lat")
        for raw in (b"", b"[1,2]", b"{\"lat\": 1, \"lng\": 1", b"{\"lat\": 1, \"lng\": \"\xff\"}"):
            with self.subTest(raw=raw):
                status, headers, problem = self.ping(raw)
                self.assertEqual(status, 400, problem)
                self.assertEqual(ctype(headers), "application/problem+json")
        status, headers, problem = self.ping({"lat": 1, "lng": 1}, headers={"If-Match": '"7"'})
        self.assertEqual(status, 412, problem)
        self.assertEqual(self.server.position(), position, "a refused ping appended an event")

    def test_a_retried_ping_is_recorded_once(self):
        first = self.ping({"lat": 5, "lng": 6}, headers={"Idempotency-Key": "ping-1"})
        self.assertEqual(first[0], 200, first[2])
        position = self.server.position()
        again = self.ping({"lat": 5, "lng": 6}, headers={"Idempotency-Key": "ping-1"})
        self.assertEqual(again[0], 200, again[2])
        self.assertEqual(again[1].get("Idempotent-Replayed"), "true")
        self.assertEqual(self.server.position(), position)

    def test_positions_survive_a_restart(self):
        self.assertEqual(self.ping({"lat": -12.5, "lng": -77.25, "accuracy": 4})[0], 200)
        before = self.server.get(f"/v1/drivers/{self.driver}/position", token=self.luis)[2]
        position = self.server.position()
        self.server.restart()
        # A clean stop saved the read models: the new process starts from them.
        self.assertIn(f"read models from the snapshot at position {position}", self.server.stderr())
        status, _, after = self.server.get(f"/v1/drivers/{self.driver}/position", token=self.luis)
        self.assertEqual(status, 200, after)
        self.assertEqual(after, before)
        status, _, body = self.server.post("/v1/drivers", {"name": "Luis twice"}, token=self.luis)
        self.assertEqual(status, 409, body)

    def test_a_crash_after_a_snapshot_loses_nothing(self):
        self.assertEqual(self.ping({"lat": 1, "lng": 1})[0], 200)
        self.server.restart()  # a clean stop: a snapshot
        status, _, last = self.ping({"lat": 2, "lng": 3})  # after the snapshot
        self.assertEqual(status, 200, last)
        self.server.proc.kill()  # no snapshot this time
        self.server.proc.wait(timeout=10)
        self.server.stop()
        self.server.start()
        status, _, after = self.server.get(f"/v1/drivers/{self.driver}/position", token=self.luis)
        self.assertEqual(status, 200, after)
        self.assertEqual(after, last)
        self.assertEqual(self.server.get(f"/v1/drivers/{self.driver}")[2]["version"], 3)

    def test_a_damaged_views_directory_is_started_afresh(self):
        self.assertEqual(self.ping({"lat": 4, "lng": 5})[0], 200)
        before = self.server.get(f"/v1/drivers/{self.driver}/position", token=self.luis)[2]
        self.server.stop()
        with open(os.path.join(self.server.data_dir, "views", "CURRENT"), "w") as f:
            f.write("garbage\n")
        self.server.start()
        self.assertIn("starting it afresh", self.server.stderr())
        status, _, after = self.server.get(f"/v1/drivers/{self.driver}/position", token=self.luis)
        self.assertEqual(status, 200, after)
        self.assertEqual(after, before, "the read models were rebuilt from the log")

    def test_the_driver_alone_sees_its_pings_live(self):
        # The `events` topic streams every committed event its principal may see.
        async def scenario():
            mine = await ws_connect(self.server, token=self.luis)
            other = await ws_connect(self.server, token=self.ana)
            try:
                for ws, sub in ((mine, "u-driver-1"), (other, "u-driver-2")):
                    hello = json.loads(await asyncio.wait_for(ws.recv(), RECV_TIMEOUT))
                    self.assertEqual((hello["type"], hello["subject"]), ("authenticated", sub))
                    self.assertEqual((await subscribe(ws, "events"))["type"], "subscribed")
                status, _, body = await asyncio.to_thread(self.ping, {"lat": 7, "lng": 8})
                self.assertEqual(status, 200, body)
                message = json.loads(await asyncio.wait_for(mine.recv(), RECV_TIMEOUT))
                self.assertEqual(message["event"]["type"], "driver_location_reported")
                self.assertEqual(message["event"]["stream"], self.driver)
                self.assertEqual((message["event"]["data"]["lat"], message["event"]["data"]["lng"]),
                                 (7, 8))
                # Events reach a socket in order: the other driver's next
                # message is the answer to what it sends now, not the ping.
                await other.send(json.dumps({"type": "ping"}))
                reply = json.loads(await asyncio.wait_for(other.recv(), RECV_TIMEOUT))
                self.assertEqual(reply.get("type"), "error", f"another driver saw the ping: {reply}")
            finally:
                await mine.close()
                await other.close()
        asyncio.run(scenario())


if __name__ == "__main__":
    unittest.main()
