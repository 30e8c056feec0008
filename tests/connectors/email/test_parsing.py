"""Parsing raw e-mail: real corpora, hand-written client fixtures, every charset, hostile HTML, mutations."""

# The test data is text in many scripts on purpose: letters that look like Latin ones are not mistakes.
# ruff: noqa: RUF001

from __future__ import annotations

import base64
import dataclasses
import quopri
import re
import sysconfig
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from omnihub_connectors.email import headers as header_module
from omnihub_connectors.email.filenames import MAX_FILENAME_BYTES, safe_filename
from omnihub_connectors.email.headers import message_id, message_ids, parse_addresses
from omnihub_connectors.email.html_text import html_to_text
from omnihub_connectors.email.parsing import MailAddress, ParsedEmail, UnparseableEmail, parse_email
from omnihub_connectors.email.replies import split_reply

from omnihub.domain.html import sanitize_html

FIXTURES = Path(__file__).parent / "fixtures"
CORPORA = Path(__file__).parent / "corpus"  # real-world mail from other projects, see each SOURCE.md
STDLIB_EMAIL_DATA = Path(sysconfig.get_paths()["stdlib"]) / "test" / "test_email" / "data"


def files_in(folder: Path, pattern: str) -> list[Path]:
    # A missing folder becomes a test that fails on it, never an empty (skipped) parametrization.
    return sorted(path for path in folder.rglob(pattern) if path.is_file()) if folder.is_dir() else [folder]


def parse_file(path: Path) -> ParsedEmail:
    return parse_email(path.read_bytes())


def strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for field in dataclasses.fields(value) for s in strings_in(getattr(value, field.name))]
    if isinstance(value, tuple | list):
        return [s for item in value for s in strings_in(item)]
    return []


def assert_well_formed(parsed: ParsedEmail) -> None:
    """What the hub relies on for every parsed message, however broken the input was."""
    for text in strings_in(parsed):
        assert "\x00" not in text
        text.encode("utf-8")  # no lone surrogates: PostgreSQL and JSON need valid text
    assert parsed.date is None or parsed.date.tzinfo is not None
    assert bool(parsed.reply_text.strip()) == bool(parsed.text.strip())
    for address in (parsed.sender, *parsed.to, *parsed.cc, *parsed.reply_to):
        if address is not None:
            local, _, domain = address.address.rpartition("@")
            assert local and domain == domain.lower()
    for ident in (parsed.message_id, *parsed.in_reply_to, *parsed.references):
        assert ident is None or (ident and not re.search(r"[\s<>]", ident))
    for attachment in parsed.attachments:
        name = attachment.filename
        assert name and "/" not in name and "\\" not in name and name.isprintable()
        assert len(name.encode("utf-8")) <= MAX_FILENAME_BYTES
        assert attachment.content_id is None or "<" not in attachment.content_id
    if parsed.html is not None:
        lowered = parsed.html.lower()
        assert "<script" not in lowered and "javascript:" not in lowered and " onerror" not in lowered


# --- every message of the real corpora goes through


@pytest.mark.parametrize("path", files_in(CORPORA, "*.eml"), ids=lambda path: path.name)
def test_corpus_message_parses(path: Path) -> None:
    assert path.is_file(), f"corpus missing: {path}"
    assert_well_formed(parse_file(path))


def test_corpus_is_complete() -> None:
    assert len(files_in(CORPORA / "chatwoot", "*.eml")) >= 43


@pytest.mark.parametrize("path", files_in(STDLIB_EMAIL_DATA, "*"), ids=lambda path: path.name)
def test_python_email_test_data_parses_or_is_refused(path: Path) -> None:
    assert path.is_file(), f"Python's test_email data is missing: {path}"
    try:
        parsed = parse_file(path)
    except UnparseableEmail as error:
        assert error.reason
        # Only what is not a mail (images, sounds, a digest body without a header) may be refused.
        assert not path.name.startswith("msg_") or path.name == "msg_19.txt", error.reason
        return
    assert_well_formed(parsed)


def chatwoot(name: str) -> ParsedEmail:
    return parse_file(CORPORA / "chatwoot" / name)


def test_corpus_auto_replies_and_bounces_are_machine_sent() -> None:
    assert (chatwoot("auto_reply.eml").automated or "").startswith("auto-reply")
    assert (chatwoot("auto_reply_with_auto_submitted.eml").automated or "").startswith("auto-submitted")
    assert chatwoot("non_utf_encoded_mail.eml").automated is not None
    for name in ("bounced_gmail.eml", "bounced_with_no_from.eml"):
        assert (chatwoot(name).automated or "").startswith("bounce")
    for name in ("reply.eml", "support.eml", "group_sender_support.eml", "mail_with_quote.eml"):
        assert chatwoot(name).automated is None, name


def test_corpus_bounces_name_what_failed() -> None:
    gmail = chatwoot("bounced_gmail.eml")
    assert gmail.bounce is not None and gmail.bounce.recipients == ("alex.jones@fictionalcorp.com",)
    assert gmail.bounce.message_id == "conversation/93775311-9416-4428-964b-862001f8a8b2/messages/27855337@gmail.com"
    postfix = chatwoot("bounced_with_no_from.eml")
    assert postfix.sender is None  # From is '"" (Mail Delivery System)' and Return-Path is <>
    assert postfix.bounce is not None and postfix.bounce.recipients == ("noreply@example-service.com",)
    assert "does not exist" in (postfix.bounce.diagnostic or "")


def test_corpus_non_utf_encoded_mail_decodes_to_the_right_words() -> None:
    parsed = chatwoot("non_utf_encoded_mail.eml")
    assert parsed.subject == "أهلين عميلنا الكريم"
    assert parsed.sender == MailAddress("example@gmail.com", "متجر سوق نت")
    assert "أنظروا، أنا أحتاجها فقط" in parsed.text


