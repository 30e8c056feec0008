"""The statements of the ingest path (see ``services.ingest`` for the steps they make up)."""

from omnihub.db.models import EventQueueEntry
from omnihub.domain.conversations import status_after_inbound
from omnihub.domain.enums import (
    ConversationStatus,
    DeliveryStatus,
    IdentityProvenance,
    MessageDirection,
    MessageKind,
)

# The identities are passed as three parallel arrays (kind, scope, address), in the order of
# ``inbound_identity_keys``: the first is the channel's own identity, which alone decides who wrote, and
# only among trusted identities; the others are claims, noted on the contact but never used to find one.
# An identity an agent chose (``agent``) counts only in the inbox it was chosen in ($4), until mail proves it.
_OWNER_CTE = f"""
owner AS (
    SELECT ci.contact_id, ci.id AS identity_id, ci.provenance
    FROM contact_identities ci
    WHERE ci.kind = ($1::text[])[1] AND ci.scope = ($2::text[])[1] AND ci.address = ($3::text[])[1]
      AND (ci.provenance = '{IdentityProvenance.CHANNEL.value}'
           OR (ci.provenance = '{IdentityProvenance.AGENT.value}' AND ci.inbox_id = $4::bigint))
    ORDER BY ci.provenance = '{IdentityProvenance.CHANNEL.value}' DESC
    LIMIT 1
), locked AS (
    SELECT c.id, c.name, c.email, c.phone, c.created_at
    FROM contacts c
    WHERE c.id = (SELECT contact_id FROM owner)
    FOR UPDATE
)"""

# ``found``: how many of the keys the owner carries already (any provenance), so that a message adding
# nothing new skips the statement that notes new identities.
_OWNER_COLUMNS = """
    (SELECT contact_id FROM owner) AS owner_id, (SELECT identity_id FROM owner) AS identity_id,
    (SELECT provenance FROM owner) AS identity_provenance,
    (SELECT count(*) FROM unnest($1::text[], $2::text[], $3::text[]) AS k(kind, scope, address)
     WHERE EXISTS (SELECT 1 FROM contact_identities ci WHERE ci.contact_id = l.id
                   AND ci.kind = k.kind AND ci.scope = k.scope AND ci.address = k.address)) AS found,
    l.id, l.name, l.email, l.phone, l.created_at"""

# Step 1 of the API channel: $4 inbox, $5 external id, $6 is the caller an admin, $7 the caller.
RECEIVE = f"""
WITH {_OWNER_CTE}
SELECT i.channel_type, m.id AS message_id, m.conversation_id, mc.contact_id AS message_contact_id,
{_OWNER_COLUMNS}
FROM inboxes i
LEFT JOIN messages m ON m.inbox_id = i.id AND m.external_id = $5::varchar
LEFT JOIN conversations mc ON mc.id = m.conversation_id
LEFT JOIN locked l ON true
WHERE i.id = $4::bigint
  AND ($6::boolean OR EXISTS (SELECT 1 FROM inbox_members im WHERE im.inbox_id = i.id AND im.user_id = $7::bigint))
"""

# The contact owning the channel identity for inbox $4, locked; always one row (owner_id is NULL when
# nobody owns it).
LOCK_OWNER = f"""
WITH {_OWNER_CTE}
SELECT {_OWNER_COLUMNS}
FROM (SELECT 1) AS one
LEFT JOIN locked l ON true
"""

EXISTING = """
SELECT m.id, m.conversation_id, c.contact_id
FROM messages m JOIN conversations c ON c.id = m.conversation_id
WHERE m.inbox_id = $1::bigint AND m.external_id = $2::varchar
"""

# A new contact taking its channel identity, learnt through inbox $7; ``identity_id`` is NULL when a
# concurrent transaction took the identity first (and then committed): that transaction's contact is the person.
CREATE_CONTACT = f"""
WITH created AS (
    INSERT INTO contacts (name, email, phone) VALUES ($1::varchar, $2::varchar, $3::varchar)
    RETURNING id, name, email, phone, created_at
), claimed AS (
    INSERT INTO contact_identities (contact_id, kind, scope, address, provenance, inbox_id)
    SELECT created.id, $4::varchar, $5::varchar, $6::varchar, '{IdentityProvenance.CHANNEL.value}', $7::bigint
    FROM created
    ON CONFLICT DO NOTHING
    RETURNING id
)
SELECT created.*, (SELECT id FROM claimed) AS identity_id FROM created
"""

