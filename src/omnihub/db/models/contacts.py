from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, TextClause, text
from sqlalchemy.orm import Mapped, mapped_column

from omnihub.db.models.base import Base, created_at_column, enum_check
from omnihub.domain.enums import IdentityProvenance


class Contact(Base):
    """One person, whatever channels they write on."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()


def _only(provenance: IdentityProvenance) -> TextClause:
    return text(f"provenance = '{provenance.value}'")


class ContactIdentity(Base):
    """How the contact is addressed on one channel, and how the hub learnt it (``provenance``).

    A proven identity (``channel``) names exactly one person: (kind, scope, address) is unique among them.
    One an agent chose (``agent``) names one person within the inbox it was chosen in, until mail from it
    proves it. A claimed one is only a note on its contact, so several contacts may carry the same claim.
    """

    __tablename__ = "contact_identities"
    __table_args__ = (
        CheckConstraint(enum_check("provenance", IdentityProvenance), name="provenance"),
        Index(
            "uq_contact_identities_proven",
            "kind",
            "scope",
            "address",
            unique=True,
            postgresql_where=_only(IdentityProvenance.CHANNEL),
        ),
        Index(
            "uq_contact_identities_chosen",
            "inbox_id",
            "kind",
            "scope",
            "address",
            unique=True,
            postgresql_where=_only(IdentityProvenance.AGENT),
        ),
        Index(
            "uq_contact_identities_claimed",
            "contact_id",
            "kind",
            "scope",
            "address",
            unique=True,
            postgresql_where=_only(IdentityProvenance.CLAIMED),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(64), default="", server_default="")
    address: Mapped[str] = mapped_column(String(320))
    provenance: Mapped[str] = mapped_column(
        String(16), default=IdentityProvenance.CHANNEL, server_default=IdentityProvenance.CHANNEL.value
    )
    # The inbox through which the hub learnt it: agents see the identities of the inboxes they may see.
    inbox_id: Mapped[int | None] = mapped_column(ForeignKey("inboxes.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = created_at_column()
