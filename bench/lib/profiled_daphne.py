"""Daphne under cProfile, switched on and off from outside: for bench/realtime.py --profile.

    python -m bench.lib.profiled_daphne <daphne's own arguments>   # from the repository root

SIGUSR1 starts profiling Daphne's main thread (its event loop: the consumers, the channel
layer's client, Twisted and autobahn); SIGUSR2 stops and writes the statistics to the file
named by SERAMBI_BENCH_PROFILE, so that a profile covers the replies and not the start-up or
the sockets' opening. The threads of database_sync_to_async are not profiled.
"""

import cProfile
import os
import signal
import sys

from daphne.cli import CommandLineInterface

_profile = cProfile.Profile()
_output = os.environ["SERAMBI_BENCH_PROFILE"]


def _start(signum, frame) -> None:
    _profile.enable()


def _stop(signum, frame) -> None:
    _profile.disable()
    _profile.dump_stats(_output)


signal.signal(signal.SIGUSR1, _start)
signal.signal(signal.SIGUSR2, _stop)

if __name__ == "__main__":
    sys.argv[0] = "daphne"
    CommandLineInterface.entrypoint()
