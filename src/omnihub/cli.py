"""The ``omnihub`` command: serve, migrate, and manage users and tokens."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import getpass
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from omnihub.config import Settings
from omnihub.domain.enums import Role
from omnihub.domain.errors import DomainError


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    for name in ("host", "port"):
        if getattr(args, name, None) is not None:
            overrides[name] = getattr(args, name)
    settings = Settings(**overrides)
    if "OMNIHUB_PUBLIC_URL" not in os.environ:
        settings.public_url = f"http://{settings.host}:{settings.port}"
    return settings


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from omnihub.app import create_app
    from omnihub.realtime.direct_ws import uvicorn_config

    settings = _settings(args)
    app = create_app(settings, show_setup_code=lambda code: _print_setup_code(code, settings))
    config = uvicorn_config(app, host=settings.host, port=settings.port, log_level=args.log_level, proxy_headers=True)
    _calm_garbage_collection()
    server = uvicorn.Server(config)
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    return 0 if server.started else 3


def _print_setup_code(code: str, settings: Settings) -> None:
    """The first run's instructions, on standard output where the operator who started the hub sees them."""
    console = settings.public_url.rstrip("/") + "/console/"
    print(
        "\n".join(
            (
                "omnihub has no users yet. To create the first admin, open the console and enter this setup code:",
                f"  console:        {console}",
                f"  setup code:     {code}",
                f"  data directory: {settings.data_dir.resolve()}",
                "The code works until the first admin exists (a code printed by any node of this hub works).",
            )
        ),
        flush=True,
    )


