"""The comanda tool's command line: a table of subcommands, each with its
own flags and --help; usage errors exit 2 and say what was wrong."""

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
        for name in ("history", "verify", "statuses", "token"):
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

    def test_a_missing_argument_is_a_usage_error(self):
        self.assert_usage_error(cli("history"), "ORDER_ID")
        self.assert_usage_error(cli("history", "--data"), "--data")


if __name__ == "__main__":
    unittest.main()
