"""The comanda tool's command line: a table of subcommands, each with its
own flags and --help; usage errors exit 2 and say what was wrong."""

import os
import tempfile
import unittest

from harness import cli


class CliTest(unittest.TestCase):
    def assert_usage_error(self, out, says):
        self.assertEqual(out.returncode, 2, out.stdout + out.stderr)
        self.assertEqual(out.stdout, "")
        self.assertIn(says, out.stderr)

    def test_help_lists_every_subcommand(self):
        out = cli("--help")
        self.assertEqual(out.returncode, 0, out.stderr)
        for name in ("history", "verify", "replay", "export", "import", "backup", "restore", "seed",
                     "statuses", "token"):
            self.assertIn(name, out.stdout)

    def test_each_subcommand_has_its_own_help(self):
        out = cli("history", "--help")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("ORDER_ID", out.stdout)
        self.assertIn("--data", out.stdout)
        out = cli("token", "--help")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("--jwt-secret-file", out.stdout)
        self.assertNotIn("--data", out.stdout)

    def test_no_subcommand_or_an_unknown_one_is_a_usage_error(self):
        self.assert_usage_error(cli(), "subcommand")
        self.assert_usage_error(cli("replay-everything"), "unknown subcommand 'replay-everything'")

    def test_a_flag_of_another_subcommand_is_refused(self):
        self.assert_usage_error(cli("statuses", "--role", "admin"), "--role")
        self.assert_usage_error(cli("verify", "--sub", "u-1"), "--sub")
        self.assert_usage_error(cli("token", "--data", "/tmp"), "--data")

    def test_a_directory_that_holds_no_log_is_named(self):
        with tempfile.TemporaryDirectory() as foreign:
            with open(os.path.join(foreign, "notes.txt"), "w") as f:
                f.write("not a log")
            for args in (["verify"], ["replay"], ["export"],
                         ["history", "0190c2a4-0000-7000-8000-000000000000"]):
                with self.subTest(args[0]):
                    out = cli(*args, "--data", foreign)
                    self.assertEqual(out.returncode, 1, out.stderr)
                    self.assertIn(f"no event log at {foreign}/log: is --data a Comanda data directory?",
                                  out.stderr)
            self.assertIn("no log in", cli("backup", os.path.join(foreign, "b"), "--data", foreign).stderr)
            self.assertIn("not a backup", cli("restore", foreign, "--data", os.path.join(foreign, "r")).stderr)
            self.assertEqual(sorted(os.listdir(foreign)), ["notes.txt"], "nothing written into it")

    def test_a_missing_argument_is_a_usage_error(self):
        self.assert_usage_error(cli("history"), "ORDER_ID")
        self.assert_usage_error(cli("history", "--data"), "--data")


if __name__ == "__main__":
    unittest.main()
