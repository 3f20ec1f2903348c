"""A crawler for tests: open every page a person can reach, as they would, and say what went wrong.

`crawl(client)` starts from the home page and follows every same-site link (`<a href>`), every
form's address (`<form action>`) and every redirect, by GET, until there is nothing new;
`pattern_addresses(...)` then gives every URL pattern of the site filled with the keys the crawl
met, so that pages no link leads to are opened too. While it runs, every statement
sent to the database is watched: any INSERT, UPDATE or DELETE is recorded against the address
that sent it, so a test can say "opening a page never writes".

Signing in writes (the session, the last sign-in time); sign in with `client.force_login`
before crawling. Writes to the session table are not counted, so that a session touched on each
request (to time out an idle one, say) is not mistaken for a page writing.

    result = crawl(client)
    assert not result.writes, result.describe_writes()
    assert not result.broken_links(), result.describe_broken_links()
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

# Addresses a crawl never opens: signing out would end the crawl, and the admin is for
# Headway's own staff, not for the roles within an organisation.
NOT_FOLLOWED = ("/sign-out/", "/admin/", "/static/")

# Statements that change data. Matched at the start of the SQL, after any comment.
_WRITE = re.compile(r"^\s*(?:/\*.*?\*/\s*)?(INSERT|UPDATE|DELETE|REPLACE|TRUNCATE)\b", re.IGNORECASE | re.DOTALL)
# Statements on these tables are not counted as a page writing (see the module's docstring).
NOT_COUNTED_TABLES = ("django_session",)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # A form's address counts as a link: a form shown to someone who may not send it is as
        # much a dead end as a link, and its address opened by GET says which (a refusal, or
        # the way back to the form's page).
        href = dict(attrs).get({"a": "href", "form": "action"}.get(tag, ""))
        if href:
            self.hrefs.append(href)


def links_in(html: str, base: str) -> list[str]:
    """The same-site addresses the page's links and forms lead to, without their fragments."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urldefrag(urljoin(base, href)).url
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue  # another site, or mailto: and the like
        address = parts.path + (f"?{parts.query}" if parts.query else "")
        if address and not address.startswith(NOT_FOLLOWED):
            found.append(address)
    return found


@dataclass(frozen=True)
class Write:
    address: str
    sql: str


@dataclass
class CrawlResult:
    """What a crawl met: each address's status, which pages linked to each address, and the writes."""

    label: str
    status: dict[str, int] = field(default_factory=dict)
    linked_from: dict[str, set[str]] = field(default_factory=dict)
    writes: list[Write] = field(default_factory=list)

    def broken_links(self, bad: Callable[[int], bool] = lambda status: status >= 400) -> dict[str, int]:
        """{address: status} for every address a page linked to that did not open."""
        return {a: s for a, s in self.status.items() if a in self.linked_from and bad(s)}

    def describe_broken_links(self, bad: Callable[[int], bool] = lambda status: status >= 400) -> str:
        lines = [f"{self.label}: links that lead to an error page:"]
        for address, status in sorted(self.broken_links(bad).items()):
            pages = ", ".join(sorted(self.linked_from[address])[:3])
            lines.append(f"  {status} {address} (linked from {pages})")
        return "\n".join(lines)

    def describe_writes(self) -> str:
        lines = [f"{self.label}: opening these pages wrote to the database:"]
        for write in self.writes[:30]:
            lines.append(f"  GET {write.address}: {write.sql[:200]}")
        return "\n".join(lines)


