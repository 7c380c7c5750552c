"""config.settings with another channel layer on the same Redis, for comparing layers.

For bench/realtime.py --layer and --layer-socket-timeout: the servers run with
DJANGO_SETTINGS_MODULE=bench.lib.layer_settings and

- SERAMBI_BENCH_LAYER: `pubsub` (channels_redis.pubsub.RedisPubSubChannelLayer: one PUBLISH
  a broadcast, each Daphne process hands it to its own sockets) or `core`
  (channels_redis.core.RedisChannelLayer: a sorted set per group, a message stored for each
  Daphne process and popped with BZPOPMIN);
- SERAMBI_BENCH_LAYER_SOCKET_TIMEOUT: the layer's Redis connections' socket timeout, in
  seconds, or `none` (redis-py 8's default is 5 s, the time the core layer's BZPOPMIN waits).

Everything else is production's settings, unchanged; so is the layer's prefix.
"""

import os

from config.settings import *  # noqa: F403
from config.settings import CHANNEL_LAYERS, REDIS_URL

BACKENDS = {
    "core": "channels_redis.core.RedisChannelLayer",
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
}

_backend = os.environ.get("SERAMBI_BENCH_LAYER", "")
_timeout = os.environ.get("SERAMBI_BENCH_LAYER_SOCKET_TIMEOUT", "")
if REDIS_URL and (_backend or _timeout):
    _layer = dict(CHANNEL_LAYERS["default"])
    _config = dict(_layer["CONFIG"])
    if _backend:
        _layer["BACKEND"] = BACKENDS[_backend]
    if _timeout:
        seconds = None if _timeout == "none" else float(_timeout)
        _config["hosts"] = [{"address": REDIS_URL, "socket_timeout": seconds}]
    _layer["CONFIG"] = _config
    CHANNEL_LAYERS = {"default": _layer}
