"""The fan-out benchmark's measurements (one ``Phase`` per case and round) and the report it prints."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import Any

from harness import percentile, table

GOAL_P50_MS = 25.0
GOAL_P99_MS = 150.0
GOAL_RATIO = 1.5
GOAL_KIB_PER_CONNECTION = 40.0


@dataclass
class Phase:
    case: str
    agents: int
    connected: int = 0
    connect_seconds: float = 0.0
    rss_before_kib: int = 0
    rss_after_kib: int = 0
    messages: int = 0
    send_rate: float = 0.0
    latencies: list[float] = field(default_factory=list)
    received: int = 0
    duplicates: int = 0
    closes: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    frame_bytes: float = 0.0
    frames: int = 0  # every frame received after "ready", of any type
    http_seconds: list[float] = field(default_factory=list)  # inbound requests' durations (hub)
    round: int = 1
    server_cpu: float = 0.0
    postgres_cpu: float | None = None
    load_cpu: float = 0.0
    machine_cpu: float = 0.0  # every process on the machine, ours and others'
    sender_cpu: float = 0.0  # this process while it sends (the inbound requests, or the baseline's control job)
    seconds: float = 0.0

    @property
    def expected(self) -> int:
        return self.agents * self.messages

    @property
    def missed(self) -> int:
        return self.expected - self.received

    @property
    def kib_per_connection(self) -> float:
        return (self.rss_after_kib - self.rss_before_kib) / max(1, self.connected)

    def ms(self, fraction: float) -> float:
        return percentile(self.latencies, fraction) * 1000


def met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def median_by_p99(phases: list[Phase]) -> Phase:
    return sorted(phases, key=lambda p: p.ms(0.99))[len(phases) // 2]


def report(args: argparse.Namespace, results: dict[str, list[Phase]], idle: dict[str, Any] | None) -> None:
    rows = []
    for p in sorted((p for phases in results.values() for p in phases), key=lambda p: (p.round, p.case)):
        cpu = f"{100 * p.server_cpu / p.seconds:.0f}%" if p.seconds else "n/a"
        pg_cpu = (
            f"{100 * p.postgres_cpu / p.seconds:.0f}%"
            if p.case == "hub" and p.postgres_cpu is not None and p.seconds
            else "n/a"
        )
        ours = p.server_cpu + (p.postgres_cpu or 0.0) + p.load_cpu + p.sender_cpu
        rest = f"{100 * (p.machine_cpu - ours) / p.seconds:.0f}%" if p.seconds else "n/a"
        rows.append(
            [
                p.case if args.rounds == 1 else f"{p.case} (round {p.round})",
                str(p.connected),
                f"{p.send_rate:.1f}",
                f"{p.ms(0.5):.1f}",
                f"{p.ms(0.99):.1f}",
                f"{p.ms(1.0):.0f}",
                f"{p.missed} of {p.expected}",
                ", ".join(f"{k}: {v}" for k, v in p.closes.items()) or "none",
                cpu,
                f"{1e6 * p.server_cpu / p.frames:.1f}" if p.frames else "n/a",
                f"{1e6 * p.load_cpu / p.frames:.1f}" if p.frames else "n/a",
                pg_cpu,
                rest,
                f"{p.kib_per_connection:.1f}",
            ]
        )
    print()
    print(
        f"fan-out: {args.agents} agents, {args.rate:g} msgs/s for {args.seconds:g} s "
        f"({args.messages} messages, {args.processes} load processes); latency: hub from the inbound request's due "
        "time, baseline from the frame's due time, to the frame's receipt; server CPU: share of one core "
        "while sending and draining; agents µs/frame: CPU of the load processes meanwhile, per frame received; "
        "other CPU: the rest of the machine's busy time (the kernel's own work, other people's jobs)"
    )
    headers = ["case", "agents", "msgs/s", "p50 ms", "p99 ms", "max ms", "missed", "drops", "server CPU"]
    headers += ["server µs/frame", "agents µs/frame", "postgres CPU", "other CPU", "KiB/agent"]
    print(table(headers, rows))
    hubs, baselines = results.get("hub", []), results.get("baseline", [])
    if hubs:
        hub = median_by_p99(hubs)
        which = "" if len(hubs) == 1 else f" (median round {hub.round} by p99)"
        print(
            f"\nhub{which}: p50 {hub.ms(0.5):.1f} ms, goal <= {GOAL_P50_MS:g} ms {met(hub.ms(0.5) <= GOAL_P50_MS)}; "
            f"p99 {hub.ms(0.99):.1f} ms, goal <= {GOAL_P99_MS:g} ms {met(hub.ms(0.99) <= GOAL_P99_MS)}; "
            f"missed {hub.missed}; HTTP statuses {hub.statuses}; inbound request p50 "
            f"{1000 * percentile(hub.http_seconds, 0.5):.1f} ms, "
            f"p99 {1000 * percentile(hub.http_seconds, 0.99):.1f} ms; "
            f"the sender of the inbound requests used {100 * hub.sender_cpu / hub.seconds:.0f}% of a core"
        )
        fresh = hubs[0]  # the first round runs on a fresh process
        print(
            f"hub memory per idle agent connection: {fresh.kib_per_connection:.1f} KiB "
            f"(goal <= {GOAL_KIB_PER_CONNECTION:g}: {met(fresh.kib_per_connection <= GOAL_KIB_PER_CONNECTION)})"
        )
    if hubs and baselines:
        ratios = [h.ms(0.99) / b.ms(0.99) for h, b in zip(hubs, baselines, strict=True)]
        ratio = sorted(ratios)[len(ratios) // 2]
        per_round = "" if len(ratios) == 1 else f" (median; per round: {', '.join(f'{r:.2f}' for r in ratios)})"
        p50_ratios = sorted(h.ms(0.5) / b.ms(0.5) for h, b in zip(hubs, baselines, strict=True))
        print(
            f"ratio hub p99 / baseline p99: {ratio:.2f}{per_round}; goal <= {GOAL_RATIO:g}: "
            f"{met(ratio <= GOAL_RATIO)}; p50 ratio {p50_ratios[len(p50_ratios) // 2]:.2f}"
        )
    if idle is not None:
        ok = idle["ready"] == idle["connections"] and idle["connected_at_end"] == idle["connections"]
        print(
            f"idle: {idle['ready']} of {idle['connections']} connected in {idle['connect_seconds']:.1f} s, "
            f"{idle['connected_at_end']} still connected after {idle['held_seconds']:g} s "
            f"(minimum {idle['min_connected']}), drops {idle['drops'] or 'none'}: {met(ok)}; "
            f"{idle['kib_per_connection']:.1f} KiB per connection "
            f"(goal <= {GOAL_KIB_PER_CONNECTION:g}: {met(idle['kib_per_connection'] <= GOAL_KIB_PER_CONNECTION)}); "
            f"server open-files limit {idle['server_nofile']}"
        )
