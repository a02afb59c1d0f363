"""A data directory written by an earlier build (tests/e2e/fixtures/v0_1,
made by fixtures/make_fixture.py with the build of commit 0771875) opens with
this build and serves the same answers: every read, every refusal, the
order's history and the log's verification, byte for byte. Then the log
grows on: order numbers and the hash chain continue where the old build left
them."""

import json
import os
import shutil
import tempfile
import unittest

from harness import Server, cli, order_body

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "v0_1")


def as_answered_now(answer):
    """An answer of the fixture's build with the changes made on purpose
    since (the data are the same; what the API says of them grew):
    - a refused step always lists the steps allowed, perhaps none (#16);
    - an order's lines say where their prices came from (all of the fixture's
      were given by the caller: there were no menus) and its modifiers
      whether they are removals (none was recorded as one) (#16);
    - an order shows when it was cancelled or completed (the time of that
      step, its last), whether its customer may still cancel it, whether it
      is archived, its customer's email and language and whether a guest,
      its app and delivery zone (none then), and how much of each line the
      kitchen has made (none then), whether flagged not ready, its customer's class and parent and
      the account that paid with credit (none then) (#16);
    - a driver shows their availability (offline until they say), whether
      active, and the delivery they are busy with (#16)."""
    if isinstance(answer, list):
        return [as_answered_now(a) for a in answer]
    if not isinstance(answer, dict):
        return answer
    answer = {k: as_answered_now(v) for k, v in answer.items()}
    if answer.get("type") == "urn:comanda:problem:conflict" and answer.get("field") == "status":
        answer.setdefault("allowed", [])
    if "line_total" in answer:
        answer.setdefault("price_source", "given")
        for m in answer.get("modifiers", []):
            m.setdefault("removal", False)
        answer.setdefault("fulfilled_quantity", 0)
        answer.setdefault("fulfillment_status", "unfulfilled")
    if "reference" in answer and "placed_at" in answer:
        status = answer["status"]
        answer.setdefault("canceled_at", answer["updated_at"] if status in ("cancelled", "rejected") else None)
        answer.setdefault("completed_at", answer["updated_at"]
                          if status in ("delivered", "picked_up_by_customer", "completed") else None)
        answer.setdefault("can_be_cancelled", status in ("pending", "scheduled"))
        answer.setdefault("archived", False)
        answer.setdefault("not_ready", False)
        answer.setdefault("app_id", None)
        answer.setdefault("delivery_zone", None)
        answer["customer"] = dict(answer["customer"])
        answer["customer"].setdefault("email", "")
        answer["customer"].setdefault("locale", "es")
        answer["customer"].setdefault("guest", False)
        answer["customer"].setdefault("class", None)
        answer["customer"].setdefault("parent", None)
        answer["payment"] = dict(answer["payment"])
        answer["payment"].setdefault("account_id", None)
    if "registered_at" in answer and "user_id" in answer:  # a driver
        answer.setdefault("availability", "offline")
        answer.setdefault("active", True)
        answer.setdefault("order_id", None)
    return answer


class OldDataTest(unittest.TestCase):
    def setUp(self):
        with open(os.path.join(FIXTURE, "expected.json"), encoding="utf-8") as f:
            self.expected = json.load(f)
        tmp = tempfile.TemporaryDirectory(prefix="comanda-old-data-")
        self.addCleanup(tmp.cleanup)
        # A copy: RocksDB writes to a directory it opens.
        self.data = os.path.join(tmp.name, "data")
        shutil.copytree(os.path.join(FIXTURE, "data"), self.data)
        self.server = Server(self.data, extra_args=["--hot-window", "0"], secret=self.expected["secret"])
        self.server.start()
        self.addCleanup(self.server.stop)

    def assert_same_answers(self):
        for r in self.expected["requests"]:
            with self.subTest(r["name"]):
                status, headers, answer = self.server.request(
                    r["method"], r["path"], r["body"], headers=r["headers"], token=self.server.token(*r["as"]))
                self.assertEqual(status, r["status"], answer)
                self.assertEqual(answer, as_answered_now(r["answer"]))
                self.assertEqual(headers.get("ETag"), r["etag"])
                self.assertEqual(headers.get("Comanda-Position"), r["position"])

    def test_the_old_directory_serves_the_same_answers_before_and_after_a_restart(self):
        self.assertEqual(self.server.position(), self.expected["position"])
        self.assert_same_answers()
        self.server.restart()  # now from this build's own snapshot of the read models
        self.assert_same_answers()

    def test_history_and_verify_read_the_old_log_as_before(self):
        # The same events and findings as the old build printed; the columns
        # and the summary have grown since (local times, what changed, the
        # idempotency index), so they are compared field by field.
        self.server.stop()
        history = cli("history", self.expected["ids"]["delivered"], "--data", self.data)
        self.assertEqual(history.returncode, 0, history.stderr)
        then = [line.split()[:5] for line in self.expected["history"].splitlines()[1:]]
        now = [line.split() for line in history.stdout.splitlines()[1:]]
        # POSITION, RECORDED AT, VERSION, ACTOR, EVENT then; LOCAL TIME and UTC now.
        self.assertEqual([[r[0], r[2], r[3], r[4], r[5]] for r in now], then)
        verify = cli("verify", "--data", self.data)
        self.assertEqual(verify.returncode, 0, verify.stderr)
        counts = self.expected["verify"].split(";")[0]  # "ok: 18 events in 18 batches, 8 streams"
        self.assertTrue(verify.stdout.startswith(counts), verify.stdout)
        self.assertIn(self.expected["verify"].split("(head ")[1], verify.stdout, "the same chain head")

    def test_the_log_grows_on_from_where_the_old_build_left_it(self):
        status, _, order = self.server.post("/v1/orders", order_body(self.expected["ids"]["lima"]))
        self.assertEqual(status, 201, order)
        self.assertEqual(order["reference"], "A001-000004")  # three were placed at Lima before
        self.assertEqual(self.server.position(), self.expected["position"] + 1)
        self.server.stop()
        verify = cli("verify", "--data", self.data)
        self.assertEqual(verify.returncode, 0, verify.stderr)
        self.assertIn(f"ok: {self.expected['position'] + 1} events", verify.stdout)


if __name__ == "__main__":
    unittest.main()
