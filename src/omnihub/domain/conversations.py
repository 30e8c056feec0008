"""Rules of a conversation's life cycle, free of storage."""

from omnihub.domain.enums import ConversationStatus


def status_after_inbound(current: ConversationStatus) -> ConversationStatus:
    """A customer writing again wakes a snoozed conversation and reopens a resolved one."""
    if current in (ConversationStatus.RESOLVED, ConversationStatus.SNOOZED):
        return ConversationStatus.OPEN
    return current


MAX_LABELS = 50
MAX_LABEL_LENGTH = 64


def normalize_labels(labels: list[str]) -> list[str]:
    """Labels are case-insensitive tags: trimmed, lower-cased, deduplicated, sorted."""
    cleaned = sorted({label.strip().lower() for label in labels if label.strip()})
    if len(cleaned) > MAX_LABELS:
        raise ValueError(f"at most {MAX_LABELS} labels")
    too_long = [label for label in cleaned if len(label) > MAX_LABEL_LENGTH]
    if too_long:
        raise ValueError(f"labels are at most {MAX_LABEL_LENGTH} characters: {too_long[0]!r}")
    return cleaned
