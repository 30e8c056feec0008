"""Request and response bodies of the REST API (they are what /docs shows)."""

import base64
import binascii
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from omnihub.channels.spi import InboundAttachment
from omnihub.domain.enums import ConversationStatus, IdentityProvenance, Priority

T = TypeVar("T")
ShortText = Annotated[str, Field(min_length=1, max_length=200)]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class InboxCreate(StrictModel):
    name: ShortText
    channel_type: str = Field(examples=["api"])
    config: dict[str, Any] = Field(default_factory=dict)


class InboxOut(BaseModel):
    id: int
    name: str
    channel_type: str
    config: dict[str, Any] = Field(description="Channel settings; secrets are masked.")
    created_at: datetime


class InboxMemberAdd(StrictModel):
    user_id: int


class InboxMembersOut(BaseModel):
    user_ids: list[int]


class AttachmentIn(StrictModel):
    filename: str = Field(min_length=1, max_length=255)
    content_type: str = Field(default="application/octet-stream", max_length=255)
    data_base64: str = Field(description="The file's bytes, base64-encoded.")

    @field_validator("data_base64")
    @classmethod
    def must_be_base64(cls, value: str) -> str:
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("not valid base64") from None
        return value

    def to_inbound(self) -> InboundAttachment:
        return InboundAttachment(self.filename, self.content_type, base64.b64decode(self.data_base64))


class InboundContactIn(StrictModel):
    identifier: str = Field(min_length=1, max_length=320, description="The contact's id in your system.")
    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=64)


class ContactRefIn(StrictModel):
    identifier: str = Field(min_length=1, max_length=320, description="The contact's id in your system.")


class ContactTypingIn(StrictModel):
    contact: ContactRefIn
    on: bool = Field(description="true when the contact started typing, false when they stopped.")
    conversation_id: int | None = Field(
        default=None, description="The contact's conversation; by default their latest in the inbox."
    )


class InboundIn(StrictModel):
    external_id: str = Field(min_length=1, max_length=512, description="Your id of the message: the idempotency key.")
    contact: InboundContactIn
    content: str = Field(default="", max_length=100_000)
    html: str | None = Field(default=None, max_length=1_000_000)
    subject: str | None = Field(default=None, max_length=998)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def has_something_to_say(self) -> "InboundIn":
        if not (self.content.strip() or (self.html or "").strip() or self.attachments):
            raise ValueError("a message needs content, html or an attachment")
        return self


class InboundOut(BaseModel):
    message_id: int
    conversation_id: int
    contact_id: int


class AttachmentOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    content_id: str | None = Field(description="For inline images: what the HTML refers to as cid:<content_id>.")
    url: str


class MessageOut(BaseModel):
    id: int
    conversation_id: int
    inbox_id: int
    direction: str
    kind: str
    private: bool
    sender_contact_id: int | None
    sender_user_id: int | None
    content: str
    html: str | None
    external_id: str | None
    delivery_status: str | None
    failure_reason: str | None
    metadata: dict[str, Any] = Field(
        description="What the channel adds: for e-mail, the full text, quoted history, signature, addresses; "
        "`automated` says why a message was machine-sent (auto-reply, bounce)."
    )
    attachments: list[AttachmentOut]
    created_at: datetime


class MessageCreate(StrictModel):
    content: str = Field(default="", max_length=100_000)
    private: bool = Field(default=False, description="A private note, seen by agents only.")
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=20)


class ConversationOut(BaseModel):
    id: int
    inbox_id: int
    contact_id: int
    status: ConversationStatus
    assignee_id: int | None
    team_id: int | None
    priority: Priority
    labels: list[str]
    subject: str | None
    created_at: datetime
    last_activity_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    reply_identity_id: int | None = Field(
        description="The contact identity replies go to (see the contact's `identities`); null: none yet."
    )


class ConversationStart(StrictModel):
    inbox_id: int
    contact_id: int | None = Field(
        default=None, description="An existing contact; replies go to their address on this inbox's channel."
    )
    email: str | None = Field(
        default=None,
        max_length=320,
        description="E-mail inboxes: the address to write to (someone new, or the person known by it).",
    )
    name: str | None = Field(default=None, max_length=200)
    subject: str | None = Field(default=None, max_length=998)
    content: str = Field(default="", max_length=100_000)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=20)


class ConversationStarted(BaseModel):
    conversation: ConversationOut
    message: MessageOut


class ConversationPatch(StrictModel):
    """Only the fields present change; `null` clears assignee or team."""

    status: ConversationStatus | None = None
    assignee_id: int | None = None
    team_id: int | None = None
    priority: Priority | None = None
    labels: list[Annotated[str, Field(max_length=64)]] | None = Field(default=None, max_length=50)

    @model_validator(mode="after")
    def only_clearable_fields_are_null(self) -> "ConversationPatch":
        for field in ("status", "priority", "labels"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self

    def changes(self) -> dict[str, Any]:
        return self.model_dump(include=self.model_fields_set)


class IdentityOut(BaseModel):
    id: int
    kind: str
    scope: str
    address: str
    provenance: IdentityProvenance = Field(
        description="`channel`: proven by its own channel (mail received from it, a platform id from a signed "
        "webhook); `agent`: an agent chose to write to it; `claimed`: stated by someone else (an API field), "
        "never used to find a contact or to deliver."
    )
    verified: bool = Field(description="False for a claimed identity.")
    inbox_id: int | None = Field(description="The inbox through which it was learnt.")


class ReplyAddressChange(StrictModel):
    """Give one: a verified identity of the conversation's contact, or (e-mail inboxes) an address."""

    identity_id: int | None = None
    email: str | None = Field(default=None, max_length=320)


class ContactOut(BaseModel):
    id: int
    name: str | None
    email: str | None
    phone: str | None
    created_at: datetime


class ContactDetailOut(ContactOut):
    identities: list[IdentityOut]
    conversations: list[ConversationOut]


class ContactMerge(StrictModel):
    other_id: int = Field(description="The contact folded into this one and then deleted.")


class TeamCreate(StrictModel):
    name: ShortText


class TeamOut(BaseModel):
    id: int
    name: str


class SignIn(StrictModel):
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=1000)


class SignedIn(BaseModel):
    user_id: int
    name: str
    email: str
    role: str