def test_corpus_quote_is_kept_out_of_the_reply() -> None:
    parsed = chatwoot("mail_with_quote.eml")
    assert parsed.reply_text == "Yes, I am providing you step how to reproduce this issue"
    assert "Any update on this?" in (parsed.quoted_text or "")
    assert "Any update on this?" in parsed.text


def test_corpus_attachments() -> None:
    many = chatwoot("multiple_attachments.eml").attachments
    assert len(many) == 30 and {a.content_type for a in many} == {"image/png"}
    unnamed = chatwoot("attachments_without_filename.eml").attachments
    assert [a.filename for a in unnamed] == ["attachment.png", "attachment.png"]
    assert all(a.content_id for a in unnamed)
    inline = chatwoot("mail_with_inline_images.eml").attachments
    assert len(inline) == 3 and all(a.inline and a.content_id for a in inline)
    outlook = chatwoot("cid_inline_images_without_disposition.eml").attachments
    assert [(a.content_id, a.inline) for a in outlook] == [("image001.jpg@test", True)]
    pdf = chatwoot("email_with_inline_pdf.eml").attachments
    assert [(a.filename, a.content_type) for a in pdf] == [("dummy.pdf", "application/pdf")]
    assert len(chatwoot("only_attachments.eml").attachments) == 1
    assert len(chatwoot("attachments_without_text.eml").attachments) == 2
    # Inline images that the plain text only mentions are listed as attachments, not hidden.
    assert not any(a.inline for a in chatwoot("mail_with_plain_text_and_inline_image.eml").attachments)


def test_corpus_threading_and_addresses() -> None:
    assert chatwoot("multiple_in_reply_to.eml").in_reply_to == (
        "4e6e35f5a38b4_479f13bb90078171@small-app-01.mail",
        "4e6e35f5a38b4_479f13bb90078131@small-app-01.mail",
    )
    assert chatwoot("references.eml").references == (
        "4e6e35f5a38b4_479f13bb90078178@small-app-01.mail",
        "test-reference-id",
    )
    assert chatwoot("reply.eml").in_reply_to == ("4e6e35f5a38b4_479f13bb90078178@small-app-01.mail",)
    assert chatwoot("mail_with_invalid_to.eml").to == (MailAddress("vishnu@chatwoot.com"),)
    assert chatwoot("mail_with_invalid_to_2.eml").to == (MailAddress("vishnu@chatwoot.com"),)
    assert chatwoot("malformed_reply_to.eml").reply_to == ()
    assert chatwoot("malformed_reply_to.eml").message_id is None
    assert chatwoot("support_uppercase.eml").sender == MailAddress("SONY@chatwoot.com", "Sony Mathew")
    assert (
        "reply+6bdc3f4d-0bec-4515-a284-5d916fdde489@example.com" in chatwoot("forwarder_email.eml").envelope_recipients
    )
    assert MailAddress("reply+6bdc3f4d-0bec-4515-a284-5d916fdde489@example.com", "Replies") in (
        chatwoot("reply_uuid_in_cc.eml").cc
    )
    assert chatwoot("mail_with_no_date.eml").date is None
    assert chatwoot("mail_with_no_subject.eml").subject is None
    only_html = chatwoot("only_html.eml")
    assert only_html.text == "This is html only mail" and only_html.html is not None


# --- hand-written fixtures as the clients produce them

GMAIL_REPLY = (
    "Hi,\n\nThanks for the update. Could you ship it to my office address instead?\n"
    "Acme GmbH, Hauptstraße 5, 10115 Berlin."
)

