"""Console benchmark: the agent console in headless Chromium against a hub with a large history.

    python benchmarks/console.py                                  # 100,000 conversations, 1,000,000 messages
    python benchmarks/console.py --conversations 20000 --messages 200000 --switches 30

It starts an embedded PostgreSQL in a temporary directory, and fills two databases with the generator of
``benchmarks/conversation_list.py`` (``INSERT ... SELECT generate_series``): the large one, and a baseline
of 100 conversations / 1,000 messages. Each gets one more conversation of 5,000 messages, the newest.
For each database it starts the real hub (``omnihub serve``) and drives Debian's Chromium
(/usr/bin/chromium) through Playwright, signed in as an admin (who sees every conversation):

  * first list: navigation to the first conversation list painted (median of 5 loads);
  * switch: a click on a conversation in the list until its timeline is loaded and painted
    (p50 / p99 over --switches clicks, cycling through the first page of the list);
  * long conversation: a click on the 5,000-message conversation until its newest page is painted;
  * JS + CSS: the bytes of every script and stylesheet the page loaded, and the same gzipped (level 6).

The baseline is the same page against a nearly empty desk, in the same run on the same machine: what
is left once the data's size is taken away is the console's own cost, and the difference is what the
large history adds. Goals: first list <= 1 s, switch p99 <= 150 ms, JS + CSS <= 150 KB gzipped.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
from conversation_list import load_statements
from harness import REPO, Postgres, hub_server, omnihub_cli, percentile, postgres, running, table
from playwright.async_api import Page, Response, async_playwright

CHROMIUM = "/usr/bin/chromium"
EMAIL = "bench-console@example.com"
PASSWORD = "bench console password"
LONG_MESSAGES = 5000
GOAL_FIRST_LIST_MS = 1000.0
GOAL_SWITCH_P99_MS = 150.0
GOAL_ASSETS_GZIP_KB = 150.0
LIST_ITEMS = 'ul[aria-label="Conversations"] > li.conversation-item button'

# In the page: click a conversation (by its place in the list) and wait until a new timeline is loaded
# and a frame with it has been painted. Measured with the page's own clock, not the driver's round trips.
SWITCH_JS = """async ([index, items]) => {
  const old = document.querySelector('ol.timeline');
  const button = document.querySelectorAll(items)[index];
  const started = performance.now();
  button.click();
  await new Promise((resolve) => {
    const done = () => {
      const timeline = document.querySelector('ol.timeline');
      return timeline && timeline !== old && timeline.getAttribute('aria-busy') === 'false';
    };
    if (done()) return resolve();
    const observer = new MutationObserver(() => done() && (observer.disconnect(), resolve()));
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return performance.now() - started;
}"""

# Where the first load's time went: the last script loaded, the list asked for (after the socket's
# "ready") and answered, on the page's clock.
BREAKDOWN_JS = """() => {
  const entries = performance.getEntriesByType('resource');
  const scripts = entries.filter((e) => e.name.endsWith('.js') || e.name.endsWith('.css'));
  const list = entries.find((e) => e.name.includes('/api/v1/conversations?'));
  return [Math.max(...scripts.map((e) => e.responseEnd)), list ? list.startTime : -1, list ? list.responseEnd : -1];
}"""

# Installed before the console's own scripts on every load: the page's clock when the first list item
# is in the DOM and a frame with it has been painted (not when the driver, polling, notices it).
FIRST_LIST_INIT = """window.firstListPainted = new Promise((resolve) => {
  const observer = new MutationObserver(() => {
    if (!document.querySelector('%s')) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0));
  });
  observer.observe(document, { subtree: true, childList: true });
});""".replace("%s", LIST_ITEMS)


@dataclass
class Measured:
    label: str
    load_seconds: float
    first_list_ms: float
    switches_ms: list[float]
    long_ms: float
    long_items: int
    assets_bytes: int
    assets_gzip_bytes: int


def create_user(url: str, data_dir: Path) -> None:
    args = ["users", "create", EMAIL, "--name", "Bench Admin", "--role", "admin", "--password-stdin"]
    omnihub_env = {"OMNIHUB_DATABASE_URL": url, "OMNIHUB_DATA_DIR": str(data_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "omnihub.cli", *args],
        input=PASSWORD + "\n",
        env={**os.environ, **omnihub_env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"omnihub users create failed: {done.stderr}")


async def bulk_load(pg: Postgres, database: str, conversations: int, messages: int) -> None:
    connection = await asyncpg.connect(**pg.asyncpg_dsn(database))
    try:
        await connection.execute("SET synchronous_commit = off; SET maintenance_work_mem = '256MB'")
        await connection.execute("SET session_replication_role = replica")  # rows consistent by construction
        for label, sql in load_statements(conversations, messages, agents=20):
            started = time.perf_counter()
            status = await connection.execute(sql)
            print(f"  {database} {label:20} {status:24} {time.perf_counter() - started:6.1f} s", file=sys.stderr)
        await connection.execute("SET session_replication_role = origin")
        # The long conversation: the newest activity, so it is first in the list.
        long_id = await connection.fetchval(
            """INSERT INTO conversations (inbox_id, contact_id, status, subject, created_at, last_activity_at)
               VALUES (1, 1, 'open', 'A very long thread', now() - interval '1 day', now() + interval '1 minute')
               RETURNING id"""
        )
        await connection.execute(
            """INSERT INTO messages (conversation_id, inbox_id, direction, kind, sender_contact_id, text, created_at)
               SELECT $1, 1, 'incoming', 'message', 1, 'Long message ' || n,
                      now() - interval '1 day' + n * interval '1 second'
               FROM generate_series(1, $2::int) AS n""",
            long_id,
            LONG_MESSAGES,
        )
        await connection.execute("VACUUM (ANALYZE) conversations")
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


async def sign_in(page: Page, base: str) -> None:
    await page.goto(f"{base}/console/")
    await page.get_by_label("Email").fill(EMAIL)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.locator(LIST_ITEMS).first.wait_for()


async def first_list_ms(page: Page, base: str, assets: set[str]) -> float:
    """Median over 5 loads of navigation start to the first list item painted."""

    def keep(response: Response) -> None:
        if response.request.resource_type in ("script", "stylesheet"):
            assets.add(response.url)

    page.on("response", keep)
    timings = []
    for attempt in range(6):
        await page.goto(f"{base}/console/", wait_until="commit")
        await page.locator(LIST_ITEMS).first.wait_for()
        painted = float(await page.evaluate("() => window.firstListPainted"))
        if attempt:  # the first load fills the HTTP cache, as an agent's first visit of the day would
            timings.append(painted)
    scripts, asked, answered = await page.evaluate(BREAKDOWN_JS)
    print(
        f"  last load: scripts and styles in at {scripts:.0f} ms, list asked at {asked:.0f} ms, "
        f"answered at {answered:.0f} ms, painted at {painted:.0f} ms",
        file=sys.stderr,
    )
    page.remove_listener("response", keep)
    return statistics.median(timings)


async def asset_sizes(page: Page, urls: set[str]) -> tuple[int, int]:
    """Bytes of the scripts and stylesheets as served, and gzipped at level 6."""
    raw = packed = 0
    for url in sorted(urls):
        body = await (await page.request.get(url)).body()
        raw += len(body)
        packed += len(gzip.compress(body, 6))
    return raw, packed


async def switches_ms(page: Page, count: int) -> tuple[list[float], float, int]:
    listed = await page.locator(LIST_ITEMS).count()
    timings = []
    for n in range(count):
        index = 1 + n % (listed - 1)  # never the long one at 0: measured on its own below
        timings.append(float(await page.evaluate(SWITCH_JS, [index, LIST_ITEMS])))
    long_ms = float(await page.evaluate(SWITCH_JS, [0, LIST_ITEMS]))
    await page.get_by_text(f"Long message {LONG_MESSAGES}", exact=True).wait_for()
    items = await page.locator("ol.timeline > li").count()
    return timings, long_ms, items


async def measure_page(label: str, base: str, switches: int, load_seconds: float) -> Measured:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = await (await browser.new_context(viewport={"width": 1400, "height": 900})).new_page()
            await page.add_init_script(FIRST_LIST_INIT)
            await sign_in(page, base)
            assets: set[str] = set()
            first = await first_list_ms(page, base, assets)
            timings, long_ms, items = await switches_ms(page, switches)
            raw, packed = await asset_sizes(page, assets)
            print(f"  {label}: {len(assets)} scripts and stylesheets", file=sys.stderr)
        finally:
            await browser.close()
    return Measured(label, load_seconds, first, timings, long_ms, items, raw, packed)


def run_one(pg: Postgres, work: Path, label: str, conversations: int, messages: int, switches: int) -> Measured:
    database = f"omnihub_bench_console_{conversations}"
    pg.create_database(database)
    url = pg.url(database)
    data_dir = work / database
    omnihub_cli(["migrate"], url, data_dir)
    create_user(url, data_dir)
    started = time.perf_counter()
    asyncio.run(bulk_load(pg, database, conversations, messages))
    load_seconds = time.perf_counter() - started
    print(f"  {label}: loaded in {load_seconds:.1f} s", file=sys.stderr)
    hub = hub_server(url, data_dir, log_path=work / f"{database}.log")
    with running(hub):
        return asyncio.run(measure_page(label, hub.base_url, switches, load_seconds))


def report(results: list[Measured], args: Any) -> None:
    headers = ["database", "loaded in s", "first list ms", "switch p50 ms", "switch p99 ms", "5,000-msg conv ms",
               "its DOM items", "JS+CSS KB", "gzipped KB"]  # fmt: skip
    rows = []
    for r in results:
        ordered = sorted(r.switches_ms)
        switch = [f"{percentile(ordered, 0.5):.0f}", f"{percentile(ordered, 0.99):.0f}"]
        assets = [f"{r.assets_bytes / 1024:.1f}", f"{r.assets_gzip_bytes / 1024:.1f}"]
        rows.append([r.label, f"{r.load_seconds:.0f}", f"{r.first_list_ms:.0f}", *switch, f"{r.long_ms:.0f}",
                     str(r.long_items), *assets])  # fmt: skip
    print(f"\nconsole: {args.switches} switches per database, Chromium headless, one page")
    print(table(headers, rows))
    big = results[0]
    p99 = percentile(sorted(big.switches_ms), 0.99)
    goals = [
        ("first list", big.first_list_ms, GOAL_FIRST_LIST_MS, "ms"),
        ("switch p99", p99, GOAL_SWITCH_P99_MS, "ms"),
        ("JS + CSS gzipped", big.assets_gzip_bytes / 1024, GOAL_ASSETS_GZIP_KB, "KB"),
    ]
    for name, value, goal, unit in goals:
        print(f"{name}: {value:.1f} {unit}, goal <= {goal:.0f} {unit}: {'met' if value <= goal else 'NOT met'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--switches", type=int, default=50, help="conversation switches measured per database")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="omnihub-bench-console-"))
    print(f"logs in {work}", file=sys.stderr)
    with postgres() as pg:
        results = [
            run_one(pg, work, f"{args.conversations:,} conv.", args.conversations, args.messages, args.switches),
            run_one(pg, work, "100 conv. (baseline)", 100, 1000, args.switches),
        ]
    report(results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
