"""A breadth-first crawl of what one signed-in user is shown: every same-site link, every GET form
(submitted as it stands) and every URL the page's htmx fetches by itself. GET only.

Shared by the test-client crawl (tests/guards/test_role_crawl.py) and the browser crawl
(tests/guards/test_browser_crawl.py).
"""

import heapq
import itertools
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.urls import Resolver404, resolve

SITE_HOSTS = {"", "testserver", "localhost", "127.0.0.1"}
# Not pages: assets, and signing out (a POST form in this app; a link to it would end the crawl).
SKIPPED_PREFIXES = ("/static/", "/media/", "/accounts/logout/", "/admin/logout/")
SIGN_IN = "/accounts/login/"
DOWNLOAD_FORMATS = {"csv", "xlsx"}
DOWNLOAD_URL_NAMES = {"documents:download", "documents:preview", "records:subject_access_download"}
PER_PATTERN = 3  # visits of one URL pattern with one set of query keys (different arguments)...
PER_PATTERN_MORE = 6  # ...and up to this many, for pages that led somewhere new, once all else is done
PER_ROLE = 300  # requests at most per role
# The Django admin's own machinery (list filters and sorting, delete confirmations that walk every
# related row) is Django's, tested by Django: each admin page is visited once, without its query.
ADMIN_SKIPPED_SUFFIXES = ("_delete",)


@dataclass(frozen=True)
class Link:
    url: str  # path and query, no fragment
    via: str  # the page it was shown on
    text: str  # what the user clicked (link text, button label or "form: <fields>")


@dataclass(frozen=True)
class DeadEnd:
    url: str
    name: str
    status: int
    via: str
    text: str
    detail: str = ""

    def __str__(self) -> str:
        why = f" ({self.detail})" if self.detail else ""
        return f"{self.status} {self.name} {self.url}{why} <- clicked {self.text!r} on {self.via}"


@dataclass(frozen=True)
class Button:
    """A POST form a user was shown: where it posts, what it says, the page it was on."""

    path: str
    name: str
    label: str
    via: str
    data: tuple[tuple[str, str], ...]  # what it sends as it stands

    @property
    def kind(self) -> tuple:
        """The same form on another record is the same kind of button: the URL name, the path's
        words (a change or action slug) and the names of the fields."""
        words = tuple(part for part in self.path.split("/") if part and not _looks_like_id(part))
        return (self.name, words, tuple(sorted({name for name, _ in self.data})))


def _looks_like_id(part: str) -> bool:
    return part.isdigit() or (len(part) == 36 and part.count("-") == 4)


@dataclass
class CrawlResult:
    visited: list[tuple[str, str, int]] = field(default_factory=list)  # (url, name, status)
    dead_ends: list[DeadEnd] = field(default_factory=list)
    buttons: dict[tuple, Button] = field(default_factory=dict)  # Button.kind: the first one seen
    skipped_by_cap: int = 0
    seconds: float = 0.0
    hubs: set[str] = field(default_factory=set)  # URL names whose pages led to a pattern not found before

    @property
    def names(self) -> set[str]:
        return {name for _, name, _ in self.visited}

    def summary(self, who: str) -> str:
        counts = Counter(name for _, name, _ in self.visited)
        lines = [
            f"{who}: {len(self.visited)} requests, {len(counts)} URL names, {self.skipped_by_cap} links left "
            f"unvisited by the caps, {len(self.buttons)} kinds of POST button shown, {self.seconds:.1f} s"
        ]
        lines += [f"    {count:3d} {name}" for name, count in sorted(counts.items())]
        return "\n".join(lines)


@dataclass
class Field:
    name: str
    kind: str  # input type, or "select", "select-multiple", "textarea"
    value: str = ""
    checked: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected) of a select


@dataclass
class Form:
    method: str
    action: str
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # (name, value, label) of submits

    @property
    def label(self) -> str:
        return self.buttons[0][2] if self.buttons else "(no button)"

    def names(self) -> set[str]:
        return {f.name for f in self.fields}

    def as_it_stands(self, button: int = 0) -> list[tuple[str, str]]:
        """What the browser sends when the button is pressed without changing anything."""
        data: list[tuple[str, str]] = []
        for f in self.fields:
            if f.kind in {"checkbox", "radio"}:
                if f.checked:
                    data.append((f.name, f.value or "on"))
            elif f.kind == "select":
                chosen = [v for v, selected in f.options if selected] or [v for v, _ in f.options[:1]]
                data += [(f.name, v) for v in chosen[:1]]
            elif f.kind == "select-multiple":
                data += [(f.name, v) for v, selected in f.options if selected]
            elif f.kind != "file":
                data.append((f.name, f.value))
        if self.buttons and self.buttons[button][0]:
            data.append((self.buttons[button][0], self.buttons[button][1]))
        return data