EXPECTED: dict[str, dict[str, Any]] = {
    "reply__gmail.eml": {
        "reply": GMAIL_REPLY,
        "quoted": "delayed by two days",
        "signature": "Jane Doe\nHead of Purchasing",
        "sender": MailAddress("jane.doe@gmail.com", "Jane Doe"),
        "in_reply_to": ("20250106101500.7.a1b2c3@acme.example",),
        "envelope": ("support+c7.x9KfQ2@acme.example",),
        "html_has": "delayed by two days",
    },
    "reply__outlook_desktop.eml": {
        "reply": "Hello,\n\nThe corrected invoice still shows DE123456789. Our VAT number is DE987654321.\n\n"
        "Best regards,\nJohn Smith\nContoso Ltd. | Accounts Payable",
        "quoted": "We have corrected invoice 2024-118",
        "signature": None,
        "sender": MailAddress("John.Smith@contoso.com", "Smith, John"),
        "message_id": "AM9PR03MB72208C5E1F3E2C4B0A9D1E2FB3152@AM9PR03MB7220.eurprd03.prod.outlook.com",
    },
    "reply__outlook_web.eml": {
        "reply": "Still nothing, I checked the spam folder too. Can you set the password for me?",
        "quoted": "________________________________\nFrom: Acme Support",
        "signature": "Get Outlook for Android<https://aka.ms/AAb9ysg>",
    },
    "reply__outlook_original_message.eml": {
        "reply": "Yes, please use the new address – the old warehouse closed in December.\n\nPeter",
        "quoted": "-----Original Message-----",
    },
    "reply__outlook_german.eml": {
        "reply": "Hallo,\n\nbitte stornieren Sie die Bestellung, wir haben die Ware anderweitig besorgt.\n\n"
        "Mit freundlichen Grüßen\nJürgen Müller",
        "quoted": "Von: Acme Support",
        "subject": "AW: Lieferung verzögert",
        "sender": MailAddress("j.mueller@example.de", "Jürgen Müller"),
    },
    "reply__apple_mail.eml": {
        "reply": "Great, thank you! When will the money be back on my card?",
        "quoted": "We have refunded order #9981.",
        "signature": "Sent from my iPhone",
    },
    "reply__thunderbird_flowed.eml": {
        "reply": "Thanks. We send about 300 requests per minute at peak, so the limit of 250 is too low for us. "
        "Can it be raised for our account?",
        "quoted": "Requests above the limit get status 429.",
        "signature": "Lena Vogel\nBackend team",
    },
    "reply__arabic_gmail.eml": {
        "reply": "شكراً لكم، ما زالت المشكلة قائمة بعد تحديث التطبيق إلى الإصدار الأخير.",
        "quoted": "هل جربت تحديث التطبيق؟",
        "subject": "رد: مشكلة في تسجيل الدخول",
        "sender": MailAddress("ahmad.mansour@gmail.com", "أحمد منصور"),
        "html_has": 'dir="rtl"',
    },
    "reply__arabic_outlook.eml": {
        "reply": "السلام عليكم،\n\nتم استلام الفاتورة ولكن المبلغ غير صحيح.\n\nمع التحية،\nسارة",
        "quoted": "مرفق الفاتورة رقم 553.",
        "subject": "رد: الفاتورة رقم 553",
        "sender": MailAddress("sara@example.sa", "سارة العتيبي"),
    },
    "reply__hebrew_outlook.eml": {
        "reply": "שלום,\n\nהחבילה הגיעה פגומה. אני מבקש החלפה.\n\nתודה,\nדוד",
        "quoted": "ההזמנה שלך נשלחה היום.",
        "subject": "השב: ההזמנה שלך נשלחה",
        "sender": MailAddress("david@example.co.il", "דוד כהן"),
        "to": (MailAddress("support@acme.example", "תמיכת אקמה"),),
    },
    "reply__hebrew_gmail.eml": {
        "reply": "עדיין לא קיבלתי את ההחזר הכספי.",
        "quoted": "ההחזר יבוצע תוך 5 ימי עסקים.",
        "subject": "תשובה: החזר כספי",
        "html_has": 'dir="rtl" lang="he"',
    },
    "reply__interleaved.eml": {"reply": None, "signature": None},
    "forward__gmail.eml": {"reply": None, "text_has": "your payment of EUR 49.00"},
    "html__apple_mail_quote.eml": {
        "reply": "The money is back, thanks!",
        "quoted": "We have refunded order #9981.",
    },
    "charset__iso_2022_jp.eml": {
        "subject": "注文の件について",
        "sender": MailAddress("taro.yamada@example.jp", "山田 太郎"),
        "text_has": "注文番号12345の配送状況を教えてください。",
    },
    "charset__shift_jis.eml": {"subject": "請求書の宛名変更", "text_has": "①請求書の宛名を変更してください。"},
    "charset__gb2312.eml": {
        "subject": "订单查询",
        "text_has": "请帮忙查询。朱镕",
        "sender": MailAddress("zhu.rong@example.cn", "朱镕"),
    },
    "charset__big5.eml": {"subject": "退款查詢", "text_has": "請問退款何時會到帳？"},
    "charset__koi8_r.eml": {"subject": "Не могу войти", "text_has": "Не могу войти в личный кабинет."},
    "charset__iso_8859_8_i.eml": {
        "subject": "המוצר לא הגיע",
        "sender": MailAddress("michal@example.co.il", "מיכל אברהם"),
        "text_has": "המוצר שהזמנתי לא הגיע עדיין.",
    },
    "charset__iso_8859_6_mislabelled.eml": {
        "text_has": "مرحباً، أريد استرجاع المبلغ لأن المنتج وصل تالفاً. شكراً",
        "defect": "read as cp1256",
    },
    "charset__utf8_labelled_latin1.eml": {
        "subject": "Voucher for Café Zürich",
        "text_has": "the café in Zürich says my voucher “SUMMER25” is invalid",
        "reply_to": (MailAddress("chloe@example.fr", "Chloé Dubois"),),
        "defect": "is UTF-8",
    },
    "charset__8bit_without_charset.eml": {
        "text_has": "Résumé of the night run",
        "attachments": [("run.log", "text/plain", False)],
        "defect": "windows-1252",
    },
    "attachments__every_kind.eml": {
        "attachments": [
            ("attachment.png", "image/png", True),
            ("attachment.pdf", "application/pdf", False),
            ("فاتورة رقم 553.pdf", "application/pdf", False),
            ("חשבונית מס 7731.pdf", "application/pdf", False),
            ("evil_gnp.exe", "application/octet-stream", False),
            ("winmail.dat", "application/ms-tnef", False),
            ("Shipment 7731 delivered.eml", "message/rfc822", False),
        ],
        "html_has": 'src="cid:logo.png@01DB68A1"',
    },
    "attachments__forwarded_as_attachment.eml": {
        "attachments": [("Order confirmation 5531.eml", "message/rfc822", False)],
    },
    "automated__sieve_vacation.eml": {"automated": "auto-submitted: auto-replied"},
    "automated__outlook_out_of_office.eml": {"automated": "auto-reply: out-of-office"},
    "automated__read_receipt.eml": {"automated": "read receipt"},
    "automated__mailing_list.eml": {"automated": "bulk: precedence list"},
    "automated__newsletter.eml": {"automated": "bulk: List-Unsubscribe", "html_lacks": "track.shop.example"},
    "automated__postfix_bounce.eml": {"automated": "bounce"},
    "person__outlook_with_auto_response_suppress.eml": {"automated": None},
    "html__hostile.eml": {
        "automated": None,
        "html_has": 'dir="rtl" lang="ar"',
        "html_lacks": ("pixel.gif", "track.css", "bg.png", "css.png", "/frame", ".swf", "collect", "svg.png", "alert"),
        "text_has": "مرحباً، يرجى التحقق من حسابك",
    },
    "headers__messy.eml": {
        "message_id": "legacy-id-4411@mail.example.sa",
        "in_reply_to": ("20250116100000.9.dead@acme.example",),
        "references": ("20250101000000.1.aaaa@acme.example", "20250116100000.9.dead@acme.example"),
        "sender": MailAddress("sara@example.sa", "سارة"),
        "reply_to": (MailAddress("sara.replies@example.sa", "سارة العتيبي"),),
        "to": (),
        "cc": (MailAddress("billing@acme.example", "Acme (billing)"), MailAddress("ops@acme.example", "broken word")),
        "subject": "الفاتورة and an unterminated =word",
        "envelope": ("support+c9.AbCdEf@acme.example", "Support+C9.AbCdEf@acme.example"),
        "date": "2025-01-17T12:00:00+00:00",
        "text_has": "مرحبا",
    },
}


