"""Request and response bodies of the REST API (they are what /docs shows)."""

import base64
import binascii
import re
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from omnihub.channels.spi import InboundAttachment
from omnihub.domain.email_copies import MAX_CC
from omnihub.domain.enums import ConversationStatus, IdentityProvenance, Priority
from omnihub.domain.errors import InvalidInput
from omnihub.domain.identities import normalize_email
from omnihub.services.attachments import MAX_FILES_PER_MESSAGE
from omnihub.services.pagination import MAX_ID

T = TypeVar("T")

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""Every id the API takes (path, query or body): a PostgreSQL bigint, and ids start at 1."""

# NUL cannot be stored in PostgreSQL text or jsonb; a lone surrogate (JSON allows "\ud800") cannot be
# encoded as UTF-8. Either would fail deep in the driver, so both are refused at the edge.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Characters that would end or fold a mail header (CR, LF and the other line breaks Python's e-mail
# package splits on), or hide in one (controls).
_NOT_ONE_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def _refuse_unstorable_text(value: Any) -> None:
    """Walk strings, lists and dicts (keys included); raise ValueError at the first unstorable text."""
    if isinstance(value, str):
        if (found := _UNSTORABLE.search(value)) is not None:
            kind = "NUL characters" if found.group() == "\x00" else "lone surrogates (invalid Unicode)"
            raise ValueError(f"must not contain {kind}")
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_unstorable_text(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_unstorable_text(key)
            _refuse_unstorable_text(item)


def storable_text(value: T) -> T:
    """An AfterValidator for inputs outside the body models (query parameters)."""
    _refuse_unstorable_text(value)
    return value


def _one_line(value: str) -> str:
    if _NOT_ONE_LINE.search(value):
        raise ValueError("must be a single line without control characters")
    return value


def _email_address(value: str) -> str:
    try:
        normalize_email(value)
    except InvalidInput as exc:
        raise ValueError(exc.message) from None
    return value


ShortText = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_one_line)]
HeaderText = Annotated[str, AfterValidator(_one_line)]
"""Text that can end up in a mail header (subject, names, file names): one line, no controls."""
EmailAddress = Annotated[str, Field(max_length=320), AfterValidator(_email_address)]


def _cc_field() -> Any:
    return Field(
        default_factory=list,
        max_length=MAX_CC,
        description="E-mail conversations only: addresses that get a copy (the Cc header); 422 on other channels.",
    )


class StrictModel(BaseModel):
    """Base of every request body: unknown fields and unstorable text (in any field) are refused."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def text_is_storable(cls, value: Any) -> Any:
        return storable_text(value)


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class InboxCreate(StrictModel):
    name: ShortText
    channel_type: str = Field(examples=["api"])
    config: dict[str, Any] = Field(default_factory=dict)


class InboxUpdate(StrictModel):
    name: ShortText | None = None
    config: dict[str, Any] | None = Field(
        default=None,
        description="Merged into the stored settings (JSON merge patch: null removes a member). A secret "
        "left out, or sent as `********`, keeps its stored value.",
    )


class InboxOut(BaseModel):
    id: int
    name: str
    channel_type: str
    config: dict[str, Any] = Field(description="Channel settings; secrets are masked.")
    created_at: datetime


class InboxMemberAdd(StrictModel):
    user_id: Id


class InboxMemberOut(BaseModel):
    id: int
    name: str


class InboxMembersOut(BaseModel):
    user_ids: list[int]
    members: list[InboxMemberOut] = Field(
        description="The active members with their names, by name: whom a conversation of the inbox can be assigned to."
    )


class AttachmentIn(StrictModel):
    filename: HeaderText = Field(
        min_length=1, max_length=255, description="Stored cleaned: no directories, controls or bidi overrides."
    )
    content_type: HeaderText = Field(default="application/octet-stream", max_length=255)
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
    name: HeaderText | None = Field(default=None, max_length=200)
    email: EmailAddress | None = None
    phone: str | None = Field(default=None, max_length=64)


class ContactRefIn(StrictModel):
    identifier: str = Field(min_length=1, max_length=320, description="The contact's id in your system.")


