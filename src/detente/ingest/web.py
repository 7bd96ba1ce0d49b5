"""Fetching an article over http(s): timeout, size cap, redirect limit, content-type check.

The timeout is applied twice: httpx's per-operation timeout catches a server that never answers,
and a deadline over the whole download catches one that trickles bytes slowly forever.

With ``Settings.http_allow_private`` off (the web app listening beyond this machine), every
request, redirects included, must go to a host whose addresses are all public: an import form
must not become a way to read this machine's or the office network's internal pages. The check
resolves the name just before the request (without a time limit of its own); a DNS answer that
changes between the two (rebinding) is not covered. Behind a reverse proxy the app listens on
127.0.0.1 and cannot tell: set ``DETENTE_HTTP_ALLOW_PRIVATE=0`` there.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass

import httpx

from detente.config import Settings
from detente.records import Problem

USER_AGENT = "detente/0.1 (+news negotiation reader)"
HTML_TYPES = {"text/html", "application/xhtml+xml"}
TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}
FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/x-rss+xml",
}
ACCEPTED = HTML_TYPES | TEXT_TYPES | FEED_TYPES


@dataclass(frozen=True, slots=True)
class Fetched:
    """A downloaded response: raw bytes, its media type and charset, and the final address."""

    data: bytes
    media_type: str  # "text/html", "" when the server sent none
    charset: str | None
    url: str


class PrivateAddress(Exception):
    """A request to a host on this machine or a private network, when those are refused."""


NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address is public, looking through IPv6 forms that carry an IPv4 address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and (ip in NAT64 or int(ip) >> 32 == 0):  # NAT64, "::a.b.c.d"
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return _public(embedded)
    return ip.is_global and not ip.is_multicast


def private_address(host: str) -> str | None:
    """The first address of ``host`` (an ASCII host name or an address) that is not public
    (loopback, private, link-local, ...), or None when all are public. A name that does not
    resolve is left to the request to report."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), None)
    except socket.gaierror:
        return None
    for *_, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if not _public(ip):
            return str(ip)
    return None


def _refuse_private(request: httpx.Request) -> None:
    # the host as httpx connects to it (IDNA-encoded), not as displayed
    host = request.url.raw_host.decode("ascii", errors="replace")
    if (ip := private_address(host)) is not None:
        raise PrivateAddress(
            f"{request.url.host} is a local or private address ({ip}); only public ones are fetched"
        )


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def fetch_url(url: str, settings: Settings) -> Fetched | Problem:
    """The response body of ``url``, or a Problem saying why there is none."""
    deadline = time.monotonic() + settings.http_timeout
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=settings.http_max_redirects,
                timeout=settings.http_timeout,
                headers={"User-Agent": USER_AGENT, "Accept": ", ".join(sorted(ACCEPTED)) + ", */*;q=0.1"},
                event_hooks={"request": [] if settings.http_allow_private else [_refuse_private]},
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                phrase = response.reason_phrase or ""
                return Problem(url, f"HTTP {response.status_code} {phrase}".strip())
            kind = media_type(response.headers.get("content-type", ""))
            if kind and kind not in ACCEPTED:
                return Problem(url, f"not an article: content type {kind} (HTML, plain text or feeds only)")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > settings.http_max_bytes:
                return Problem(
                    url,
                    f"response of {int(declared):,} bytes is over the {settings.http_max_bytes:,}-byte limit",
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > settings.http_max_bytes:
                    return Problem(url, f"response over the {settings.http_max_bytes:,}-byte limit (stopped)")
                if time.monotonic() > deadline:
                    return Problem(url, f"no complete answer within {settings.http_timeout:g} s")
                chunks.append(chunk)
            return Fetched(b"".join(chunks), kind, response.charset_encoding, str(response.url))
    except PrivateAddress as e:
        return Problem(url, f"refused: {e}")
    except httpx.TooManyRedirects:
        return Problem(url, f"more than {settings.http_max_redirects} redirects")
    except httpx.TimeoutException:
        return Problem(url, f"no answer within {settings.http_timeout:g} s")
    except httpx.UnsupportedProtocol as e:
        return Problem(url, f"unsupported address: {e}")
    except httpx.HTTPError as e:
        return Problem(url, f"unreachable: {_reason(e)}")
    except httpx.InvalidURL as e:
        return Problem(url, f"invalid address: {e}")


def _reason(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return f"{type(error).__name__}: {text}" if type(error).__name__ not in text else text