@contextmanager
def watching_writes(result: CrawlResult, address: Callable[[], str]) -> Iterator[None]:
    """Record every data-changing statement sent while inside, against `address()`."""

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if _WRITE.match(sql) and not any(table in sql for table in NOT_COUNTED_TABLES):
            result.writes.append(Write(address(), sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def _is_html(response: Any) -> bool:
    return str(response.get("Content-Type", "")).startswith("text/html")


def _variant(address: str) -> tuple[str, frozenset[str]]:
    """An address's path and the names in its query: "/initiatives/?status=active&sort=title"
    and "/initiatives/?status=paused&sort=status" are variants of one page, opened once."""
    parts = urlsplit(address)
    return parts.path, frozenset(name for name, _ in parse_qsl(parts.query, keep_blank_values=True))


def crawl(
    client: Client,
    *,
    label: str = "",
    start: Iterable[str] = ("/",),
    also: Iterable[str] = (),
    into: CrawlResult | None = None,
    limit: int = 1000,
) -> CrawlResult:
    """Open `start` and everything linked from it, then `also` (addresses no link need lead to)
    and everything linked from those, by GET as the client's signed-in person; `into` carries
    on an earlier crawl, opening only what it has not. A redirect is followed as a link from the
    page that redirected. Of the addresses that differ only in the values of their query (a
    list's filters and sort orders), the first found is opened. Server errors are recorded as
    status 500, not raised."""
    client.raise_request_exception = False
    result = into or CrawlResult(label)
    queue: deque[str] = deque()
    seen = {_variant(address) for address in result.status}

    def add(address: str, linked_from: str | None) -> None:
        if linked_from is not None:
            result.linked_from.setdefault(address, set()).add(linked_from)
        variant = _variant(address)
        if variant not in seen:
            seen.add(variant)
            queue.append(address)

    for address in start:
        add(address, None)
    extra = list(also)
    # Refusals and errors are what the crawl looks for: recorded, not logged.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.CRITICAL)
    try:
        _open_all(client, result, queue, extra, add, limit)
    finally:
        request_log.setLevel(level)
    return result


def _open_all(
    client: Client,
    result: CrawlResult,
    queue: deque[str],
    extra: list[str],
    add: Callable[[str, str | None], None],
    limit: int,
) -> None:
    current = [""]
    with watching_writes(result, lambda: current[0]):
        while queue or extra:
            if not queue:
                add(extra.pop(0), None)
                continue
            address = queue.popleft()
            if len(result.status) >= limit:
                raise AssertionError(
                    f"{result.label}: the crawl passed {limit} addresses; is a link generating addresses?"
                )
            current[0] = address
            response = client.get(address)
            result.status[address] = response.status_code
            if response.status_code in (301, 302, 303, 307, 308):
                target = urldefrag(urljoin(address, response["Location"])).url
                parts = urlsplit(target)
                if parts.netloc in ("", "testserver"):
                    add(parts.path + (f"?{parts.query}" if parts.query else ""), address)
            elif response.status_code == 200 and _is_html(response):
                for link in links_in(response.content.decode(), address):
                    add(link, address)


# Every URL pattern, filled with real keys ----------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    name: str
    route: str  # the pattern's route, from the site's root ("rounds/<int:pk>/close/")
    keys: tuple[str, ...]


def url_patterns(patterns: Iterable[Any] | None = None, namespace: str = "", prefix: str = "") -> Iterator[Pattern]:
    """Every named URL pattern of the site (the admin left out)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, ns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield Pattern(
                f"{namespace}{pattern.name}", prefix + str(pattern.pattern), tuple(pattern.pattern.converters)
            )


def _stem(route: str) -> str:
    """The route up to and including its key: "rounds/<int:pk>/close/" → "rounds/<int:pk>"."""
    return route.split(">", 1)[0] + ">" if ">" in route else route


def pattern_addresses(found: Iterable[str]) -> tuple[list[str], list[str]]:
    """Every URL pattern with no key or only a `pk`, filled with the keys of addresses the crawl
    found: those of the same pattern, or else those of patterns with the same stem (the keys of
    "rounds/<pk>/" fill "rounds/<pk>/close/"). Returns (addresses, names of patterns no key was
    found for). Patterns with other keys (a password-reset token) are left out."""
    keys_by_stem: dict[str, set[int]] = {}
    keys_by_name: dict[str, set[int]] = {}
    routes = {p.name: p.route for p in url_patterns()}
    for address in found:
        try:
            match = resolve(urlsplit(address).path)
        except Resolver404:
            continue
        if set(match.kwargs) == {"pk"}:
            keys_by_name.setdefault(match.view_name, set()).add(int(match.kwargs["pk"]))
            keys_by_stem.setdefault(_stem(routes.get(match.view_name, "")), set()).add(int(match.kwargs["pk"]))
    addresses: list[str] = []
    missing: list[str] = []
    for pattern in url_patterns():
        if not pattern.keys:
            addresses.append(reverse(pattern.name))
            continue
        if set(pattern.keys) != {"pk"}:
            continue
        keys = keys_by_name.get(pattern.name) or keys_by_stem.get(_stem(pattern.route))
        if not keys:
            missing.append(pattern.name)
            continue
        addresses += [reverse(pattern.name, kwargs={"pk": pk}) for pk in sorted(keys)]
    return [a for a in addresses if not a.startswith(NOT_FOLLOWED)], missing
