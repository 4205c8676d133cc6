"""Who may drive the dashboard: an ASGI middleware in front of Solara's server that refuses a
request or websocket whose Origin (or Host) is not the dashboard's own address, so a web page
open in the same browser cannot connect to it and move its levers or save arms (a cross-site
websocket is not covered by the browser's same-origin rule; a DNS-rebinding name fails the Host
check). Requests without an Origin (command-line clients, the readiness probe) pass."""

from __future__ import annotations

from typing import Any, Callable
from urllib.parse import urlsplit

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def allowed_hosts(host: str) -> set[str] | None:
    """Host names the dashboard answers to: loopback and the address it listens on; None (any
    name) when it listens on every interface, where the room's machines reach it by their own
    names (then only the Origin is checked against the Host)."""
    if host in ("", "0.0.0.0", "::"):
        return None
    return set(LOOPBACK) | {host.lower()}


def _split(netloc: str, default_port: int) -> tuple[str, int] | None:
    """'name:port' or '[v6]:port' -> (name, port); None if it does not parse."""
    try:
        parts = urlsplit(f"//{netloc}")
        return (parts.hostname or "").lower(), parts.port or default_port
    except ValueError:
        return None


class OriginCheck:
    """Refuse (HTTP 403, or a websocket closed with 1008) what comes from another site."""

    def __init__(self, app: Callable, hosts: set[str] | None, port: int):
        self.app, self.hosts, self.port = app, hosts, port

    def allows(self, headers: dict[str, str]) -> bool:
        """True when the Host is one of ours and the Origin, if any, is the same site as the Host."""
        host = _split(headers.get("host", ""), self.port) if "host" in headers else None
        if "host" in headers and (host is None or (self.hosts is not None and host[0] not in self.hosts)):
            return False
        origin = headers.get("origin")
        if origin is None:
            return True
        try:
            parts = urlsplit(origin)
            seen = ((parts.hostname or "").lower(), parts.port or (443 if parts.scheme == "https" else 80))
        except ValueError:
            return False
        if parts.scheme not in ("http", "https"):
            return False
        if host is not None:
            return seen == host
        return self.hosts is not None and seen[0] in self.hosts and seen[1] == self.port

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> Any:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if self.allows(headers):
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return None
        body = b"refused: this dashboard only answers pages it served itself\n"
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
        return None


def install(host: str, port: int) -> None:
    """Put ``OriginCheck`` in front of the app the server loads. Solara builds its Starlette app
    when uvicorn imports it (importing it earlier breaks Solara's app registry) and offers no
    middleware hook, so the check wraps uvicorn's loaded app, in this process only."""
    import uvicorn

    original = uvicorn.Config.load

    def load(self) -> None:
        original(self)
        if not isinstance(self.loaded_app, OriginCheck):
            self.loaded_app = OriginCheck(self.loaded_app, allowed_hosts(host), port)

    uvicorn.Config.load = load