class _Page(HTMLParser):
    """Links (with their text), forms (with every field, hidden ones included, and their buttons) and
    the URLs htmx fetches by itself (hx-get) of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.forms: list[Form] = []
        self._anchor: tuple[str, list[str]] | None = None
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: tuple[str | None, bool, list[str]] | None = None
        self._textarea: tuple[Field, list[str]] | None = None
        self._button: tuple[str, str, list[str]] | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: C901
        if self._in_title:
            return  # a browser reads a title's content as text: a link in it is no link
        if tag == "title":
            self._in_title = True
            return
        a = {key: value or "" for key, value in attrs}
        if "hx-get" in a:
            self.links.append((a["hx-get"], f"(fetched by the page's {tag})"))
        if tag == "a" and a.get("href"):
            self._anchor = (a["href"], [])
        elif tag == "form":
            self._form = Form(method=(a.get("method") or "get").lower(), action=a.get("action", ""))
        elif self._form is None:
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "image"}:
                self._form.buttons.append((a.get("name", ""), a.get("value", ""), a.get("value", "Submit")))
            elif a.get("name") and kind not in {"button", "reset"}:
                self._form.fields.append(Field(a["name"], kind, a.get("value", ""), "checked" in a))
        elif tag == "button" and (a.get("type") or "submit").lower() == "submit":
            self._button = (a.get("name", ""), a.get("value", ""), [])
        elif tag == "select" and a.get("name"):
            self._select = Field(a["name"], "select-multiple" if "multiple" in a else "select")
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value"), "selected" in a, [])
        elif tag == "textarea" and a.get("name"):
            self._textarea = (Field(a["name"], "textarea"), [])

    def handle_data(self, data: str) -> None:
        for open_text in (self._anchor, self._option, self._textarea, self._button):
            if open_text is not None:
                open_text[-1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._in_title:
            self._in_title = tag != "title"
            return
        if tag == "a" and self._anchor is not None:
            self.links.append((self._anchor[0], " ".join("".join(self._anchor[1]).split())))
            self._anchor = None
        elif tag == "option" and self._option is not None and self._select is not None:
            value, selected, text = self._option
            self._select.options.append(("".join(text).strip() if value is None else value, selected))
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            self._form.fields.append(self._select)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._textarea[0].value = "".join(self._textarea[1]).removeprefix("\n")
            self._form.fields.append(self._textarea[0])
            self._textarea = None
        elif tag == "button" and self._button is not None and self._form is not None:
            name, value, text = self._button
            self._form.buttons.append((name, value, " ".join("".join(text).split())))
            self._button = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def forms_of(html: str) -> list[Form]:
    parser = _Page()
    parser.feed(html)
    return parser.forms


def links_of(html: str, page_url: str) -> list[Link]:
    """What a user can follow from a page with GET: links, GET forms as they stand, htmx GETs."""
    parser = _Page()
    parser.feed(html)
    found = [Link(href, page_url, text or href) for href, text in parser.links]
    for form in parser.forms:
        if form.method != "get":
            continue
        query = urlencode(form.as_it_stands())
        base = urlsplit(urljoin(page_url, form.action or page_url))
        found.append(Link(f"{base.path}?{query}" if query else base.path, page_url, f"{form.label} (a search form)"))
    return found


def post_forms_of(html: str, page_url: str) -> list[tuple[str, Form]]:
    """The POST forms of a page, each with the path it posts to."""
    return [
        (urlsplit(urljoin("http://testserver" + page_url, form.action or page_url)).path, form)
        for form in forms_of(html)
        if form.method == "post"
    ]


def same_site_path(href: str, page_url: str) -> str | None:
    """The path and query a link leads to, or None when it leaves the site or is not a page."""
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    parts = urlsplit(urljoin("http://testserver" + page_url, href))
    if parts.scheme not in {"http", "https"} or (parts.hostname or "") not in SITE_HOSTS:
        return None
    if parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def url_name(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def pattern_key(path: str, *, with_query: bool = True) -> tuple[str, tuple[str, ...]]:
    """One URL pattern with one set of query keys: visited at most PER_PATTERN times per role."""
    parts = urlsplit(path)
    name = url_name(path) or parts.path
    if name.startswith("admin:") or not with_query:
        return (name, ())
    keys = tuple(sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)} - {"page"}))
    return (name, keys)


def _limit(name: str, per_pattern: int, per_pattern_more: int) -> tuple[int, int]:
    if name.startswith("admin:"):
        return (0, 0) if name.endswith(ADMIN_SKIPPED_SUFFIXES) else (1, 1)
    return per_pattern, per_pattern_more


def is_download(path: str) -> bool:
    """A list's download (`?format=csv`), a file the app serves by its name (`sample.csv`), or a
    document's file (downloaded, or shown by the browser's viewer)."""
    if url_name(path) in DOWNLOAD_URL_NAMES:
        return True
    parts = urlsplit(path)
    named_file = parts.path.rsplit(".", 1)[-1] in DOWNLOAD_FORMATS if "." in parts.path else False
    return named_file or dict(parse_qsl(parts.query)).get("format") in DOWNLOAD_FORMATS


Fetch = Callable[[str], tuple[int, str, str, str]]  # path -> (status, location, content type, body)


def crawl(  # noqa: C901
    fetch: Fetch,
    start: str,
    *,
    cap: int = PER_ROLE,
    per_pattern: int = PER_PATTERN,
    per_pattern_more: int = PER_PATTERN_MORE,
    skip: tuple[str, ...] = (),
    skip_names: frozenset[str] = frozenset(),
    every_link_kind: bool = True,
    routes_only: bool = False,
) -> CrawlResult:
    """Breadth-first from `start`, links to URL patterns not yet visited first. Each pattern (with
    one set of query keys) is visited `per_pattern` times, or up to `per_pattern_more` when its pages
    led somewhere new, and (with `every_link_kind`) each kind of link (the page's URL name, the
    target's pattern) at least once. With `routes_only`, a pattern is one whatever its query, and
    downloads are left out. A dead end is any answer of 400 or more, a redirect to the
    sign-in page, a download that is not 200, or a link to a URL the project does not have."""
    began = time.monotonic()
    result = CrawlResult()
    order = itertools.count()
    # (tier, order, link): tier 0 while the link's pattern has had fewer than PER_PATTERN visits.
    queue: list[tuple[int, int, Link]] = [(0, next(order), Link(start, "(sign-in)", "(home after sign-in)"))]
    seen: set[str] = {start}
    per_key: Counter = Counter()
    keys_found: set[tuple] = {pattern_key(start, with_query=not routes_only)}
    productive: set[tuple] = set()  # patterns one of whose pages linked to a pattern not found before
    edges_done: set[tuple] = set()  # (URL name of the page a link was on, pattern key of its target)

    def push(link: Link, *, first: bool = False) -> bool:
        """Queue a link; True when it is to a pattern not found before."""
        if link.url in seen:
            return False
        seen.add(link.url)
        heapq.heappush(queue, (0, -next(order) if first else next(order), link))
        key = pattern_key(link.url, with_query=not routes_only)
        new = key not in keys_found
        keys_found.add(key)
        return new

    while queue and len(result.visited) < cap:
        tier, position, link = heapq.heappop(queue)
        name = url_name(link.url)
        if name is None:
            result.dead_ends.append(DeadEnd(link.url, "(no such URL)", 404, link.via, link.text))
            continue
        key = pattern_key(link.url, with_query=not routes_only)
        if urlsplit(link.url).path.startswith(skip) or (name in skip_names and link.url != start):
            continue
        if routes_only and is_download(link.url):
            continue
        first_visits, most_visits = _limit(name, per_pattern, per_pattern_more)
        # Every kind of link from every kind of page is followed once (a link the case page shows is
        # not the same click as one in the caseload), whatever the pattern's count; the admin apart.
        edge = (url_name(link.via) or link.via, key)
        if edge in edges_done or name.startswith("admin:") or not every_link_kind:
            if per_key[key] >= most_visits or (per_key[key] >= first_visits and key not in productive):
                result.skipped_by_cap += 1
                continue
            if per_key[key] >= first_visits and tier == 0:
                heapq.heappush(queue, (1, position, link))  # after everything new
                continue
        edges_done.add(edge)
        per_key[key] += 1
        status, location, content_type, body = fetch(link.url)
        result.visited.append((link.url, name, status))
        if 300 <= status < 400:
            target = same_site_path(location, link.url) if location else None
            if target is not None and urlsplit(target).path == SIGN_IN:
                result.dead_ends.append(DeadEnd(link.url, name, status, link.via, link.text, "sent to sign in"))
            elif target is not None:
                push(Link(target, link.via, link.text), first=True)  # the same click, carried on
            continue
        if status >= 400 or (is_download(link.url) and status != 200):
            result.dead_ends.append(DeadEnd(link.url, name, status, link.via, link.text))
            continue
        if "html" not in content_type:
            continue
        for path, form in post_forms_of(body, link.url):
            if form.buttons and not path.startswith(SKIPPED_PREFIXES):
                button = Button(path, url_name(path) or path, form.label, link.url, tuple(form.as_it_stands()))
                result.buttons.setdefault(button.kind, button)
        for found in links_of(body, link.url):
            target = same_site_path(found.url, link.url)
            if target is not None and push(Link(target, found.via, found.text)):
                productive.add(key)
    result.skipped_by_cap += len(queue)
    result.hubs = {key[0] for key in productive}
    result.seconds = time.monotonic() - began
    return result