def _calm_garbage_collection() -> None:
    """Fewer, shorter pauses of Python's cycle collector in a long-running server.

    Each WebSocket connection keeps a few hundred objects alive (uvicorn's protocol, the ASGI stack's
    coroutines, ...), and a full collection walks all of them: with 1,000 agents connected we measured
    pauses of 60-200 ms, during which no frame is written and no request served. What exists once the
    application is built (modules, routes, models) is frozen out of the collector's sight, and the young
    generation is collected after 10,000 allocations instead of 700, so that short-lived objects die
    before they are promoted and full collections come less often.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


async def _with_database(settings: Settings, work: Callable[[Any], Awaitable[int]]) -> int:
    from omnihub.db.engine import create_engine, create_session_factory
    from omnihub.db.location import open_database
    from omnihub.db.migrate import upgrade_to_head

    database = await asyncio.to_thread(open_database, settings)
    engine = create_engine(database.url, pool_size=1)
    try:
        await upgrade_to_head(engine)
        async with create_session_factory(engine)() as session:
            return await work(session)
    finally:
        await engine.dispose()
        await asyncio.to_thread(database.close)


def _migrate(args: argparse.Namespace) -> int:
    async def done(session: Any) -> int:
        print("database schema is up to date")
        return 0

    return asyncio.run(_with_database(_settings(args), done))


def _new_password(args: argparse.Namespace, *, required: bool) -> str | None:
    """From standard input (``--password-stdin``, first line) or typed at a prompt; never from the command
    line, where every user of the machine could read it in the process list."""
    if args.password is not None:
        raise DomainError(
            "--password is not accepted (the process list would show it): use --password-stdin or --ask-password"
        )
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not required and not args.ask_password:
        return None
    password = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != password:
        raise DomainError("the passwords differ")
    return password


def _add_password_options(parser: argparse.ArgumentParser, *, prompt_flag: bool) -> None:
    parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    if prompt_flag:
        parser.add_argument("--ask-password", action="store_true", help="type the password at a prompt")
    parser.add_argument("--password", help=argparse.SUPPRESS)  # refused with advice, see _new_password


def _create_user(args: argparse.Namespace) -> int:
    from omnihub.services.users import create_user

    password = _new_password(args, required=False)

    async def work(session: Any) -> int:
        user = await create_user(session, email=args.email, name=args.name, role=Role(args.role), password=password)
        print(f"created {user.role} {user.email} (id {user.id})")
        return 0

    return asyncio.run(_with_database(_settings(args), work))


def _create_token(args: argparse.Namespace) -> int:
    from omnihub.services.users import create_api_token, get_user_by_email

    async def work(session: Any) -> int:
        user = await get_user_by_email(session, args.email)
        days = args.expires_in_days
        valid_for = timedelta(days=days) if days is not None else None
        print(await create_api_token(session, user=user, name=args.name or "", valid_for=valid_for))
        return 0

    return asyncio.run(_with_database(_settings(args), work))


def _set_password(args: argparse.Namespace) -> int:
    from omnihub.services.sessions import set_password
    from omnihub.services.users import get_user_by_email

    password = _new_password(args, required=True)
    assert password is not None

    async def work(session: Any) -> int:
        user = await get_user_by_email(session, args.email)
        await set_password(session, None, user_id=user.id, password=password)
        print(f"password set for {user.email}; their console sessions have ended")
        return 0

    return asyncio.run(_with_database(_settings(args), work))


def _deactivate_user(args: argparse.Namespace) -> int:
    from omnihub.services.sessions import deactivate_user
    from omnihub.services.users import get_user_by_email

    async def work(session: Any) -> int:
        user = await deactivate_user(session, None, user_id=(await get_user_by_email(session, args.email)).id)
        print(f"deactivated {user.email}; their sessions have ended")
        return 0

    return asyncio.run(_with_database(_settings(args), work))


def _list_tokens(args: argparse.Namespace) -> int:
    from omnihub.services.sessions import list_tokens
    from omnihub.services.users import get_user_by_email

    async def work(session: Any) -> int:
        user_id = (await get_user_by_email(session, args.email)).id if args.email else None
        print("id\tuser\tname\tcreated\tlast used\texpires")
        for token in await list_tokens(session, None, user_id=user_id):
            dates = [_day(token.created_at), _day(token.last_used_at), _day(token.expires_at, "never")]
            print("\t".join([str(token.id), token.user_email, token.name, *dates]))
        return 0

    return asyncio.run(_with_database(_settings(args), work))


def _day(moment: Any, missing: str = "-") -> str:
    return missing if moment is None else str(moment.isoformat(timespec="minutes"))


def _revoke_token(args: argparse.Namespace) -> int:
    from omnihub.services.sessions import revoke_token_by_id

    async def work(session: Any) -> int:
        await revoke_token_by_id(session, None, args.id)
        print(f"revoked token {args.id}; its sockets have been closed")
        return 0

    return asyncio.run(_with_database(_settings(args), work))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="omnihub", description="Omnichannel customer-support hub.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        help="data directory (embedded PostgreSQL, attachments); default ./omnihub-data or OMNIHUB_DATA_DIR",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", parents=[common], help="run the API, WebSocket gateway and workers")
    serve.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port to listen on (default 8000)")
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    serve.set_defaults(handler=_serve)

    commands.add_parser("migrate", parents=[common], help="apply database migrations").set_defaults(handler=_migrate)

    users = commands.add_parser("users", help="manage users").add_subparsers(dest="users_command", required=True)
    create = users.add_parser("create", parents=[common], help="create a user")
    create.add_argument("email")
    create.add_argument("--name", required=True)
    create.add_argument("--role", choices=[r.value for r in Role], default=Role.AGENT.value)
    _add_password_options(create, prompt_flag=True)  # without either: a user for API tokens only
    create.set_defaults(handler=_create_user)
    password = users.add_parser(
        "set-password", parents=[common], help="set a user's console password (prompted); ends their console sessions"
    )
    password.add_argument("email")
    _add_password_options(password, prompt_flag=False)
    password.set_defaults(handler=_set_password)
    deactivate = users.add_parser(
        "deactivate", parents=[common], help="stop a user from signing in or using tokens; ends their sessions"
    )
    deactivate.add_argument("email")
    deactivate.set_defaults(handler=_deactivate_user)

    tokens = commands.add_parser("tokens", help="manage API tokens").add_subparsers(
        dest="tokens_command", required=True
    )
    token = tokens.add_parser("create", parents=[common], help="create an API token and print it")
    token.add_argument("email")
    token.add_argument("--name", help="a label, e.g. what the token is for")
    token.add_argument(
        "--expires-in-days", type=float, help="the token stops working after this many days (default: until revoked)"
    )
    token.set_defaults(handler=_create_token)
    listing = tokens.add_parser("list", parents=[common], help="list the tokens that work now (never the tokens)")
    listing.add_argument("email", nargs="?", help="only this user's")
    listing.set_defaults(handler=_list_tokens)
    revoke = tokens.add_parser("revoke", parents=[common], help="revoke a token by id; its sockets close")
    revoke.add_argument("id", type=int)
    revoke.set_defaults(handler=_revoke_token)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        code: int = args.handler(args)
    except DomainError as exc:
        print(f"omnihub: {exc}", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
