"""The ASGI application Daphne serves: pages over HTTP, and the websocket gate."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.testing import HttpCommunicator, WebsocketCommunicator

from config.asgi import application


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_are_served_over_asgi():
    async def fetch():
        communicator = HttpCommunicator(application, "GET", "/", headers=[(b"host", b"localhost")])
        return await communicator.get_response(timeout=10)

    response = async_to_sync(fetch)()
    assert response["status"] == 200
    assert b"Serambi" in response["body"]


def connect(path: str, origin: bytes) -> tuple[bool, int | None]:
    async def attempt():
        communicator = WebsocketCommunicator(
            application, path, headers=[(b"host", b"localhost"), (b"origin", origin)]
        )
        connected, code = await communicator.connect(timeout=5)
        await communicator.disconnect()
        return connected, code

    return async_to_sync(attempt)()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_websocket_from_a_foreign_origin_is_refused():
    # refused at the gate (plain close), before any route is looked at (4404)
    assert connect("/ws/no-such-route/", b"https://evil.example") == (False, 1000)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_websocket_to_an_unknown_path_is_refused_with_4404():
    assert connect("/ws/no-such-route/", b"http://localhost") == (False, 4404)
