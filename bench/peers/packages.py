"""Debian packages the benchmarks' peers need, installed when missing
(apt-get, idempotent; sudo when not root)."""

import os
import subprocess


def apt_install(*packages):
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
                   check=True, env=env, stdout=subprocess.DEVNULL)
