"""Fetching an article over http(s): timeout, size cap, redirect limit, content-type check."""

from __future__ import annotations

import httpx

from detente.config import Settings
from detente.ingest.decode import NotText, decode
from detente.records import Problem

ACCEPTED = ("text/html", "application/xhtml", "text/plain", "application/rss", "application/atom", "xml")


def fetch_url(url: str, settings: Settings) -> tuple[str, str, str] | Problem:
    """(text, content type, final URL) or a Problem saying why not."""
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=settings.http_max_redirects,
                timeout=settings.http_timeout,
                headers={"User-Agent": "detente/0.1 (+news negotiation reader)"},
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                return Problem(url, f"HTTP {response.status_code}")
            content_type = response.headers.get("content-type", "").lower()
            if content_type and not any(t in content_type for t in ACCEPTED):
                return Problem(url, f"not an article: content type {content_type.split(';')[0]}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > settings.http_max_bytes:
                return Problem(url, f"response of {int(declared):,} bytes is over the limit")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > settings.http_max_bytes:
                    return Problem(url, f"response over the {settings.http_max_bytes:,}-byte limit")
                chunks.append(chunk)
            text = decode(b"".join(chunks), url, response.charset_encoding)
            return text, content_type, str(response.url)
    except httpx.TooManyRedirects:
        return Problem(url, f"more than {settings.http_max_redirects} redirects")
    except httpx.TimeoutException:
        return Problem(url, f"no answer within {settings.http_timeout:g} s")
    except httpx.HTTPError as e:
        return Problem(url, f"unreachable: {type(e).__name__}: {e}")
    except NotText as e:
        return Problem(url, str(e))
