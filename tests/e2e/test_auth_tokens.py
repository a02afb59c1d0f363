"""Authentication (docs/api.md, "Authentication"): which bearer tokens the
real server accepts and refuses, checked with tokens minted by PyJWT (an
implementation independent of the server's libjwt) and by `comanda token`;
and how comandad starts, or refuses to, with and without a secret and --dev."""

import asyncio
import base64
import hashlib
import hmac
import json
import os
import subprocess
import tempfile
import time
import unittest

import jwt  # PyJWT

import harness
from harness import (OMIT, TempServer, binary, cli, history_actors, make_token, new_secret, order_body, place_order, put_menu, register_restaurant, restaurant_body, serve_for, env_without_comanda)

PROCESS_TIMEOUT = 20  # seconds for a comandad that is expected to exit at once
LEEWAY = 30           # seconds of clock skew docs/api.md says are tolerated
BEYOND_LEEWAY = 120   # well beyond it, so that a slow test machine cannot matter
WITHIN_LEEWAY = 5     # well within it


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def hand_made_token(header, payload, secret, digest=hashlib.sha256):
    """A JWS built by hand (for headers PyJWT will not produce), signed with
    HMAC-`digest` over the secret."""
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(payload).encode())
    sig = hmac.new(secret.encode(), signing_input.encode(), digest).digest()
    return signing_input + "." + b64url(sig)


def claims(role="admin", sub="u-admin", **over):
    now = int(time.time())
    out = {"sub": sub, "role": role, "iat": now, "exp": now + 3600}
    out.update(over)
    return out