DELETE_CONTACT = "DELETE FROM contacts WHERE id = $1::bigint"

# The channel identity is proven now, if an agent had only chosen it; the other keys (claims) are noted
# on the contact, learnt through inbox $5, unless it carries them already.
NOTE_IDENTITIES = f"""
WITH proven AS (
    UPDATE contact_identities SET provenance = '{IdentityProvenance.CHANNEL.value}'
    WHERE contact_id = $1::bigint AND provenance = '{IdentityProvenance.AGENT.value}'
      AND kind = ($2::text[])[1] AND scope = ($3::text[])[1] AND address = ($4::text[])[1]
      AND NOT EXISTS (
          SELECT 1 FROM contact_identities p
          WHERE p.provenance = '{IdentityProvenance.CHANNEL.value}'
            AND p.kind = ($2::text[])[1] AND p.scope = ($3::text[])[1] AND p.address = ($4::text[])[1]
      )
)
INSERT INTO contact_identities (contact_id, kind, scope, address, provenance, inbox_id)
SELECT $1::bigint, k.kind, k.scope, k.address, '{IdentityProvenance.CLAIMED.value}', $5::bigint
FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS k(kind, scope, address, position)
WHERE k.position > 1 AND NOT EXISTS (
    SELECT 1 FROM contact_identities ci
    WHERE ci.contact_id = $1::bigint AND ci.kind = k.kind AND ci.scope = k.scope AND ci.address = k.address
)
ON CONFLICT DO NOTHING
"""

# Naming a known contact is news for every inbox they write in: the inboxes come back for the event.
NAME_CONTACT = """
UPDATE contacts SET name = $2::varchar, updated_at = now() WHERE id = $1::bigint
RETURNING ARRAY(SELECT DISTINCT inbox_id FROM conversations WHERE contact_id = $1::bigint) AS inbox_ids
"""


def _status_after_inbound_sql(column: str) -> str:
    """``status_after_inbound`` as a SQL CASE, generated from the domain rule so the two cannot drift."""
    changes = [(s, status_after_inbound(s)) for s in ConversationStatus if status_after_inbound(s) != s]
    whens = " ".join(f"WHEN '{before.value}' THEN '{after.value}'" for before, after in changes)
    return f"(CASE {column} {whens} ELSE {column} END)" if changes else column


CONVERSATION_COLUMNS = (
    "id",
    "inbox_id",
    "contact_id",
    "status",
    "assignee_id",
    "team_id",
    "priority",
    "labels",
    "subject",
    "created_at",
    "last_activity_at",
    "first_response_at",
    "resolved_at",
    "snoozed_until",
    "reply_identity_id",
    "waiting_since",
)
MESSAGE_COLUMNS = (
    "id",
    "conversation_id",
    "inbox_id",
    "direction",
    "kind",
    "sender_contact_id",
    "sender_user_id",
    "text",
    "html",
    "external_id",
    "delivery_status",
    "failure_reason",
    "created_at",
)

# Step 3: $1 inbox, $2 contact, $3 subject, $4 text, $5 html, $6 external id, $7 metadata (JSON text),
# $8 whether the message may reopen the conversation (not for auto-replies), $9 the identity the contact
# wrote from (where a new conversation's replies go), and for THREAD_INTO $10 the conversation. The
# conversation is read in a statement that starts after the contact lock is held,
# so it sees any conversation a concurrent message of the same person committed.
_NEW_STATUS = f"(CASE WHEN $8::boolean THEN {_status_after_inbound_sql('c.status')} ELSE c.status END)"


