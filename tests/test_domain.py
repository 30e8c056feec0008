"""Rules of the model that need no database."""

import pytest

from omnihub.domain.backoff import backoff_delay
from omnihub.domain.conversations import normalize_labels, status_after_inbound
from omnihub.domain.enums import ConversationStatus
from omnihub.domain.errors import InvalidInput
from omnihub.domain.html import sanitize_html
from omnihub.domain.identities import identity_key, normalize_email, normalize_phone
from omnihub.services.outbox import RetryPolicy


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+1 (415) 555-2671", "+14155552671"),
        ("+972-50-123-4567", "+972501234567"),
        ("+966 50 123 4567", "+966501234567"),
        ("00 44 20 7946 0958", "+442079460958"),
    ],
)
def test_phones_become_e164(raw: str, expected: str) -> None:
    region = "DE" if raw.startswith("00") else None
    assert normalize_phone(raw, region) == expected


def test_national_numbers_need_a_region() -> None:
    with pytest.raises(InvalidInput):
        normalize_phone("050-123-4567")
    assert normalize_phone("050-123-4567", "IL") == "+972501234567"


@pytest.mark.parametrize("bad", ["", "no-at-sign", "@example.com", "a b@example.com", "x@"])
def test_bad_emails_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput):
        normalize_email(bad)


def test_identity_keys_normalise_by_kind() -> None:
    assert identity_key("email", " Dana@Example.COM ").address == "dana@example.com"
    assert identity_key("telegram", " 12345 ", scope="bot-1").address == "12345"
    assert identity_key("telegram", "12345", scope="bot-1").scope == "bot-1"
    assert identity_key("email", "a@b.c", scope="ignored").scope == ""


@pytest.mark.parametrize(
    ("before", "after"),
    [("open", "open"), ("pending", "pending"), ("snoozed", "open"), ("resolved", "open")],
)
def test_inbound_wakes_snoozed_and_reopens_resolved(before: str, after: str) -> None:
    assert status_after_inbound(ConversationStatus(before)) == ConversationStatus(after)


def test_labels_are_trimmed_lowercased_and_unique() -> None:
    assert normalize_labels([" VIP", "vip", "Billing", ""]) == ["billing", "vip"]
    with pytest.raises(ValueError):
        normalize_labels(["x" * 65])


@pytest.mark.parametrize(
    ("dirty", "forbidden"),
    [
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ("<script>alert(1)</script>", "<script"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<img src="https://tracker.example/p.gif">', "tracker"),
        ('<iframe src="https://evil.example"></iframe>', "iframe"),
        ('<a href="data:text/html,<script>x</script>">x</a>', "data:"),
        ("<style>body{display:none}</style>", "<style"),
    ],
)
def test_html_sanitizer_drops_active_and_remote_content(dirty: str, forbidden: str) -> None:
    assert forbidden not in sanitize_html(dirty)


def test_html_sanitizer_keeps_text_direction_links_and_inline_images() -> None:
    clean = sanitize_html('<p dir="rtl">שלום <a href="https://example.com">קישור</a><img src="cid:logo@x"></p>')
    assert 'dir="rtl"' in clean and 'href="https://example.com"' in clean and 'src="cid:logo@x"' in clean


def test_backoff_grows_exponentially_up_to_the_cap_with_jitter() -> None:
    policy = RetryPolicy(max_attempts=10, backoff_seconds=2, backoff_max_seconds=60)
    steps = [2, 4, 8, 16, 32, 60, 60]
    for _ in range(50):
        delays = [policy.delay_after(n) for n in range(1, 8)]
        assert all(step / 2 <= delay <= step for delay, step in zip(delays, steps, strict=True))
    # Jitter: retries of many clients cut off together spread out instead of coming back in step.
    assert len({round(policy.delay_after(3), 6) for _ in range(20)}) > 1
    assert [backoff_delay(n, first=0.1, cap=5.0, jitter=False) for n in (1, 2, 3, 10, 10_000)] == [0.1, 0.2, 0.4, 5, 5]