def run_comandad(args, env, timeout=PROCESS_TIMEOUT):
    """Run comandad expecting it to exit by itself. A server that starts
    instead is killed at the timeout and reported."""
    proc = subprocess.Popen([binary("COMANDAD"), *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate(timeout=timeout)
        raise AssertionError(f"comandad {args} did not exit within {timeout}s (it started?): {out!r} {err!r}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


class AuthAssertions:
    def assert_unauthenticated(self, response, what=""):
        status, headers, body = response
        self.assertEqual(status, 401, f"{what}: {body!r}")
        self.assertRegex(headers.get("WWW-Authenticate") or "", r"(?i)^Bearer\b",
                         f"{what}: a 401 must carry WWW-Authenticate: Bearer")
        self.assertEqual((headers.get("Content-Type") or "").split(";")[0].strip(), "application/problem+json",
                         what)
        self.assertIsInstance(body, dict, what)
        self.assertEqual(body.get("status"), 401, f"{what}: {body}")
        self.assertEqual(body.get("type"), "urn:comanda:problem:unauthenticated", f"{what}: {body}")
        self.assertIsInstance(body.get("detail"), str, what)
        self.assertTrue(body["detail"], f"{what}: the problem must say why")
        return body


class BadTokenTest(AuthAssertions, unittest.TestCase):
    """Every route refuses every bad token the same way and writes nothing."""

    def setUp(self):
        self.server = serve_for(self)
        self.rid = register_restaurant(self.server)
        self.order = place_order(self.server, self.rid)

    def routes(self):
        oid = self.order["id"]
        return [("GET", "/v1/orders", None),
                ("GET", f"/v1/orders?restaurant_id={self.rid}", None),
                ("GET", f"/v1/orders/{oid}", None),
                ("POST", "/v1/restaurants", restaurant_body(owners=["u-owner-1"])),
                ("POST", "/v1/orders", order_body(self.rid)),
                ("POST", f"/v1/orders/{oid}/status", {"status": "accepted"})]

    def bad_authorizations(self):
        """{case: the Authorization header's value (None: no header)}, each
        of which docs/api.md says answers 401."""
        s = self.server.secret
        good = make_token(s, "customer", "u-cust-1")
        head, payload, sig = good.split(".")
        flipped = ("B" if sig[0] == "A" else "A") + sig[1:]
        as_admin = b64url(json.dumps(claims("admin", "u-cust-1")).encode())
        now = int(time.time())
        return {
            "no Authorization header": None,
            "tampered signature": f"Bearer {head}.{payload}.{flipped}",
            "tampered payload (role changed to admin)": f"Bearer {head}.{as_admin}.{sig}",
            "signature removed": f"Bearer {head}.{payload}.",
            "expired beyond the leeway": "Bearer " + make_token(
                s, "admin", "u-admin", iat=now - 3600, exp=now - BEYOND_LEEWAY),
            "nbf in the future beyond the leeway": "Bearer " + make_token(s, "admin", "u-admin",
                                                                          nbf=now + BEYOND_LEEWAY),
            "alg none": "Bearer " + jwt.encode(claims(), None, algorithm="none"),
            "alg none with an HS256 signature": "Bearer " + hand_made_token({"alg": "none", "typ": "JWT"},
                                                                            claims(), s),
            "HS512 with the right secret": "Bearer " + make_token(s, "admin", "u-admin", algorithm="HS512"),
            "HS384 with the right secret": "Bearer " + make_token(s, "admin", "u-admin", algorithm="HS384"),
            "RS256 header, HMAC signature": "Bearer " + hand_made_token({"alg": "RS256", "typ": "JWT"},
                                                                        claims(), s),
            "missing sub": "Bearer " + make_token(s, "admin", OMIT),
            "empty sub": "Bearer " + make_token(s, "admin", ""),
            "sub not a string": "Bearer " + make_token(s, "admin", 42),
            "unknown role superuser": "Bearer " + make_token(s, "superuser", "u-admin"),
            "missing role": "Bearer " + make_token(s, OMIT, "u-admin"),
            "role not a string": "Bearer " + make_token(s, ["admin"], "u-admin"),
            "missing exp": "Bearer " + make_token(s, "admin", "u-admin", exp=OMIT),
            "exp not a number": "Bearer " + make_token(s, "admin", "u-admin", exp="tomorrow"),
            "wrong secret": "Bearer " + make_token(new_secret(), "admin", "u-admin"),
            "garbage": "Bearer garbage",
            "three garbage parts": "Bearer a.b.c",
            "Basic scheme": "Basic dXNlcjpwYXNzd29yZA==",
            "Basic scheme with a valid JWT": "Basic " + make_token(s, "admin", "u-admin"),
            "token without a scheme": make_token(s, "admin", "u-admin"),
            "Bearer without a token": "Bearer",
            "Bearer and a space": "Bearer ",
        }

    def request(self, method, path, body, authorization):
        headers = {"Authorization": authorization} if authorization is not None else None
        return self.server.request(method, path, body, headers=headers, token=None)

    def test_a_valid_token_is_accepted(self):
        cust = self.server.token("customer", "u-cust-1")
        status, _, listing = self.server.get("/v1/orders", token=cust)
        self.assertEqual(status, 200, listing)
        self.assertEqual([o["id"] for o in listing["orders"]], [self.order["id"]])
        status, _, body = self.server.get(f"/v1/orders/{self.order['id']}", token=cust)
        self.assertEqual(status, 200, body)
        # And the same token through curl, a second client.
        status, _, body = self.server.curl("GET", f"/v1/orders/{self.order['id']}", token=cust)
        self.assertEqual(status, 200, body)

    def test_healthz_and_readyz_need_no_token(self):
        status, _, body = self.server.get("/healthz", token=None)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "ok")
        status, _, body = self.server.get("/readyz", token=None)
        self.assertEqual((status, body["status"], body["position"]), (200, "ready", self.server.position()))

    def test_every_bad_token_is_401_on_every_route_and_writes_nothing(self):
        for case, authorization in self.bad_authorizations().items():
            for method, path, body in self.routes():
                with self.subTest(case=case, route=f"{method} {path}"):
                    position = self.server.position()
                    self.assert_unauthenticated(self.request(method, path, body, authorization),
                                                f"{case} on {method} {path}")
                    self.assertEqual(self.server.position(), position, f"{case}: a 401 must write nothing")

    def test_bad_tokens_are_401_through_curl_too(self):
        position = self.server.position()
        for case in ("expired beyond the leeway", "alg none", "wrong secret", "Basic scheme"):
            authorization = self.bad_authorizations()[case]
            with self.subTest(case=case):
                status, headers, body = self.server.curl("POST", "/v1/restaurants", restaurant_body(),
                                                         headers={"Authorization": authorization}, token=None)
                self.assertEqual(status, 401, body)
                self.assertRegex(headers.get("www-authenticate", ""), r"(?i)^Bearer\b")
                self.assertEqual(headers.get("content-type", "").split(";")[0], "application/problem+json")
        self.assertEqual(self.server.position(), position)

    def test_the_problem_says_why(self):
        s = self.server.secret
        now = int(time.time())
        cases = [("expired", make_token(s, "admin", "u", iat=now - 3600, exp=now - BEYOND_LEEWAY), "expired"),
                 ("missing sub", make_token(s, "admin", OMIT), "sub"),
                 ("unknown role", make_token(s, "superuser", "u"), "role"),
                 ("missing exp", make_token(s, "admin", "u", exp=OMIT), "exp")]
        for case, token, word in cases:
            with self.subTest(case=case):
                body = self.assert_unauthenticated(self.server.get("/v1/orders", token=token), case)
                self.assertIn(word, body["detail"])

    def test_clock_skew_within_the_leeway_is_tolerated(self):
        s = self.server.secret
        now = int(time.time())
        cases = {"expired a few seconds ago": make_token(s, "admin", "u-admin", iat=now - 3600,
                                                         exp=now - WITHIN_LEEWAY),
                 "valid from a few seconds from now": make_token(s, "admin", "u-admin", nbf=now + WITHIN_LEEWAY),
                 "nbf in the past": make_token(s, "admin", "u-admin", nbf=now - 60)}
        for case, token in cases.items():
            with self.subTest(case=case):
                status, _, body = self.server.get("/v1/orders", token=token)
                self.assertEqual(status, 200, f"{case}: {body}")

    # RFC 7519 section 2: a NumericDate is seconds since the epoch, and "non-integer
    # values can be represented"; PyJWT users often write time.time() + 3600.

    def test_nbf_in_the_future_with_a_fraction_is_refused(self):
        now = time.time()
        token = make_token(self.server.secret, "admin", "u-admin", nbf=now + BEYOND_LEEWAY + 0.5)
        self.assert_refused_everywhere(token, "nbf 120.5 s ahead")

    def test_nbf_that_is_not_a_number_is_refused(self):
        for nbf in ("tomorrow", True):
            with self.subTest(nbf=nbf):
                token = make_token(self.server.secret, "admin", "u-admin", nbf=nbf)
                self.assert_refused_everywhere(token, f"nbf {nbf!r}")

    def test_exp_with_a_fraction_is_honoured(self):
        now = time.time()
        token = make_token(self.server.secret, "admin", "u-admin", iat=now - 3600, exp=now - BEYOND_LEEWAY - 0.5)
        self.assert_refused_everywhere(token, "exp 120.5 s ago")
        token = make_token(self.server.secret, "admin", "u-admin", iat=now, exp=now + 3600.5)
        status, _, body = self.server.get("/v1/orders", token=token)
        self.assertEqual(status, 200, f"a token valid for another hour: {body}")

    def assert_refused_everywhere(self, token, what):
        """401 on a read and on a write, and nothing written."""
        for method, path, body in (("GET", "/v1/orders", None), ("POST", "/v1/restaurants", restaurant_body())):
            with self.subTest(what=what, route=f"{method} {path}"):
                position = self.server.position()
                self.assert_unauthenticated(self.server.request(method, path, body, token=token),
                                            f"{what} on {method} {path}")
                self.assertEqual(self.server.position(), position, f"{what}: a 401 must write nothing")

    def test_other_claims_grant_nothing(self):
        # docs/api.md: claims such as `restaurants` or `driver_id` are ignored.
        token = self.server.token("owner", "u-owner-9", restaurants=[self.rid], driver_id="d-1")
        status, _, body = self.server.get(f"/v1/orders/{self.order['id']}", token=token)
        self.assertEqual(status, 404, body)
        status, _, listing = self.server.get(f"/v1/orders?restaurant_id={self.rid}", token=token)
        self.assertEqual((status, listing["orders"]), (200, []))


class IssuerAudienceTest(AuthAssertions, unittest.TestCase):
    ISS = "https://auth.comanda.test/"
    AUD = "https://api.comanda.test/v1"

    @classmethod
    def setUpClass(cls):
        cls.server = TempServer(extra_args=["--jwt-issuer", cls.ISS, "--jwt-audience", cls.AUD])
        cls.server.__enter__()
        cls.addClassCleanup(cls.server.cleanup)
        cls.server.admin_token = cls.server.token("admin", "u-admin", iss=cls.ISS, aud=cls.AUD)

    def register_with(self, token):
        return self.server.post("/v1/restaurants", restaurant_body(), token=token)

    def test_right_issuer_and_audience_are_accepted(self):
        cases = {"aud as a string": self.AUD,
                 "aud as a list containing it": ["https://other.test", self.AUD],
                 "aud as a list of one": [self.AUD]}
        for case, aud in cases.items():
            with self.subTest(case=case):
                token = self.server.token("admin", "u-admin", iss=self.ISS, aud=aud)
                status, _, body = self.register_with(token)
                self.assertEqual(status, 201, f"{case}: {body}")

    def test_wrong_or_missing_issuer_or_audience_is_refused(self):
        cases = {"wrong iss": dict(iss="https://evil.test/", aud=self.AUD),
                 "iss without the trailing slash": dict(iss=self.ISS.rstrip("/"), aud=self.AUD),
                 "missing iss": dict(iss=OMIT, aud=self.AUD),
                 "wrong aud": dict(iss=self.ISS, aud="other-api"),
                 "missing aud": dict(iss=self.ISS, aud=OMIT),
                 "aud list without it": dict(iss=self.ISS, aud=["other-api", "x"]),
                 "aud list with a longer name containing it": dict(iss=self.ISS, aud=[self.AUD + "-admin"]),
                 # RFC 7519 4.1.3: aud is a string or an array of strings.
                 "aud an object naming it": dict(iss=self.ISS, aud={"name": self.AUD}),
                 "aud a list holding a list naming it": dict(iss=self.ISS, aud=[[self.AUD]]),
                 "neither": dict(iss=OMIT, aud=OMIT)}
        for case, extra in cases.items():
            with self.subTest(case=case):
                position = self.server.position()
                token = self.server.token("admin", "u-admin", **extra)
                self.assert_unauthenticated(self.register_with(token), case)
                self.assertEqual(self.server.position(), position, f"{case}: a 401 must write nothing")

    def test_comanda_token_with_iss_and_aud(self):
        with tempfile.TemporaryDirectory(prefix="comanda-e2e-") as tmp:
            secret_file = os.path.join(tmp, "secret")
            with open(secret_file, "w") as f:
                f.write(self.server.secret)
            out = cli("token", "--role", "admin", "--sub", "u-cli", "--ttl", "1h", "--jwt-secret-file",
                      secret_file, "--iss", self.ISS, "--aud", self.AUD)
        self.assertEqual(out.returncode, 0, out.stderr)
        token = out.stdout.strip()
        decoded = jwt.decode(token, self.server.secret, algorithms=["HS256"], audience=self.AUD, issuer=self.ISS)
        self.assertEqual((decoded["sub"], decoded["role"]), ("u-cli", "admin"))
        status, _, body = self.register_with(token)
        self.assertEqual(status, 201, body)

    def test_a_server_without_issuer_and_audience_ignores_them(self):
        with TempServer() as other:
            token = other.token("admin", "u-admin", iss="https://anyone.test/", aud="anything")
            status, _, body = other.post("/v1/restaurants", restaurant_body(), token=token)
            self.assertEqual(status, 201, body)


class ComandaTokenTest(unittest.TestCase):
    """Tokens minted by `comanda token` work against the server and are
    ordinary HS256 JWTs (PyJWT verifies them)."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="comanda-e2e-")
        self.addCleanup(self.tmp.cleanup)
        self.secret = new_secret()
        self.secret_file = os.path.join(self.tmp.name, "jwt-secret")
        with open(self.secret_file, "w") as f:
            f.write(self.secret)
        # The server reads the same file (--jwt-secret-file), not the environment.
        self.server = TempServer(extra_args=["--jwt-secret-file", self.secret_file], secret=self.secret,
                                 secret_in_env=False)
        self.server.__enter__()
        self.addCleanup(self.server.cleanup)

    def mint(self, *args, env=None):
        out = cli("token", *args, env=env)
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = out.stdout.splitlines()
        self.assertEqual(len(lines), 1, f"expected the token alone on stdout: {out.stdout!r}")
        return lines[0]

    def test_token_is_accepted_and_carries_role_and_sub(self):
        before = int(time.time())
        token = self.mint("--role", "owner", "--sub", "u-owner-1", "--ttl", "1h",
                          "--jwt-secret-file", self.secret_file)
        after = int(time.time())
        self.assertEqual(jwt.get_unverified_header(token).get("alg"), "HS256")
        decoded = jwt.decode(token, self.secret, algorithms=["HS256"])
        self.assertEqual((decoded["sub"], decoded["role"]), ("u-owner-1", "owner"))
        self.assertGreaterEqual(decoded["exp"], before + 3600 - 1)
        self.assertLessEqual(decoded["exp"], after + 3600 + 1)
        with self.assertRaises(jwt.InvalidSignatureError):
            jwt.decode(token, new_secret(), algorithms=["HS256"])

        # The server takes it as the owner u-owner-1: their restaurant lists them.
        status, _, restaurant = self.server.post("/v1/restaurants", restaurant_body(owners=[]), token=token)
        self.assertEqual(status, 201, restaurant)
        self.assertEqual(restaurant["owners"], ["u-owner-1"])
        status, _, listing = self.server.get("/v1/orders", token=token)
        self.assertEqual(status, 200, listing)

    def test_ttl_and_the_secret_from_the_environment(self):
        before = int(time.time())
        token = self.mint("--role", "customer", "--sub", "u-cust-1", "--ttl", "90s",
                          env={"COMANDA_JWT_SECRET": self.secret})
        after = int(time.time())
        decoded = jwt.decode(token, self.secret, algorithms=["HS256"])
        self.assertEqual((decoded["sub"], decoded["role"]), ("u-cust-1", "customer"))
        self.assertTrue(before + 90 - 1 <= decoded["exp"] <= after + 90 + 1, decoded)
        # A customer's token: the server refuses a customer registering a restaurant.
        status, _, body = self.server.post("/v1/restaurants", restaurant_body(), token=token)
        self.assertEqual(status, 403, body)
        status, _, body = self.server.get("/v1/orders", token=token)
        self.assertEqual(status, 200, body)

    def test_a_ttl_that_is_malformed_or_beyond_ten_years_is_refused(self):
        for ttl in ("200000000000000d", "3651d", "0", "-5m", " 5m", "5w", "1.5h", ""):
            with self.subTest(ttl=ttl):
                out = cli("token", "--role", "admin", "--sub", "u-a", "--ttl", ttl,
                          "--jwt-secret-file", self.secret_file)
                self.assertNotEqual(out.returncode, 0, out.stdout)
                self.assertEqual(out.stdout, "")
                self.assertIn("ttl", out.stderr.lower())
        self.mint("--role", "admin", "--sub", "u-a", "--ttl", "3650d", "--jwt-secret-file", self.secret_file)

    def test_a_token_for_another_secret_is_refused(self):
        other_file = os.path.join(self.tmp.name, "other-secret")
        with open(other_file, "w") as f:
            f.write(new_secret())
        token = self.mint("--role", "admin", "--sub", "u-admin", "--jwt-secret-file", other_file)
        status, headers, body = self.server.get("/v1/orders", token=token)
        self.assertEqual(status, 401, body)


class ServerProcessTest(AuthAssertions, unittest.TestCase):
    """comandad's start-up rules about secrets and --dev."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="comanda-e2e-")
        self.addCleanup(self.tmp.cleanup)
        self.data = os.path.join(self.tmp.name, "data")

    def args(self, *more):
        return ["--data", self.data, "--listen", "127.0.0.1:0", *more]

    def assert_refused(self, out, *words):
        self.assertNotEqual(out.returncode, 0, out.stderr)
        self.assertNotIn("listening", out.stdout)
        for word in words:
            self.assertIn(word, out.stderr)

    def test_refuses_to_start_without_a_secret(self):
        out = run_comandad(self.args(), env_without_comanda())
        self.assert_refused(out, "COMANDA_JWT_SECRET")

    def test_refuses_a_secret_shorter_than_32_bytes(self):
        for secret in ("x" * 31, ""):
            with self.subTest(length=len(secret)):
                out = run_comandad(self.args(), env_without_comanda(COMANDA_JWT_SECRET=secret))
                self.assert_refused(out, "32")
        short_file = os.path.join(self.tmp.name, "short")
        with open(short_file, "w") as f:
            f.write("s" * 31)
        out = run_comandad(self.args("--jwt-secret-file", short_file), env_without_comanda())
        self.assert_refused(out, "32")
        missing = os.path.join(self.tmp.name, "no-such-file")
        out = run_comandad(self.args("--jwt-secret-file", missing), env_without_comanda())
        self.assert_refused(out)

    def test_a_secret_of_exactly_32_bytes_is_enough(self):
        secret = "k" * 32
        with TempServer(secret=secret) as server:
            status, _, body = server.get("/v1/orders", token=make_token(secret, "admin", "u-admin"))
            self.assertEqual(status, 200, body)

    def test_dev_mode_starts_loudly_and_acts_as_admin_dev(self):
        with TempServer(extra_args=["--dev"], secret=None) as server:
            self.assertIn("DEV MODE", server.stderr())
            # No token: an administrator named "dev".
            status, _, restaurant = server.post("/v1/restaurants", restaurant_body(), token=None)
            self.assertEqual(status, 201, restaurant)
            status, _, order = server.post("/v1/orders", order_body(restaurant["id"]), token=None)
            self.assertEqual(status, 201, order)
            status, _, body = server.post(f"/v1/orders/{order['id']}/status", {"status": "accepted"}, token=None)
            self.assertEqual(status, 200, body)
            status, _, listing = server.get("/v1/orders", token=None)
            self.assertEqual((status, [o["id"] for o in listing["orders"]]), (200, [order["id"]]))
            self.assertEqual(history_actors(server.data_dir, order["id"]),
                             [(1, "admin:dev", "order_placed"), (2, "admin:dev", "order_status_changed")])

            # A token, if sent, is still verified: bad ones are 401 and write nothing.
            position = server.position()
            bad = {"garbage": "Bearer garbage",
                   "signed with some secret": "Bearer " + make_token(new_secret(), "admin", "u-admin"),
                   "alg none": "Bearer " + jwt.encode(claims(), None, algorithm="none")}
            for case, authorization in bad.items():
                with self.subTest(case=case):
                    self.assert_unauthenticated(
                        server.post("/v1/restaurants", restaurant_body(), headers={"Authorization": authorization},
                                    token=None), case)
            self.assertEqual(server.position(), position)

            # It says so on every start, not just the first.
            server.restart()
            self.assertEqual(server.stderr().count("DEV MODE"), 2, server.stderr())

    def test_dev_mode_with_a_secret_verifies_and_uses_tokens(self):
        with TempServer(extra_args=["--dev"]) as server:  # a secret too
            self.assertIn("DEV MODE", server.stderr())
            cust = server.token("customer", "u-cust-1")
            status, _, body = server.post("/v1/restaurants", restaurant_body(), token=cust)
            self.assertEqual(status, 403, f"the token's customer, not the dev admin, must act: {body}")
            rid = register_restaurant(server)  # the admin token
            put_menu(server, rid)
            status, _, order = server.post("/v1/orders", order_body(rid), token=cust)
            self.assertEqual(status, 201, order)
            self.assertEqual(history_actors(server.data_dir, order["id"]),
                             [(1, "customer:u-cust-1", "order_placed")])
            self.assert_unauthenticated(server.get("/v1/orders", token=make_token(new_secret(), "admin", "u")),
                                        "wrong secret in --dev")
            status, _, _ = server.get("/v1/orders", token=None)
            self.assertEqual(status, 200)

    def test_dev_mode_websocket(self):
        async def scenario(server):
            # No header: the dev admin at once, and every event streams.
            ws = await harness.ws_connect(server, token=None)
            try:
                hello = json.loads(await asyncio.wait_for(ws.recv(), 10))
                self.assertEqual(hello, {"type": "authenticated", "subject": "dev", "role": "admin"})
                self.assertEqual((await harness.subscribe(ws, "events"))["type"], "subscribed")
                loop = asyncio.get_running_loop()
                status, headers, _ = await loop.run_in_executor(
                    None, lambda: server.post("/v1/restaurants", restaurant_body(), token=None))
                self.assertEqual(status, 201)
                m = json.loads(await asyncio.wait_for(ws.recv(), 10))
                self.assertEqual((m["position"], m["event"]["actor"]),
                                 (int(headers["Comanda-Position"]), {"id": "dev", "role": "admin"}))
            finally:
                await asyncio.wait_for(ws.close(), 10)
            # A bad token in the upgrade is still refused.
            with self.assertRaises(harness.upgrade_refused_errors()) as ctx:
                ws = await harness.ws_connect(server, token="garbage")
                await ws.close()
            self.assertEqual(harness.refused_upgrade_status(ctx.exception), 401)

        with TempServer(extra_args=["--dev"], secret=None) as server:
            asyncio.run(scenario(server))

    def test_dev_mode_rest_without_a_token_is_for_local_pages_only(self):
        with TempServer(extra_args=["--dev"], secret=None) as server:
            # A cross-site form post (no preflight) must not act as the dev admin.
            body = restaurant_body()
            status, _, problem = server.request("POST", "/v1/restaurants", body, token=None,
                                                headers={"Origin": "https://evil.example"})
            self.assertEqual((status, problem.get("field")), (403, "Origin"), problem)
            self.assertEqual(server.position(), 0, "nothing written")
            status, _, _ = server.request("GET", "/v1/orders", token=None, headers={"Origin": "null"})
            self.assertEqual(status, 403)
            # A local page, or no browser at all, still acts as the dev admin.
            for origin in ({"Origin": "http://localhost:5173"}, {}):
                status, _, made = server.request("POST", "/v1/restaurants", body, token=None, headers=origin)
                self.assertEqual(status, 201, made)

    def test_dev_mode_websocket_without_a_token_is_for_local_pages_only(self):
        async def scenario(server):
            # A page from another site must not get the dev admin's stream.
            with self.assertRaises(harness.upgrade_refused_errors()) as ctx:
                ws = await harness.ws_connect(server, token=None, headers={"Origin": "https://evil.example"})
                await ws.close()
            self.assertEqual(harness.refused_upgrade_status(ctx.exception), 403)
            # A local page still gets it.
            ws = await harness.ws_connect(server, token=None, headers={"Origin": "http://127.0.0.1:5173"})
            try:
                hello = json.loads(await asyncio.wait_for(ws.recv(), 10))
                self.assertEqual(hello["type"], "authenticated")
            finally:
                await asyncio.wait_for(ws.close(), 10)

        with TempServer(extra_args=["--dev"], secret=None) as server:
            asyncio.run(scenario(server))

    def test_no_dev_warning_without_dev(self):
        with TempServer() as server:
            self.assertNotIn("DEV MODE", server.stderr())
            self.assertEqual(server.get("/v1/orders", token=None)[0], 401)


if __name__ == "__main__":
    unittest.main()
