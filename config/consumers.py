from __future__ import annotations

from channels.generic.websocket import WebsocketConsumer


class NotFoundConsumer(WebsocketConsumer):
    """Refuses a websocket to an address no app serves, with close code 4404, instead of
    letting the router raise (which Daphne logs as a server error for every scanner)."""

    def connect(self) -> None:
        self.close(code=4404)