def check(parsed: ParsedEmail, expected: dict[str, Any]) -> None:
    for key, value in expected.items():
        if key == "reply":  # None: nothing is split off
            assert parsed.reply_text == (parsed.text if value is None else value)
            if value is None:
                assert parsed.quoted_text is None
        elif key == "quoted":
            assert value in (parsed.quoted_text or "") and value not in parsed.reply_text
        elif key == "automated":
            assert (parsed.automated is None) if value is None else (parsed.automated or "").startswith(value)
        elif key == "attachments":
            assert [(a.filename, a.content_type, a.inline) for a in parsed.attachments] == value
        elif key == "envelope":
            assert parsed.envelope_recipients == value
        elif key == "date":
            assert parsed.date is not None and parsed.date.isoformat() == value
        elif key == "text_has":
            assert value in parsed.text
        elif key == "html_has":
            assert value in (parsed.html or "")
        elif key == "html_lacks":
            assert parsed.html is not None
            assert not [each for each in ((value,) if isinstance(value, str) else value) if each in parsed.html]
        elif key == "defect":
            assert any(value in defect for defect in parsed.defects), parsed.defects
        else:
            assert getattr(parsed, key) == value, key


@pytest.mark.parametrize("path", files_in(FIXTURES, "*.eml"), ids=lambda path: path.name)
def test_fixture(path: Path) -> None:
    assert path.name in EXPECTED, f"{path.name} has no expectations: add them to EXPECTED"
    parsed = parse_file(path)
    assert_well_formed(parsed)
    check(parsed, EXPECTED[path.name])


def test_every_expectation_has_its_fixture() -> None:
    assert sorted(EXPECTED) == sorted(path.name for path in files_in(FIXTURES, "*.eml"))


def test_bounce_report_links_back_to_our_message() -> None:
    bounce = parse_file(FIXTURES / "automated__postfix_bounce.eml").bounce
    assert bounce is not None
    assert bounce.recipients == ("nobody@customer.example",)
    assert bounce.message_id == "20250116092958.77.c0ffee@acme.example"
    assert bounce.diagnostic == "smtp; 550 5.1.1 <nobody@customer.example>: Recipient address rejected: User unknown"


def test_attachment_contents_and_forwarded_message() -> None:
    attachments = parse_file(FIXTURES / "attachments__every_kind.eml").attachments
    assert attachments[0].content.startswith(b"\x89PNG") and attachments[0].content_id == "logo.png@01DB68A1"
    assert attachments[1].content.startswith(b"%PDF")
    forwarded = parse_email(attachments[-1].content)
    assert forwarded.subject == "Shipment 7731 delivered" and forwarded.message_id == "ship-7731@carrier.example"
    outer = parse_file(FIXTURES / "attachments__forwarded_as_attachment.eml")
    inner = parse_email(outer.attachments[0].content)
    assert [a.filename for a in inner.attachments] == ["order-5531.pdf"]


# --- charsets, built byte by byte (not with the email package, which would hide its own mistakes)

ARABIC = "مرحباً، لدي مشكلة في الطلب رقم 553"
HEBREW = "שלום, ההזמנה שלי לא הגיעה"
CHARSETS = [
    ("windows-1256", "cp1256", ARABIC, "أحمد منصور"),
    ("iso-8859-6", "iso8859_6", "مرحبا، لدي مشكلة في الطلب", "أحمد منصور"),
    ("iso-8859-8", "iso8859_8", HEBREW, "דוד כהן"),
    ("iso-8859-8-i", "iso8859_8", HEBREW, "דוד כהן"),
    ("windows-1255", "cp1255", HEBREW, "דוד כהן"),
    ("koi8-r", "koi8_r", "Здравствуйте, мой заказ ещё не пришёл", "Иван Петров"),
    ("gb2312", "gb2312", "您好，我的订单还没有到", "王伟"),
    ("shift_jis", "shift_jis", "注文した商品がまだ届きません", "山田太郎"),
    ("iso-2022-jp", "iso2022_jp", "注文した商品がまだ届きません", "山田太郎"),
    ("big5", "big5", "您好，我的訂單還沒有到", "陳小明"),
    ("utf-8", "utf-8", "Grüße aus Köln — مرحبا — שלום — 你好", "Zoë Ünal"),
]


def encoded_word(text: str, charset: str, codec: str, mode: str) -> str:
    data = text.encode(codec)
    if mode == "B":
        return f"=?{charset}?B?{base64.b64encode(data).decode()}?="
    escaped = "".join(chr(b) if chr(b).isalnum() and b < 128 else "_" if b == 32 else f"={b:02X}" for b in data)
    return f"=?{charset}?Q?{escaped}?="


def message_in(charset: str, codec: str, text: str, name: str, transfer: str) -> bytes:
    body = (text + "\r\n").encode(codec)
    if transfer == "base64":
        body = base64.encodebytes(body)
    elif transfer == "quoted-printable":
        body = quopri.encodestring(body)
    head = (
        f"From: {encoded_word(name, charset, codec, 'Q')} <sender@example.com>\r\n"
        f"To: support@acme.example\r\nSubject: {encoded_word(text, charset, codec, 'B')}\r\n"
        f"Date: Mon, 13 Jan 2025 10:00:00 +0000\r\nMessage-ID: <{charset}@example.com>\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: {transfer}\r\n\r\n"
    )
    return head.encode("ascii") + body


@pytest.mark.parametrize("transfer", ["8bit", "quoted-printable", "base64"])
@pytest.mark.parametrize(("charset", "codec", "text", "name"), CHARSETS, ids=[c[0] for c in CHARSETS])
def test_charsets_in_body_subject_and_name(charset: str, codec: str, text: str, name: str, transfer: str) -> None:
    parsed = parse_email(message_in(charset, codec, text, name, transfer))
    assert parsed.text == text
    assert parsed.subject == text
    assert parsed.sender == MailAddress("sender@example.com", name)
    assert not [defect for defect in parsed.defects if "charset" in defect or "read as" in defect]