class ContactTypingIn(StrictModel):
    contact: ContactRefIn
    on: bool = Field(description="true when the contact started typing, false when they stopped.")
    conversation_id: Id | None = Field(
        default=None, description="The contact's conversation; by default their latest in the inbox."
    )


class InboundIn(StrictModel):
    external_id: str = Field(min_length=1, max_length=512, description="Your id of the message: the idempotency key.")
    contact: InboundContactIn
    content: str = Field(default="", max_length=100_000)
    html: str | None = Field(default=None, max_length=1_000_000)
    subject: HeaderText | None = Field(default=None, max_length=998)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=MAX_FILES_PER_MESSAGE)

    @model_validator(mode="after")
    def has_something_to_say(self) -> "InboundIn":
        if not (self.content.strip() or (self.html or "").strip() or self.attachments):
            raise ValueError("a message needs content, html or an attachment")
        return self


class InboundOut(BaseModel):
    message_id: int
    conversation_id: int
    contact_id: int


class AttachmentLimitsOut(BaseModel):
    max_file_bytes: int = Field(description="The largest file the hub stores (`OMNIHUB_MAX_ATTACHMENT_BYTES`).")
    max_files: int = Field(description="How many files one message may carry.")
    max_request_bytes: int = Field(
        description="The largest request body (`OMNIHUB_MAX_REQUEST_BYTES`): files travel base64-encoded in "
        "JSON, so all of a message's files together take a third more than their size."
    )
    inline_image_types: list[str] = Field(description="Image types `GET /attachments/{id}` serves inline.")


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
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=MAX_FILES_PER_MESSAGE)
    cc: list[EmailAddress] = _cc_field()


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
    snoozed_until: datetime | None = Field(
        default=None,
        description="While `snoozed`: when the conversation opens again by itself (null: when the "
        "contact writes again).",
    )
    reply_identity_id: int | None = Field(
        description="The contact identity replies go to (see the contact's `identities`); null: none yet."
    )
    waiting_since: datetime | None = Field(
        default=None,
        description="When the contact's first message not yet answered by a reply came in; null: nobody waits "
        "(notes do not answer, auto-replies do not make anyone wait).",
    )


class ConversationStart(StrictModel):
    inbox_id: Id
    contact_id: Id | None = Field(
        default=None, description="An existing contact; replies go to their address on this inbox's channel."
    )
    email: EmailAddress | None = Field(
        default=None, description="E-mail inboxes: the address to write to (someone new, or the person known by it)."
    )
    name: HeaderText | None = Field(default=None, max_length=200)
    subject: HeaderText | None = Field(default=None, max_length=998)
    content: str = Field(default="", max_length=100_000)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=MAX_FILES_PER_MESSAGE)
    cc: list[EmailAddress] = _cc_field()


class ConversationStarted(BaseModel):
    conversation: ConversationOut
    message: MessageOut


class ConversationPatch(StrictModel):
    """Only the fields present change; `null` clears assignee, team or the snooze."""

    status: ConversationStatus | None = None
    snoozed_until: AwareDatetime | None = Field(
        default=None,
        description="Snooze until this time (with its time zone; in the future): the status becomes `snoozed` and "
        "the conversation opens again by itself then. `null` (or another status) ends a snooze.",
    )
    assignee_id: Id | None = None
    team_id: Id | None = None
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

    identity_id: Id | None = None
    email: EmailAddress | None = None


class ContactOut(BaseModel):
    id: int
    name: str | None
    email: str | None
    phone: str | None
    created_at: datetime


class ContactDetailOut(ContactOut):
    identities: list[IdentityOut]
    conversations: list[ConversationOut]


class ContactPatch(StrictModel):
    name: HeaderText = Field(min_length=1, max_length=200, description="Surrounding spaces are dropped.")


class ContactMerge(StrictModel):
    other_id: Id = Field(description="The contact folded into this one and then deleted.")


class TeamCreate(StrictModel):
    name: ShortText


class TeamOut(BaseModel):
    id: int
    name: str


class TeamMemberAdd(StrictModel):
    user_id: Id


class TeamMembersOut(BaseModel):
    user_ids: list[int]


class SignIn(StrictModel):
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=1000)


class SignedIn(BaseModel):
    user_id: int
    name: str
    email: str
    role: str
