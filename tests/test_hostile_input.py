"""Hostile input costs bounded time and never stalls the event loop: header regexes, HTML nesting, CSS
that hides text, the worker pool's hard budget, and the inbound API under a 1 MB HTML body."""

from __future__ import annotations

import asyncio
import time
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from omnihub_connectors.email.mailbox import split_by_bytes
from omnihub_connectors.email.parsing import parse_email

from omnihub.channels.spi import OverBudget
from omnihub.config import Settings
from omnihub.domain.enums import Role
from omnihub.domain.html import MAX_NESTING, MAX_OUTPUT_CHARS, OUTPUT_GROWTH, sanitize_html
from omnihub.domain.html_nesting import MAX_ACTIVE_FORMATTING
from omnihub.services.cpu_budget import CpuBudget
from tests.live import LiveHub, auth, running_live_hub

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Depth(HTMLParser):
    """The deepest element nesting of a document, measured by the standard library's own parser."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = self.deepest = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag not in _VOID:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID:
            self.depth -= 1


def nesting(html: str) -> int:
    parser = _Depth()
    parser.feed(html)
    parser.close()
    return parser.deepest


def hostile_header_mail(size: int) -> bytes:
    run = "a@" * (size // 2)
    return (
        f"From: Layla <layla@example.com>\r\nTo: support@omnihub.test\r\nX-Original-To: {run}\r\n"
        f"Delivered-To: {run}\r\nReceived: from x by y for {run};\r\nCc: {run}\r\nReferences: {run}\r\n"
        f"Message-ID: <{run}>\r\nSubject: hello\r\n\r\nWhere is my order?\r\n"
    ).encode()


@pytest.fixture
async def budget() -> Any:
    pool = CpuBudget(workers=1, budget_seconds=10.0, preload=("omnihub_connectors.email.parsing",))
    yield pool
    await pool.aclose()


async def test_mail_with_kilobytes_of_a_at_a_in_its_headers_parses_within_budget(budget: CpuBudget) -> None:
    # Before: 4 KB of "a@a@..." in X-Original-To took 47 s (cubic backtracking); 20 KB in seven fields
    # would take hours. The budget (10 s, in a worker) would raise OverBudget.
    parsed = await budget.run(parse_email, hostile_header_mail(20_000))
    assert parsed.sender is not None and parsed.sender.address == "layla@example.com"
    assert parsed.text.strip() == "Where is my order?"


@pytest.mark.parametrize(
    "html",
    [
        "<div></x>" * 10_000,  # end tags that close nothing did count as closing
        "<div>" * 20_000,
        "<b><div></b>" * 5_000,  # misnested formatting: the parser re-opens <b> over and over
        "<table><tr><td>" * 5_000,
        "<span><em></span>" * 10_000,
        "<b><i><u><s>" * 3_000 + "<p>x" * 3_000,
    ],
    ids=["unmatched-end-tags", "plain", "misnested", "tables", "half-closed", "formatting-then-blocks"],
)
def test_sanitized_html_never_nests_deeper_than_the_limit(html: str) -> None:
    assert nesting(sanitize_html(html)) <= MAX_NESTING


_TAGS = st.sampled_from(["div", "span", "b", "i", "p", "table", "tr", "td", "ul", "li", "a", "font", "x", "blockquote"])
_TOKEN = st.one_of(
    _TAGS.map(lambda tag: f"<{tag}>"), _TAGS.map(lambda tag: f"</{tag}>"), st.sampled_from(["text", "<br>", "&amp;"])
)


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TOKEN, min_size=1, max_size=40), st.integers(min_value=20, max_value=120))
def test_generated_tag_soup_never_nests_deeper_than_the_limit(tokens: list[str], repeat: int) -> None:
    assert nesting(sanitize_html("".join(tokens) * repeat)) <= MAX_NESTING


@pytest.mark.parametrize(
    "style",
    [
        "display:none",
        "display: NONE !important",
        "visibility:hidden",
        "position:fixed;top:0;left:0",
        "position:absolute",
        "z-index:9999",
        "opacity:0",
        "margin-top:-9999px",
        "margin:0 0 0 -5000px",
        "text-indent:-999em",
        "font-size:0",
        "font-size:1px",
        "font:0/0 a",
        "line-height:0",
        "color:transparent",
        "color:rgba(0,0,0,0)",
        "vertical-align:10000px",
        "unicode-bidi:bidi-override",
        "transform:translateY(-100%)",
        "clip-path:inset(50%)",
    ],
)
def test_css_that_hides_or_overlays_text_is_dropped(style: str) -> None:
    assert sanitize_html(f'<p style="{style}">Pay to IBAN DE00 1234</p>') == "<p>Pay to IBAN DE00 1234</p>"


@pytest.mark.parametrize(
    "style", ["display:block", "margin:0 auto", "font-size:12px", "color:#333", "line-height:1.4", "text-align:right"]
)
def test_ordinary_css_survives(style: str) -> None:
    assert "style=" in sanitize_html(f'<p style="{style}">Hello</p>')


def _stuck_in_a_regex(length: int) -> object:
    import re

    return re.match(r"(a+)+$", "a" * length + "!")  # exponential: never finishes within any budget


async def test_work_over_budget_is_stopped_the_loop_keeps_running_and_the_pool_recovers() -> None:
    pool = CpuBudget(workers=1, budget_seconds=0.5)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.02)
            ticks += 1

    ticker = asyncio.create_task(tick())
    try:
        await pool.run(str, 1)  # the worker is up before the clock starts
        ticks = 0
        with pytest.raises(OverBudget):
            await pool.run(_stuck_in_a_regex, 60)
        assert ticks >= 5, "the event loop stalled while the worker was stuck"
        assert pool.replaced == 1
        assert await pool.run(sanitize_html, "<b>still works</b>") == "<b>still works</b>"
    finally:
        ticker.cancel()
        await pool.aclose()


async def test_a_worker_that_died_while_idle_costs_the_next_item_nothing() -> None:
    pool = CpuBudget(workers=1, budget_seconds=5.0)
    try:
        await pool.run(str, 1)
        [worker] = pool._all
        worker.process.kill()
        worker.process.join(5)
        assert await pool.run(sanitize_html, "<i>parsed all the same</i>") == "<i>parsed all the same</i>"
        assert pool.replaced == 1
    finally:
        await pool.aclose()


def test_formatting_elements_reopened_by_the_parser_cannot_multiply_the_html() -> None:
    """Unclosed <b>s inside a <div> stay active, and the parser opens them again at every later text."""
    unclosed = "".join(f'<b title="{n}">' for n in range(250))
    crafted = f"<div>{unclosed}</div>" + "<div>x</div>" * 5000
    misnested = "".join(f'<i id="i{n}"><b id="b{n}"></i>x' for n in range(3000))

    for html in (crafted, misnested):
        cleaned = sanitize_html(html)
        assert len(cleaned) <= max(MAX_OUTPUT_CHARS, OUTPUT_GROWTH * len(html))
        assert nesting(cleaned) <= MAX_NESTING
    # Each text is wrapped in at most MAX_ACTIVE_FORMATTING formatting elements again (it was 250).
    assert sanitize_html(crafted).count("<b ") <= (MAX_ACTIVE_FORMATTING + 1) * 5001
    # Beyond the bound the HTML is dropped; the message keeps its text.
    assert sanitize_html(f"<div>{unclosed}</div>" + "<div>x</div>" * 20_000) == ""


def test_fetch_batches_are_bounded_by_bytes() -> None:
    mib = 1024 * 1024
    sizes = {1: 30 * mib, 2: 30 * mib, 3: 30 * mib, 4: 1 * mib, 5: 200 * mib}
    batches = split_by_bytes([1, 2, 3, 4, 5, 6], sizes, largest=50 * mib, budget=64 * mib)
    assert batches == [[1, 2], [3, 4], [5], [6]]  # 5 counts as its first 50 MiB; 6, of unknown size, as 50


# -- the inbound API, served by uvicorn -------------------------------------------------------------------


async def _healthz_keeps_answering(hub: LiveHub, stop: asyncio.Event) -> list[float]:
    """Poll /healthz until ``stop``; each answer must come within 1 s. Returns the response times."""
    times = []
    async with httpx.AsyncClient(base_url=hub.base, timeout=1.0) as client:
        while not stop.is_set():
            started = time.monotonic()
            response = await client.get("/healthz")
            assert response.status_code == 200
            times.append(time.monotonic() - started)
            await asyncio.sleep(0.05)
    return times


@pytest.mark.parametrize("budget_seconds", [0.05, 30.0], ids=["over-budget", "within-budget"])
async def test_inbound_api_with_a_megabyte_of_nested_html(settings: Settings, budget_seconds: float) -> None:
    settings = settings.model_copy(update={"parse_budget_seconds": budget_seconds, "pull_enabled": False})
    async with running_live_hub(settings) as hub:
        _, token = await hub.token("admin@example.com", Role.ADMIN)
        inbox = await hub.inbox(token, "API")
        await hub.http.get("/healthz")
        stop = asyncio.Event()
        poller = asyncio.create_task(_healthz_keeps_answering(hub, stop))
        body = {
            "external_id": "hostile-1",
            "contact": {"identifier": "mallory"},
            "content": "see the HTML",
            "html": "<div></x>" * 110_000,
        }
        response = await hub.http.post(f"/api/v1/inboxes/{inbox}/inbound", json=body, headers=auth(token), timeout=120)
        stop.set()
        times = await poller
        assert len(times) >= 2
        if budget_seconds < 1:
            assert response.status_code == 422, response.text
            assert response.json()["detail"][0]["loc"] == ["body", "html"]
        else:
            assert response.status_code == 201, response.text
            message = await hub.http.get(
                f"/api/v1/conversations/{response.json()['conversation_id']}/messages", headers=auth(token)
            )
            html = message.json()["items"][-1]["html"]
            assert nesting(html) <= MAX_NESTING