def test_raw_8bit_header_is_read_in_the_charset_of_the_text() -> None:
    raw = (
        b"From: " + "سارة".encode("cp1256") + b" <sara@example.sa>\r\nSubject: " + ARABIC.encode("cp1256") + b"\r\n"
        b"Content-Type: text/plain; charset=windows-1256\r\n\r\n" + ARABIC.encode("cp1256")
    )
    parsed = parse_email(raw)
    assert (parsed.subject, parsed.sender, parsed.text) == (ARABIC, MailAddress("sara@example.sa", "سارة"), ARABIC)
    raw_utf8 = b"From: " + "Zoë".encode() + b" <z@example.com>\r\nSubject: " + HEBREW.encode() + b"\r\n\r\nx"
    parsed = parse_email(raw_utf8)
    assert (parsed.subject, parsed.sender) == (HEBREW, MailAddress("z@example.com", "Zoë"))


@pytest.mark.parametrize(
    ("label", "body", "expected", "defect"),
    [
        ("x-unknown-charset", b"plain ascii", "plain ascii", "unknown charset"),
        ("x-unknown-charset", "Zürich".encode(), "Zürich", "unknown charset"),
        ("x-unknown-charset", "Zürich".encode("cp1252"), "Zürich", "windows-1252"),
        ("utf-8", "café ".encode() * 50 + b"\xff", "café " * 50 + "\ufffd", "replaced"),
        ("utf-8", "Grüße, café, naïve".encode("cp1252"), "Grüße, café, naïve", "windows-1252"),
        ("iso-8859-1", "“quoted” – €5".encode("cp1252"), "“quoted” – €5", None),
        ("us-ascii", "naïve".encode(), "naïve", "UTF-8"),
        ('"UTF-8"', "ok ✓".encode(), "ok ✓", None),
        ("base64", b"aGk=", "aGk=", "unknown charset"),
    ],
)
def test_charset_fallbacks(label: str, body: bytes, expected: str, defect: str | None) -> None:
    parsed = parse_email(
        b"From: a@example.com\r\nContent-Type: text/plain; charset=" + label.encode() + b"\r\n\r\n" + body
    )
    assert parsed.text == expected
    if defect is None:
        assert not parsed.defects or all("Date" in d for d in parsed.defects)
    else:
        assert any(defect in d for d in parsed.defects), parsed.defects


def test_html_charset_from_meta_when_the_header_has_none() -> None:
    html = '<html><head><meta charset="windows-1256"></head><body><p dir="rtl">' + ARABIC + "</p></body></html>"
    parsed = parse_email(b"From: a@example.com\r\nContent-Type: text/html\r\n\r\n" + html.encode("cp1256"))
    assert parsed.text == ARABIC and ARABIC in (parsed.html or "") and 'dir="rtl"' in (parsed.html or "")


# --- HTML: sanitized, and text derived from it


@pytest.mark.parametrize(
    ("dirty", "forbidden"),
    [
        ('<img src="cid:a" onerror="alert(1)">', "onerror"),
        ("<script>alert(1)</script>", "alert"),
        ('<a href="javascript:alert(1)">x</a>', "javascript"),
        ('<a href="jav&#x09;ascript:alert(1)">x</a>', "alert"),
        ('<a href="vbscript:msgbox(1)">x</a>', "vbscript"),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:"),
        ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "data:"),
        ('<img src="https://tracker.example/p.gif" width="1" height="1">', "tracker"),
        ('<img src="/api/v1/me">', "/api"),
        ('<a href="/api/v1/logout">x</a>', "/api"),
        ('<link rel="stylesheet" href="https://evil.example/s.css">', "evil"),
        ('<base href="https://evil.example/">', "evil"),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example">', "evil"),
        ('<iframe src="https://evil.example"></iframe>', "evil"),
        ('<object data="https://evil.example/x.swf"></object>', "evil"),
        ('<embed src="https://evil.example/x.swf">', "evil"),
        ('<form action="https://evil.example"><input name="p"></form>', "evil"),
        ('<svg><image href="https://evil.example/a.png"/></svg>', "evil"),
        ("<style>@import url(https://evil.example/a.css)</style>", "evil"),
        ('<p style="background:url(https://evil.example/a.png)">x</p>', "evil"),
        ('<p style="background-image:u\\72l(https://evil.example/a.png)">x</p>', "evil"),
        ("<p style=\"color:red;@import 'https://evil.example/a.css'\">x</p>", "evil"),
        ('<p style="list-style-image:url(https://evil.example/a.png)">x</p>', "evil"),
        ('<p style="width:expression(alert(1))">x</p>', "expression"),
        ('<div style="position:fixed;top:0;left:0;z-index:9999">x</div>', "position"),
        ('<img srcset="https://evil.example/a.png 2x" src="cid:a">', "evil"),
        ('<table background="https://evil.example/bg.png"><tr><td>x</td></tr></table>', "evil"),
        ('<body background="https://evil.example/bg.png">x</body>', "evil"),
        ('<video poster="https://evil.example/p.png"></video>', "evil"),
        ("<title>secret</title>", "secret"),
    ],
)
def test_sanitizer_neutralises(dirty: str, forbidden: str) -> None:
    assert forbidden not in sanitize_html(dirty)


