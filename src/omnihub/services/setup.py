"""First run: the hub has no user yet, and whoever holds the setup code creates the first admin.

Each starting node with no user issues a code, prints it, and stores only its SHA-256 in the database,
so any node accepts the code printed by any node (behind a load balancer the browser may reach another
node than the one whose log the operator reads). The codes are deleted once the first admin exists.
Guesses are limited like sign-ins (``services.sign_in``): per client, and in total, so that even many
clients together get few guesses at a code of 60 random bits.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, exists, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.db.models import SetupCode, SignInFailure, User
from omnihub.domain.enums import Role
from omnihub.domain.errors import Conflict, Forbidden
from omnihub.services.sign_in import SignInLimits, claim_attempt
from omnihub.services.users import SESSION_TOKEN_NAME, create_api_token, create_user

# Counted under this key in place of an e-mail address (it is not one, so no account shares its count).
SETUP_ATTEMPTS_KEY = "(first-run setup)"
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read off a terminal and typed by hand
_GROUPS, _GROUP_LENGTH = 3, 4  # 12 characters of 32: 60 bits
_SETUP_LOCK = text("SELECT pg_advisory_xact_lock(0x5E57, 0)")


def _normalized(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())[:64]


def _hash(code: str) -> str:
    return hashlib.sha256(_normalized(code).encode()).hexdigest()


async def setup_needed(session: AsyncSession) -> bool:
    return not await session.scalar(select(exists().where(User.id.isnot(None))))


async def issue_setup_code(session: AsyncSession) -> str | None:
    """A new code if the hub has no user yet (else None); shown once, only its hash is stored."""
    if not await setup_needed(session):
        return None
    characters = "".join(secrets.choice(_ALPHABET) for _ in range(_GROUPS * _GROUP_LENGTH))
    code = "-".join(characters[i : i + _GROUP_LENGTH] for i in range(0, len(characters), _GROUP_LENGTH))
    session.add(SetupCode(code_hash=_hash(code)))
    await session.commit()
    return code


@dataclass(frozen=True, slots=True)
class FirstAdmin:
    email: str
    name: str
    password: str


async def complete_setup(
    session: AsyncSession,
    *,
    code: str,
    admin: FirstAdmin,
    client: str,
    limits: SignInLimits,
    session_lifetime: timedelta,
) -> tuple[User, str]:
    """Create the first admin and a console session for them; returns user and session token.

    ``Conflict`` once any user exists, ``TooManyAttempts`` while guesses are locked, ``Forbidden`` for a
    code no node issued.
    """
    if not await setup_needed(session):
        raise Conflict("omnihub is set up already: sign in instead")
    await claim_attempt(session, email=SETUP_ATTEMPTS_KEY, client=client[:64], limits=limits)
    if await session.scalar(select(SetupCode.id).where(SetupCode.code_hash == _hash(code))) is None:
        raise Forbidden("wrong setup code")  # the claimed attempt stays, as the failure
    # One setup at a time on all nodes: the second finds the first's admin and gets the conflict.
    await session.execute(_SETUP_LOCK)
    if not await setup_needed(session):
        await session.rollback()
        raise Conflict("omnihub is set up already: sign in instead")
    user = await create_user(session, email=admin.email, name=admin.name, role=Role.ADMIN, password=admin.password)
    await session.execute(delete(SetupCode))
    await session.execute(delete(SignInFailure).where(SignInFailure.email == SETUP_ATTEMPTS_KEY))
    token = await create_api_token(session, user=user, name=SESSION_TOKEN_NAME, valid_for=session_lifetime)
    return user, token
