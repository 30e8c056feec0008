"""Conversation-list benchmark: pages of ``GET /api/v1/conversations`` over a large inbox history.

    python benchmarks/conversation_list.py                     # 100,000 conversations, 1,000,000 messages
    python benchmarks/conversation_list.py --conversations 20000 --messages 200000 --requests 50
    python benchmarks/conversation_list.py --database-url postgresql://postgres@127.0.0.1/postgres

It starts an embedded PostgreSQL in a temporary directory (or uses --database-url; the database
``omnihub_bench_list`` is dropped and recreated there), migrates it with ``omnihub migrate``, creates
an admin and an agent with ``omnihub users create`` / ``omnihub tokens create``, and bulk-loads the
migrated schema with ``INSERT ... SELECT generate_series`` statements:

  * 8 inboxes of very different sizes (35 % of the conversations down to 2 %), 20 more agents, each
    agent a member of a few inboxes; the measured agent is a member of two mid-sized inboxes;
  * contacts (0.7 per conversation) with their API identities;
  * conversations with a realistic mix: 60 % resolved, 25 % open, 10 % pending, 5 % snoozed; 30 %
    unassigned; ``last_activity_at`` spread over a year, denser towards now;
  * messages spread unevenly over the conversations (a few long threads, many short ones), incoming
    and outgoing, with a few notes and activities.

Then it starts the real hub (``omnihub serve``, one uvicorn process on 127.0.0.1) and times pages
through HTTP with one client, one request at a time: the first page again and again, and deep pages
reached by following ``next_cursor``; unfiltered, by inbox, by status, by assignee, combined, and as
the agent (who sees only their inboxes). The goal is p99 <= 50 ms for every case.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from harness import (
    Postgres,
    create_admin_token,
    hub_server,
    omnihub_cli,
    percentile,
    postgres,
    running,
    table,
)

from omnihub.services.pagination import encode_cursor

DATABASE = "omnihub_bench_list"
GOAL_P99_MS = 50.0
INBOX_SHARES = [0.35, 0.20, 0.15, 0.10, 0.08, 0.06, 0.04, 0.02]  # of the conversations, inbox 1..8
AGENT_INBOXES = (4, 6)  # the measured agent's inboxes (10 % and 4 % of the conversations)
SMALL_AGENT_INBOXES = (8,)  # a second agent's only inbox (2 %): most rows they pass over are not theirs


def load_statements(conversations: int, messages: int, agents: int) -> list[tuple[str, str]]:
    """(label, SQL) that fill the migrated, empty schema. Ids are explicit, sequences are set after."""
    contacts = max(1, int(conversations * 0.7))
    # Cumulative shares pick an inbox from one random number.
    bounds = []
    total = 0.0
    for number, share in enumerate(INBOX_SHARES, start=1):
        total += share
        bounds.append(f"WHEN r < {total:.4f} THEN {number}")
    pick_inbox = "CASE " + " ".join(bounds[:-1]) + f" ELSE {len(INBOX_SHARES)} END"
    return [
        (
            "inboxes",
            f"""INSERT INTO inboxes (name, channel_type, config)
                SELECT 'Inbox ' || n, 'api', '{{}}' FROM generate_series(1, {len(INBOX_SHARES)}) AS n""",
        ),
        (
            "agents",
            f"""INSERT INTO users (email, name, role)
                SELECT 'agent' || n || '@bench.example', 'Agent ' || n, 'agent'
                FROM generate_series(1, {agents}) AS n""",
        ),
        (
            "inbox members",
            # Every agent (not the admin, not the measured agent) is a member of three inboxes.
            """INSERT INTO inbox_members (inbox_id, user_id)
               SELECT DISTINCT 1 + (u.id * k) % 8, u.id
               FROM users u CROSS JOIN (VALUES (1), (3), (5)) AS m(k)
               WHERE u.email LIKE '%@bench.example'""",
        ),
        (
            "contacts",
            f"""INSERT INTO contacts (id, name, email, created_at, updated_at)
                SELECT n, 'Customer ' || n, CASE WHEN n % 3 = 0 THEN 'customer' || n || '@mail.example' END,
                       now() - interval '400 days' + n * interval '1 second', now()
                FROM generate_series(1, {contacts}) AS n""",
        ),
        (
            "conversations",
            f"""INSERT INTO conversations (id, inbox_id, contact_id, status, assignee_id, priority, labels,
                                           subject, created_at, last_activity_at, first_response_at, resolved_at,
                                           snoozed_until)
                SELECT n, inbox_id, contact_id, status, assignee_id, priority, labels, subject,
                       last_activity_at - random() * interval '7 days', last_activity_at,
                       CASE WHEN assignee_id IS NOT NULL THEN last_activity_at - interval '1 hour' END,
                       CASE WHEN status = 'resolved' THEN last_activity_at END,
                       CASE WHEN status = 'snoozed' THEN now() + interval '2 days' END
                FROM (
                    SELECT n,
                           {pick_inbox} AS inbox_id,
                           1 + (n * 7919) % {contacts} AS contact_id,
                           CASE WHEN s < 0.60 THEN 'resolved' WHEN s < 0.85 THEN 'open'
                                WHEN s < 0.95 THEN 'pending' ELSE 'snoozed' END AS status,
                           CASE WHEN a < 0.30 THEN NULL
                                ELSE (SELECT min(id) FROM users) + 2 + (n % {agents}) END AS assignee_id,
                           (ARRAY['none', 'none', 'none', 'low', 'medium', 'high', 'urgent'])[1 + n % 7] AS priority,
                           CASE WHEN n % 5 = 0 THEN ARRAY['billing'] WHEN n % 7 = 0 THEN ARRAY['vip', 'shipping']
                                ELSE '{{}}'::text[] END AS labels,
                           'Order question #' || n AS subject,
                           now() - power(random(), 2) * interval '365 days' AS last_activity_at
                    FROM (SELECT n, random() AS r, random() AS s, random() AS a
                          FROM generate_series(1, {conversations}) AS n) AS g
                ) AS c""",
        ),
        (
            "contact identities",
            """INSERT INTO contact_identities (contact_id, kind, scope, address)
               SELECT c.id, 'api', coalesce(first.inbox_id::text, '1'), 'customer-' || c.id
               FROM contacts c
               LEFT JOIN LATERAL (SELECT inbox_id FROM conversations WHERE contact_id = c.id LIMIT 1) AS first
                   ON true""",
        ),
        (
            "messages",
            # A power law over the conversations: a few long threads, many short ones.
            f"""INSERT INTO messages (id, conversation_id, inbox_id, direction, kind, sender_contact_id,
                                      sender_user_id, text, external_id, delivery_status, created_at)
                SELECT g.n, c.id, c.inbox_id,
                       CASE WHEN g.n % 5 < 3 THEN 'incoming' ELSE 'outgoing' END,
                       CASE WHEN g.n % 20 = 4 THEN 'note' WHEN g.n % 20 = 9 THEN 'activity' ELSE 'message' END,
                       CASE WHEN g.n % 5 < 3 THEN c.contact_id END,
                       CASE WHEN g.n % 5 >= 3 THEN coalesce(c.assignee_id, (SELECT min(id) FROM users)) END,
                       'Message ' || g.n || ' about order #' || c.id,
                       CASE WHEN g.n % 5 < 3 THEN 'ext-' || g.n END,
                       CASE WHEN g.n % 5 < 3 THEN 'delivered' ELSE 'sent' END,
                       c.created_at + (c.last_activity_at - c.created_at) * g.f
                FROM (SELECT n, 1 + floor(power(random(), 1.6) * {conversations})::bigint AS conversation_id,
                             random() AS f
                      FROM generate_series(1, {messages}) AS n) AS g
                JOIN conversations c ON c.id = g.conversation_id""",
        ),
        (
            "sequences",
            """SELECT setval(pg_get_serial_sequence('contacts', 'id'), (SELECT max(id) FROM contacts)),
                      setval(pg_get_serial_sequence('conversations', 'id'), (SELECT max(id) FROM conversations)),
                      setval(pg_get_serial_sequence('messages', 'id'), (SELECT max(id) FROM messages))""",
        ),
    ]


async def bulk_load(
    pg: Postgres, conversations: int, messages: int, agents: int, memberships: dict[str, tuple[int, ...]]
) -> None:
    connection = await asyncpg.connect(**pg.asyncpg_dsn(DATABASE))
    try:
        await connection.execute("SET synchronous_commit = off; SET maintenance_work_mem = '256MB'")
        try:
            # Skips the foreign-key triggers while loading rows that are consistent by construction.
            await connection.execute("SET session_replication_role = replica")
        except asyncpg.PostgresError:
            print("  (not a superuser: loading with foreign-key checks, slower)", file=sys.stderr)
        for label, sql in load_statements(conversations, messages, agents):
            started = time.perf_counter()
            async with connection.transaction():
                status = await connection.execute(sql)
            print(f"  {label:20} {status:24} {time.perf_counter() - started:6.1f} s", file=sys.stderr)
        await connection.execute("SET session_replication_role = origin")
        for email, inboxes in memberships.items():
            agent_id = await connection.fetchval("SELECT id FROM users WHERE email = $1", email)
            await connection.execute(
                "INSERT INTO inbox_members (inbox_id, user_id) SELECT unnest($1::bigint[]), $2", list(inboxes), agent_id
            )
        started = time.perf_counter()
        await connection.execute("VACUUM (ANALYZE) conversations")
        await connection.execute("ANALYZE")
        print(f"  {'vacuum, analyze':20} {'':24} {time.perf_counter() - started:6.1f} s", file=sys.stderr)
    finally:
        await connection.close()


@dataclass
class Case:
    name: str
    token: str
    params: dict[str, Any]
    deep: bool  # follow next_cursor (else: the same page again and again)


@dataclass
class Result:
    case: Case
    latencies_ms: list[float]
    rows: int

    @property
    def p50(self) -> float:
        return percentile(sorted(self.latencies_ms), 0.50)

    @property
    def p99(self) -> float:
        return percentile(sorted(self.latencies_ms), 0.99)


def run_case(client: httpx.Client, case: Case, requests: int) -> Result:
    headers = {"Authorization": f"Bearer {case.token}"}
    latencies: list[float] = []
    rows = 0
    cursor: str | None = None
    for _ in range(3):  # warm-up: token cache, prepared statements
        client.get("/api/v1/conversations", params=case.params, headers=headers).raise_for_status()
    for _ in range(requests):
        params = dict(case.params)
        if case.deep and cursor:
            params["cursor"] = cursor
        started = time.perf_counter()
        response = client.get("/api/v1/conversations", params=params, headers=headers)
        latencies.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        page = response.json()
        rows += len(page["items"])
        cursor = page["next_cursor"] if case.deep else None
    return Result(case, latencies, rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--agents", type=int, default=20, help="agents besides the measured one")
    parser.add_argument("--requests", type=int, default=200, help="requests (pages) per case")
    parser.add_argument("--limit", type=int, default=25, help="page size")
    parser.add_argument("--database-url", help="use this PostgreSQL server instead of an embedded one")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="omnihub-bench-list-"))
    print(f"logs in {work}", file=sys.stderr)
    with postgres(args.database_url) as pg:
        pg.create_database(DATABASE)
        url = pg.url(DATABASE)
        data_dir = work / "hub-data"
        omnihub_cli(["migrate"], url, data_dir)
        admin = create_admin_token(url, data_dir, "bench-admin@example.com", "admin")
        agent_email = "bench-agent@example.com"
        agent = create_admin_token(url, data_dir, agent_email, "agent")
        small_agent_email = "bench-agent-small@example.com"
        small_agent = create_admin_token(url, data_dir, small_agent_email, "agent")
        print(f"loading {args.conversations} conversations and {args.messages} messages:", file=sys.stderr)
        started = time.perf_counter()
        memberships = {agent_email: AGENT_INBOXES, small_agent_email: SMALL_AGENT_INBOXES}
        asyncio.run(bulk_load(pg, args.conversations, args.messages, args.agents, memberships))
        load_seconds = time.perf_counter() - started

        async def facts() -> dict[str, int]:
            connection = await asyncpg.connect(**pg.asyncpg_dsn(DATABASE))
            try:
                busiest = await connection.fetchval(
                    "SELECT assignee_id FROM conversations WHERE assignee_id IS NOT NULL "
                    "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
                )
                agent_id = await connection.fetchval("SELECT id FROM users WHERE email = $1", agent_email)
                return {"assignee": int(busiest), "agent": int(agent_id)}
            finally:
                await connection.close()

        known = asyncio.run(facts())
        big, small = 1, len(INBOX_SHARES)
        base = {"limit": args.limit}
        cases = []
        for deep in (False, True):
            page = "deep pages" if deep else "first page"
            cases += [
                Case(f"admin, all, {page}", admin, base, deep),
                Case(f"admin, inbox {big} (35 %), {page}", admin, {**base, "inbox_id": big}, deep),
                Case(f"admin, inbox {small} (2 %), {page}", admin, {**base, "inbox_id": small}, deep),
                Case(f"admin, status open, {page}", admin, {**base, "status": "open"}, deep),
                Case(f"admin, status snoozed, {page}", admin, {**base, "status": "snoozed"}, deep),
                Case(f"admin, assignee, {page}", admin, {**base, "assignee_id": known["assignee"]}, deep),
                Case(
                    f"admin, inbox {small} + snoozed, {page}",
                    admin,
                    {**base, "inbox_id": small, "status": "snoozed"},
                    deep,
                ),
                Case(
                    f"admin, assignee + pending, {page}",
                    admin,
                    {**base, "assignee_id": known["assignee"], "status": "pending"},
                    deep,
                ),
                Case(f"agent (2 inboxes), all, {page}", agent, base, deep),
                Case(f"agent, status open, {page}", agent, {**base, "status": "open"}, deep),
                Case(f"agent, status snoozed, {page}", agent, {**base, "status": "snoozed"}, deep),
                Case(f"agent, inbox {AGENT_INBOXES[1]}, {page}", agent, {**base, "inbox_id": AGENT_INBOXES[1]}, deep),
                Case(f"agent, assignee, {page}", agent, {**base, "assignee_id": known["assignee"]}, deep),
                Case(f"agent of inbox {small} only, all, {page}", small_agent, base, deep),
                Case(
                    f"agent of inbox {small} only, status snoozed, {page}",
                    small_agent,
                    {**base, "status": "snoozed"},
                    deep,
                ),
            ]

        # Far into the history at once: a cursor as the API hands them out, for half a year ago.
        half_year = encode_cursor(datetime.now(UTC) - timedelta(days=182), 2**62)
        for who, token in (
            ("admin", admin),
            ("agent", agent),
            (f"agent of inbox {len(INBOX_SHARES)} only", small_agent),
        ):
            params = {**base, "cursor": half_year}
            cases.append(Case(f"{who}, all, from half a year back, deep pages", token, params, True))
        cases.append(
            Case(
                "agent, status open, from half a year back, deep pages",
                agent,
                {**base, "status": "open", "cursor": half_year},
                True,
            )
        )

        hub = hub_server(url, data_dir, log_path=work / "hub.log")
        results: list[Result] = []
        with running(hub), httpx.Client(base_url=hub.base_url, timeout=60) as client:
            for case in cases:
                result = run_case(client, case, args.requests)
                results.append(result)
                print(
                    f"  {case.name:44} p50 {result.p50:6.1f} ms  p99 {result.p99:6.1f} ms  rows {result.rows}",
                    file=sys.stderr,
                )

    print()
    print(
        f"conversation list: {args.conversations} conversations, {args.messages} messages "
        f"(loaded in {load_seconds:.0f} s); {args.requests} requests per case, limit {args.limit}, "
        "one client, one request at a time"
    )
    rows = [[r.case.name, f"{r.p50:.1f}", f"{r.p99:.1f}", f"{max(r.latencies_ms):.1f}", str(r.rows)] for r in results]
    print(table(["case", "p50 ms", "p99 ms", "max ms", "rows seen"], rows))
    worst = max(results, key=lambda r: r.p99)
    met = worst.p99 <= GOAL_P99_MS
    print(
        f"\nslowest p99: {worst.p99:.1f} ms ({worst.case.name}); goal p99 <= {GOAL_P99_MS:.0f} ms for every case: "
        f"{'met' if met else 'NOT met'}"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                [{"case": r.case.name, "p50_ms": r.p50, "p99_ms": r.p99, "rows": r.rows} for r in results], indent=2
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