def test_sanitizer_keeps_direction_language_inline_images_links_and_safe_style() -> None:
    clean = sanitize_html(
        '<div dir="rtl" lang="ar" style="color: #333; text-align: right">مرحبا <a href="https://example.com">رابط</a>'
        '<img src="cid:logo@x" alt="logo"><img src="data:image/png;base64,iVBORw0KGgo="></div>'
        '<table width="600" cellpadding="4"><tr><td bgcolor="#eeeeee">cell</td></tr></table>'
    )
    for kept in (
        'dir="rtl"',
        'lang="ar"',
        "color:#333",
        "text-align:right",
        'href="https://example.com"',
        'src="cid:logo@x"',
        'src="data:image/png;base64,iVBORw0KGgo="',
        'width="600"',
        'bgcolor="#eeeeee"',
    ):
        assert kept in clean


def test_remote_images_are_dropped_but_their_alt_text_stays() -> None:
    clean = sanitize_html('<p><img src="https://cdn.example/logo.png" alt="Acme logo"></p>')
    assert clean == '<p><img alt="Acme logo"></p>'


def test_sanitizer_survives_absurd_nesting_quickly() -> None:
    started = time.perf_counter()
    clean = sanitize_html("<div>" * 100_000 + "deep text" + "</div>" * 100_000)
    assert "deep text" in clean and time.perf_counter() - started < 10


def test_html_to_text() -> None:
    html = (
        "<html><head><title>T</title><style>p{color:red}</style><script>var x = 1;</script></head><body>"
        '<span style="display:none">preheader</span><h1>Order&nbsp;shipped</h1><p>Hello&amp;welcome,<br>line two</p>'
        "<ul><li>one</li><li>two</li></ul><ol><li>first</li><li>second</li></ol>"
        '<p><a href="https://example.com/track">Track it</a> or <a href="https://example.com">https://example.com</a>'
        ' or <a href="mailto:help@example.com">help@example.com</a> or <a href="javascript:x()">here</a></p>'
        "<blockquote>quoted<br>more</blockquote><pre>  keep\n    spacing</pre>"
        "<table><tr><td>a</td><td>b</td></tr></table></body></html>"
    )
    assert html_to_text(html) == (
        "Order shipped\n\nHello&welcome,\nline two\n\n- one\n- two\n\n1. first\n2. second\n\n"
        "Track it (https://example.com/track) or https://example.com or help@example.com or here\n\n"
        "> quoted\n> more\n\n  keep\n    spacing\n\na b"
    )


# --- reply splitting rules beyond the fixtures


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        (
            "Gracias, ya funciona.\n\n"
            "El lun, 6 ene 2025 a las 10:15, Soporte Acme (<support@acme.example>) escribió:\n\n> Hola",
            "Gracias, ya funciona.",
        ),
        (
            "Obrigado!\n\nEm seg., 6 de jan. de 2025 às 10:15, Suporte <support@acme.example> escreveu:\n\n> Olá",
            "Obrigado!",
        ),
        ("Спасибо!\n\nпн, 6 янв. 2025 г. в 10:15, Поддержка <support@acme.example>:\n\n> Здравствуйте", "Спасибо!"),
        ("Danke!\n\nAm 06.01.2025 um 10:15 schrieb Acme Support <support@acme.example>:\n> Hallo", "Danke!"),
        ("Merci !\n\nLe lun. 6 janv. 2025 à 10:15, Acme <support@acme.example> a écrit :\n> Bonjour", "Merci !"),
        ("Ok\n\n-------- Original Message --------\nSubject: x\nFrom: a@b.example", "Ok"),
        ("Thanks\n\n-----Ursprüngliche Nachricht-----\nVon: a@b.example\nGesendet: heute", "Thanks"),
        ("Fine by me.\n\n> earlier text\n> more earlier text", "Fine by me."),
        ("Thanks\n\nOn 08.01.25 17:00, Acme Support wrote:\n\nearlier text without quote marks", "Thanks"),
        ("Fine by me.\n\nYou wrote on 2025-01-06:\n> earlier text", "Fine by me."),
    ],
)
def test_reply_headers_in_more_languages(text: str, reply: str) -> None:
    parts = split_reply(text)
    assert parts.reply == reply and parts.quoted


@pytest.mark.parametrize(
    "text",
    [
        "Our usage:\nData: 5 GB\nThanks",  # a Polish header word that is English text too
        "Please book this trip for me.\n\nFrom: London\nTo: Paris\n\nThanks",  # not a mail header block
        "> quoted at the top\n> and only quoted",
        "On the other hand, I wrote: nothing yet",
        "Please read:\n- step one\n- step two",
        "Thanks,\nJane",
        "---------- Forwarded message ---------\nFrom: A <a@example.com>\nDate: today\nSubject: x\n\nbody",
    ],
)
def test_text_that_is_not_split(text: str) -> None:
    parts = split_reply(text)
    assert (parts.reply, parts.quoted, parts.signature) == (text, None, None)


def test_signature_rules() -> None:
    assert split_reply("Hi\n\n-- \nJane\nACME").signature == "Jane\nACME"
    assert split_reply("Hi\n\nSent from my iPhone").signature == "Sent from my iPhone"
    assert split_reply("Hi\n\nVon meinem iPhone gesendet").signature == "Von meinem iPhone gesendet"
    assert split_reply("مرحبا\n\nأرسلت من iPhone الخاص بي").signature == "أرسلت من iPhone الخاص بي"
    assert split_reply("שלום\n\nנשלח מה-iPhone שלי").signature == "נשלח מה-iPhone שלי"
    only_signature = split_reply("-- \nJane")
    assert only_signature.reply == "-- \nJane" and only_signature.signature is None
    long_tail = "Hi\n-- \n" + "\n".join(f"line {n}" for n in range(30))
    assert split_reply(long_tail).signature is None  # too long to be a signature
    beyond_the_scan = "\n".join(f"line {n}" for n in range(5000)) + "\nSent from my iPhone"
    assert split_reply(beyond_the_scan).reply == beyond_the_scan


