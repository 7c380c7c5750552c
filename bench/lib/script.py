"""Running a bench script: Ctrl+C and SIGTERM stop the servers, known failures stay short."""

from __future__ import annotations

import signal
from collections.abc import Callable

from bench.lib.report import step
from bench.lib.server import ServerError


class Terminated(Exception):
    """SIGTERM arrived."""


def run(main: Callable[[], int]) -> int:
    """Call main() and return the process exit status.

    Servers are context managers, so an exception is all it takes to stop them; SIGTERM is
    turned into one (Terminated) so that `kill` stops them too, and not only Ctrl+C.
    """

    def on_sigterm(signum: int, frame: object) -> None:
        raise Terminated

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        return main()
    except KeyboardInterrupt:
        step("interrupted; servers stopped")
        return 130
    except Terminated:
        step("terminated; servers stopped")
        return 128 + signal.SIGTERM
    except ServerError as error:
        step(f"failed: {error}")
        return 1
