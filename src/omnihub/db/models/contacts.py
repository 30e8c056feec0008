from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from omnihub.db.models.base import Base, created_at_column


class Contact(Base):
    """One person, whatever channels they write on."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()


class ContactIdentity(Base):
    """How the contact is addressed on one channel; (kind, scope, address) names exactly one person."""

    __tablename__ = "contact_identities"
    __table_args__ = (UniqueConstraint("kind", "scope", "address"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(64), default="", server_default="")
    address: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = created_at_column()