# --- header fields


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<a@b.example>", ("a@b.example",)),
        ("<a@b.example>, <a@b.example>", ("a@b.example",)),
        ("<a@b.example> <c@d.example>\r\n\t<e@f.example>", ("a@b.example", "c@d.example", "e@f.example")),
        ('Your message of "Mon, 6 Jan" <x@y.example> (from John <john@y.example>)', ("x@y.example",)),
        ("<a@b.\r\n example>", ("a@b.example",)),
        ("bare@id.example", ("bare@id.example",)),
        ("<>", ()),
        ("junk", ()),
        ("", ()),
    ],
)
def test_message_ids(value: str, expected: tuple[str, ...]) -> None:
    assert message_ids(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("<x@y>", "x@y"), ("  <x@y>  ", "x@y"), ("x@y", "x@y"), ("abc123", "abc123"), ("two words", None), ("", None)],
)
def test_message_id(value: str, expected: str | None) -> None:
    assert message_id(value) == expected


SIMPLE_ADDRESS_FIELDS = [
    "user@Example.COM",
    "John Doe <john@EXAMPLE.com>",
    '"Doe, John" <john@example.com>, jane@example.com',
    "John Q. Public <jqp@example.com>",
    "<bare@example.com>",
    "a@example.com,b@example.com , C <c@example.com>",
    "=?UTF-8?B?2YXYqtis2LEg2LPZiNmCINmG2Ko=?= <example@gmail.com>",
    '"=?UTF-8?B?2YXYqtis2LEg2LPZiNmCINmG2Ko=?=" <example@gmail.com>',
    "=?utf-8?q?J=C3=BCrgen?= =?utf-8?q?_M=C3=BCller?= <j@example.de>, =?iso-8859-1?Q?J=FCrgen?= <j2@example.de>",
    "=?windows-1256?B?08fRySDH4drK7cjt?= <sara@example.sa>",
    'Zoë Ünal <zoe@example.com>, "דוד כהן" <david@example.co.il>',
]


@pytest.mark.parametrize("value", SIMPLE_ADDRESS_FIELDS)
def test_fast_address_path_agrees_with_the_stdlib_parser(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = parse_addresses("to", value, None, [])
    assert header_module._simple_addresses(value) is not None  # the fast path did read it
    monkeypatch.setattr(header_module, "_simple_addresses", lambda _value: None)
    assert parse_addresses("to", value, None, []) == fast


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("undisclosed-recipients:;", ()),
        ("Team: a@example.com, b@example.com;", (MailAddress("a@example.com"), MailAddress("b@example.com"))),
        ('"" (Mail Delivery System)', ()),
        ("<a@example.com>a@example.com", (MailAddress("a@example.com"),)),
        ("=?iso-8859-8-i?B?+ezl7Q==?= <d@example.com>", (MailAddress("d@example.com", "שלום"),)),
        ("=?x-unknown?B?+ezl7Q==?= <d@example.com>", (MailAddress("d@example.com", "ùìåí"),)),
        ("@@@, <<>>", ()),
        ("broken <a@example.com", (MailAddress("a@example.com", "broken"),)),
    ],
)
def test_addresses_from_malformed_fields(value: str, expected: tuple[MailAddress, ...]) -> None:
    assert parse_addresses("to", value, None, []) == expected


def test_sender_falls_back_to_sender_and_return_path() -> None:
    assert parse_email(b"Sender: s@example.com\r\nSubject: x\r\n\r\nx").sender == MailAddress("s@example.com")
    assert parse_email(b"Return-Path: <r@example.com>\r\nSubject: x\r\n\r\nx").sender == MailAddress("r@example.com")
    assert parse_email(b"Return-Path: <>\r\nSubject: x\r\n\r\nx").sender is None


def test_dates() -> None:
    def date_of(value: bytes) -> datetime | None:
        return parse_email(b"From: a@example.com\r\nDate: " + value + b"\r\n\r\nx").date

    assert str(date_of(b"Mon, 6 Jan 2025 11:30:55 +0100")) == "2025-01-06 11:30:55+01:00"
    assert str(date_of(b"6 Jan 2025 11:30:55 -0000")) == "2025-01-06 11:30:55+00:00"
    assert date_of(b"yesterday") is None
    received = b"Received: by mx; Tue, 7 Jan 2025 09:00:00 +0000\r\nFrom: a@example.com\r\n\r\nx"
    assert str(parse_email(received).date) == "2025-01-07 09:00:00+00:00"


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("../../etc/passwd", "text/plain", "passwd"),
        ("C:\\Users\\x\\report.pdf", "application/pdf", "report.pdf"),
        ("invoice\u202efdp.exe", "application/octet-stream", "invoice_fdp.exe"),
        ("a\x00b\r\nc.txt", "text/plain", "a_b__c.txt"),
        ("CON.txt", "text/plain", "_CON.txt"),
        ("...", "application/pdf", "attachment.pdf"),
        (None, "image/jpeg", "attachment.jpg"),
        ("", "application/ms-tnef", "winmail.dat"),
        ("x" * 300 + ".pdf", "application/pdf", "x" * 196 + ".pdf"),
        ("ע" * 150 + ".pdf", "application/pdf", "ע" * 98 + ".pdf"),
        ("Cafe\u0301.txt", "text/plain", "Café.txt"),
    ],
)
def test_safe_filenames(name: str | None, content_type: str, expected: str) -> None:
    assert safe_filename(name, content_type) == expected


# --- machine-sent mail


def automated(*fields: str, content_type: str = "text/plain", subject: str = "Hello") -> str | None:
    head = "".join(field + "\r\n" for field in fields)
    raw = f"From: Person <person@example.com>\r\nSubject: {subject}\r\nContent-Type: {content_type}\r\n{head}\r\nx"
    return parse_email(raw.encode()).automated


