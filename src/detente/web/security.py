"""Headers that keep the pages inert, and a cap on request bodies.

Pages get a Content-Security-Policy that allows scripts and styles from the app itself only,
plus inline ``<style>`` elements that carry the response's nonce (the SVG charts); no inline
script, no plugin, no framing. Request bodies larger than the upload cap are refused with 413
before they are read into memory or a temporary file.
"""

from __future__ import annotations

import secrets
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
)


class SecurityHeaders:
    """Adds the policy headers to every response; a route may set its own CSP first."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        headers = dict((k.lower(), v) for k, v in scope.get("headers", []))
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            await _too_large(send, self.max_body, nonce)
            return
        received = 0
        sent_start = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise HTTPException(
                        413, f"Request too large: uploads are limited to {self.max_body:,} bytes."
                    )
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal sent_start
            if message["type"] == "http.response.start":
                sent_start = True
                raw = list(message.get("headers", []))
                names = {k.lower() for k, _ in raw}
                if b"content-security-policy" not in names:
                    raw.append((b"content-security-policy", CSP.format(nonce=nonce).encode()))
                raw += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
                message = {**message, "headers": raw}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except HTTPException as e:
            if e.status_code != 413 or sent_start:
                raise
            await _too_large(send, self.max_body, nonce)


async def _too_large(send: Send, limit: int, nonce: str) -> None:
    body = f"Request too large: uploads are limited to {limit:,} bytes.".encode()
    headers: list[tuple[bytes, Any]] = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"content-security-policy", CSP.format(nonce=nonce).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