def _thread_statement(previous: str) -> str:
    """Step 3 with ``previous`` choosing the conversation to continue (none: a new one is created)."""
    return f"""
WITH previous AS (
    {previous}
), updated AS (
    UPDATE conversations c
    SET status = {_NEW_STATUS},
        resolved_at = CASE WHEN {_NEW_STATUS} <> c.status THEN NULL ELSE c.resolved_at END,
        snoozed_until = CASE WHEN {_NEW_STATUS} <> c.status THEN NULL ELSE c.snoozed_until END,
        last_activity_at = now(),
        -- The contact waits from their first unanswered message on; an auto-reply ($8 false) waits for nothing.
        waiting_since = CASE WHEN $8::boolean THEN coalesce(c.waiting_since, now()) ELSE c.waiting_since END,
        -- Only the conversation's own contact gives it an address; a message threaded in from someone
        -- else (a colleague answering a mail thread) does not.
        reply_identity_id = CASE WHEN c.contact_id = $2::bigint THEN coalesce(c.reply_identity_id, $9::bigint)
                                 ELSE c.reply_identity_id END
    FROM previous
    WHERE c.id = previous.id
    RETURNING {", ".join(f"c.{name}" for name in CONVERSATION_COLUMNS)}, previous.status AS previous_status
), created AS (
    INSERT INTO conversations (inbox_id, contact_id, status, subject, last_activity_at, reply_identity_id,
                               waiting_since)
    SELECT $1::bigint, $2::bigint, '{ConversationStatus.OPEN.value}', $3::varchar, now(), $9::bigint,
           CASE WHEN $8::boolean THEN now() END
    WHERE NOT EXISTS (SELECT 1 FROM previous)
    RETURNING {", ".join(CONVERSATION_COLUMNS)}, NULL::varchar AS previous_status
), conversation AS (
    SELECT * FROM updated UNION ALL SELECT * FROM created
), message AS (
    INSERT INTO messages (conversation_id, inbox_id, direction, kind, sender_contact_id, text, html,
                          external_id, delivery_status, extra)
    SELECT conversation.id, $1::bigint, '{MessageDirection.INCOMING.value}', '{MessageKind.MESSAGE.value}', $2::bigint,
           $4::text, $5::text, $6::varchar, '{DeliveryStatus.DELIVERED.value}', $7::text::jsonb
    FROM conversation
    RETURNING {", ".join(MESSAGE_COLUMNS)}
)
SELECT {", ".join(f"conversation.{name}" for name in CONVERSATION_COLUMNS)}, conversation.previous_status,
       {", ".join(f"message.{name} AS message_{name}" for name in MESSAGE_COLUMNS)}
FROM conversation, message
"""


# The contact's latest conversation in the inbox (chat channels).
THREAD_LATEST = _thread_statement(
    "SELECT id, status FROM conversations WHERE inbox_id = $1::bigint AND contact_id = $2::bigint "
    "ORDER BY last_activity_at DESC, id DESC LIMIT 1 FOR UPDATE"
)
# A conversation the channel named ($10), if it is still there.
THREAD_INTO = _thread_statement(
    "SELECT id, status FROM conversations WHERE inbox_id = $1::bigint AND id = $10::bigint FOR UPDATE"
)
# Always a new conversation.
THREAD_NEW = _thread_statement("SELECT id, status FROM conversations WHERE false")

# The conversation of the newest message among the referenced external ids ($2, oldest first).
REFERENCED_CONVERSATION = """
SELECT m.conversation_id FROM messages m
WHERE m.inbox_id = $1::bigint AND m.external_id = ANY($2::varchar[])
ORDER BY array_position($2::varchar[], m.external_id) DESC, m.id DESC
LIMIT 1
"""

CONVERSATION_IN_INBOX = "SELECT id FROM conversations WHERE id = $2::bigint AND inbox_id = $1::bigint"

INSERT_ATTACHMENTS = """
INSERT INTO attachments (message_id, filename, content_type, size, sha256, content_id)
SELECT $1::bigint, a.filename, a.content_type, a.size, a.sha256, a.content_id
FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[]) WITH ORDINALITY
     AS a(filename, content_type, size, sha256, content_id, position)
ORDER BY a.position
RETURNING id, message_id, filename, content_type, size, sha256, content_id, created_at
"""

# Into the queue ``services.events.record_event`` writes to; the sequencer moves them into the log.
RECORD_EVENTS = f"""
INSERT INTO {EventQueueEntry.__tablename__} (type, inbox_id, data)
SELECT e.type, $1::bigint, e.data::jsonb FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS e(type, data, position)
ORDER BY e.position
"""