def test_machine_sent_signs() -> None:
    assert automated() is None
    assert automated("Auto-Submitted: no") is None
    assert automated("Auto-Submitted: auto-generated") == "auto-submitted: auto-generated"
    assert automated("X-Autoreply: yes") == "auto-reply: x-autoreply"
    assert automated("X-Autorespond: vacation") == "auto-reply: x-autorespond"
    assert automated("Precedence: junk") == "bulk: precedence junk"
    assert automated("Precedence: first-class") is None
    assert automated("List-Id: <x.lists.example>") == "mailing list: List-Id"
    assert automated("X-Failed-Recipients: a@example.com") == "bounce: X-Failed-Recipients"
    assert automated("Return-Path: <>") == "null sender: empty Return-Path (bounce or auto-reply)"
    assert automated(content_type="multipart/report; report-type=delivery-status; boundary=x") == (
        "bounce: delivery status notification"
    )
    # Outlook asks others not to auto-reply on ordinary mail too: alone it is no sign.
    assert automated("X-Auto-Response-Suppress: All") is None
    assert automated("X-Auto-Response-Suppress: OOF", subject="Automatic reply: Hello") == "auto-reply: out-of-office"
    daemon = b"From: MAILER-DAEMON@mx.example.com\r\nSubject: failure\r\n\r\nx"
    assert parse_email(daemon).automated == "bounce: sent by MAILER-DAEMON@mx.example.com"


# --- what is refused, and what is recovered


@pytest.mark.parametrize("raw", [b"", b"   \r\n\r\n", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"hello world"])
def test_nothing_usable_is_refused_with_a_reason(raw: bytes) -> None:
    with pytest.raises(UnparseableEmail) as refused:
        parse_email(raw)
    assert refused.value.reason


def test_not_bytes_is_refused() -> None:
    with pytest.raises(UnparseableEmail):
        parse_email("From: a@example.com\r\n\r\nx")  # type: ignore[arg-type]


def test_junk_before_the_header_is_skipped() -> None:
    parsed = parse_email(b"\r\n\r\nFrom: a@example.com\r\nSubject: hi\r\n\r\nbody")
    assert (parsed.subject, parsed.text) == ("hi", "body") and any("skipped" in d for d in parsed.defects)


def test_broken_mime_still_gives_text_and_attachments() -> None:
    raw = (
        b"From: a@example.com\r\nContent-Type: multipart/mixed; boundary=zzz\r\n\r\n--zzz\r\n"
        b"Content-Type: text/plain\r\n\r\nthe text\r\n--zzz\r\nContent-Type: application/pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLj!!!Q=\r\n"  # truncated: no closing boundary
    )
    parsed = parse_email(raw)
    assert parsed.text == "the text" and parsed.attachments[0].content.startswith(b"%PDF-1.")
    assert parsed.defects


# --- no quadratic work on big or hostile input


PLAIN = b"text/plain; charset=utf-8"
HOSTILE_BODIES = {
    "attribution-like": (PLAIN, b"On " + b"y " * 95 + b"wrote:x\r\n", 5000),
    "quoted-attribution-like": (PLAIN, b"> " * 30 + b"On " + b"y " * 60 + b"wrote:x\r\n", 5000),
    "arabic": (PLAIN, b"\xd9\x81\xd9\x8a " + "كلمة ".encode() * 50 + b":\r\n", 5000),
    "flowed": (PLAIN + b"; format=flowed", b"x" * 70 + b" \r\n", 30000),
    "nested-html": (b"text/html", b"<div>", 100_000),
    "unclosed-tags": (b"text/html", b"<a", 50_000),
    "comment-openers": (b"text/html", b"<!--", 30_000),
    "attribute-bomb": (b"text/html", b"<p " + b" ".join(b"a%d=x" % n for n in range(100_000)) + b">", 1),
}


@pytest.mark.parametrize(("content_type", "body", "times"), HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_big_hostile_bodies_parse_in_bounded_time(content_type: bytes, body: bytes, times: int) -> None:
    raw = b"From: a@example.com\r\nContent-Type: " + content_type + b"\r\n\r\n" + body * times
    started = time.perf_counter()
    parse_email(raw)
    assert time.perf_counter() - started < 10  # each takes well under a second; quadratic ones took minutes


# --- mutated real messages keep the promise: a ParsedEmail or UnparseableEmail, nothing else

SEEDS = [
    path.read_bytes()
    for path in [*files_in(FIXTURES, "*.eml"), *files_in(CORPORA, "*.eml"), *files_in(STDLIB_EMAIL_DATA, "msg_*")]
    if path.is_file() and path.stat().st_size < 20_000
]
CHARSET_LABELS = [b"utf-8", b"iso-8859-8-i", b"x-unknown", b"utf-16", b"iso-2022-jp", b"", b'"', b"gb2312", b"base64"]


def replace_first(pattern: bytes, replacement: bytes, data: bytes) -> bytes:
    found = re.search(pattern, data)
    return data if found is None else data[: found.start()] + replacement + data[found.end() :]


@st.composite
def mutated_messages(draw: st.DrawFn) -> bytes:
    raw = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "duplicate", "drop", "charset", "boundary"]))
        position = draw(st.integers(0, max(0, len(raw) - 1)))
        if kind == "truncate":
            del raw[position:]
        elif kind == "flip" and raw:
            raw[position] = draw(st.integers(0, 255))
        elif kind == "insert":
            raw[position:position] = draw(st.binary(min_size=1, max_size=24))
        elif kind in ("duplicate", "drop"):
            lines = bytes(raw).split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            lines[index:index] = [lines[index]] if kind == "duplicate" else []
            if kind == "drop":
                del lines[index]
            raw = bytearray(b"\n".join(lines))
        elif kind == "charset":
            label = draw(st.sampled_from(CHARSET_LABELS))
            raw = bytearray(replace_first(rb"(?i)charset=\"?[\w.:-]*\"?", b"charset=" + label, bytes(raw)))
        elif kind == "boundary":
            junk = draw(st.binary(max_size=3))
            raw = bytearray(replace_first(rb"\n--", b"\n-" + junk + b"-", bytes(raw)))
    return bytes(raw)


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated_messages())
def test_mutated_messages_parse_or_are_refused(raw: bytes) -> None:
    try:
        parsed = parse_email(raw)
    except UnparseableEmail as error:
        assert error.reason
        return
    assert_well_formed(parsed)
