"""Attachments in the console: images previewed, every file a download, hostile names inert, and files
attached to replies and notes by the picker, a drop or a paste, within the hub's limits."""

from __future__ import annotations

import base64
import json
import re
import struct
import zlib
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Locator, Page, expect

from omnihub.config import Settings
from omnihub.domain.filenames import clean_filename
from tests.callback_server import CallbackServer
from tests.console import test_console_a11y
from tests.console.harness import Desk, Watched
from tests.console.test_console import open_conversation, sign_in, timeline
from tests.console.test_console_a11y import blocking_violations, sign_in_any_language

# Small limits, so that refusing a file needs no large one: about 98 KB a file, 600 KB a request.
MAX_FILE = 100_000
MAX_REQUEST = 600_000
axe_page = test_console_a11y.axe_page  # the fixture: English light and Arabic dark, axe injected


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"max_attachment_bytes": MAX_FILE, "max_request_bytes": MAX_REQUEST})


def png(width: int = 3, height: int = 2) -> bytes:
    """A real PNG (opaque red), so that the browser decodes it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def attachment(filename: str, content_type: str, content: bytes) -> dict[str, str]:
    return {"filename": filename, "content_type": content_type, "data_base64": base64.b64encode(content).decode()}


def reply_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Reply")


async def choose_files(page: Page, *files: tuple[str, str, bytes]) -> None:
    async with page.expect_file_chooser() as chooser:
        await page.get_by_role("button", name="Attach files").click()
    await (await chooser.value).set_files([{"name": n, "mimeType": t, "buffer": b} for n, t, b in files])


async def delivered_messages(receiver: CallbackServer) -> list[dict[str, Any]]:
    bodies = [json.loads(callback.body) for callback in receiver.received]
    return [body["message"] for body in bodies if body["event"] == "message.created"]


async def download(desk: Desk, url: str) -> bytes:
    """A callback's attachment URL, fetched as the integrating system would (with a token)."""
    response = await desk.hub.http.get(urlsplit(url).path, headers={"Authorization": f"Bearer {desk.admin}"})
    assert response.status_code == 200, response.text
    return response.content


async def test_an_inbound_image_shows_a_preview_that_opens_larger_and_every_file_a_download(
    desk: Desk, console: Watched
) -> None:
    page = console.page
    image = png()
    files = [attachment("photo.png", "image/png", image), attachment("terms.pdf", "application/pdf", b"%PDF-1.4")]
    await desk.inbound("m1", "Here is the damage", contact={"name": "Dana Doe"}, attachments=files)
    await sign_in(page, desk)
    await open_conversation(page, "Dana Doe")

    files_list = timeline(page).get_by_role("list", name="Attachments")
    thumbnail = files_list.get_by_role("button", name="Show photo.png larger")
    await expect(thumbnail).to_be_visible()
    # Loaded with the session cookie, and decoded: a real image 3 pixels wide.
    await expect(thumbnail.locator("img")).to_have_js_property("naturalWidth", 3)
    photo_link = files_list.get_by_role("link", name="photo.png")
    await expect(photo_link).to_have_attribute("dir", "auto")
    await expect(files_list.get_by_role("listitem").filter(has_text="photo.png")).to_contain_text(f"{len(image)} byte")
    pdf = files_list.get_by_role("link", name="terms.pdf")
    await expect(pdf).to_have_attribute("href", f"{desk.hub.base}/api/v1/attachments/2")
    await expect(files_list.get_by_role("listitem").filter(has_text="terms.pdf").locator("img")).to_have_count(0)
    async with page.expect_download() as downloading:
        await pdf.click()
    assert (await downloading.value).suggested_filename == "terms.pdf"

    await thumbnail.click()
    preview = page.get_by_role("dialog", name="photo.png")
    await expect(preview).to_be_visible()
    await expect(preview.get_by_role("img", name="photo.png")).to_have_js_property("naturalHeight", 2)
    await expect(preview.get_by_role("link", name="Open in a new tab")).to_have_attribute("target", "_blank")
    await page.keyboard.press("Escape")
    await expect(preview).to_have_count(0)
    await expect(thumbnail).to_be_focused()  # the dialog gives focus back
    assert console.unexpected_problems() == []


HOSTILE_NAMES = [
    "<img src=x onerror=alert(1)>.png",
    '"><svg onload=alert(1)>.pdf',
    "javascript:alert(1)",
    "invoice\u202egpj.exe",
    "\u202etxt.exe",
    "long-" + "a" * 240 + ".pdf",
]


async def test_hostile_file_names_are_inert_text_and_svg_or_html_files_only_download(
    desk: Desk, console: Watched
) -> None:
    page = console.page
    files = [attachment(name, "application/octet-stream", b"x") for name in HOSTILE_NAMES]
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
    files.append(attachment("drawing.svg", "image/svg+xml", svg))
    files.append(attachment("page.html", "text/html", b"<script>alert(3)</script>"))
    await desk.inbound("m1", "My files", contact={"name": "Dana Doe"}, attachments=files)
    await sign_in(page, desk)
    await open_conversation(page, "Dana Doe")

    files_list = timeline(page).get_by_role("list", name="Attachments")
    links = files_list.get_by_role("link")
    await expect(links).to_have_count(len(files))
    shown = [clean_filename(name) for name in [*HOSTILE_NAMES, "drawing.svg", "page.html"]]
    await expect(links).to_have_text(shown)  # exactly the names, as text
    assert not any("\u202e" in name for name in await links.all_text_contents())
    for link in await links.all():
        await expect(link).to_have_attribute("dir", "auto")
        assert (await link.get_attribute("href") or "").startswith(f"{desk.hub.base}/api/v1/attachments/")
    # Nothing became markup: no image, frame or object at all (SVG and HTML files are not shown inline).
    assert await page.locator("#app img, #app svg, #app iframe, #app object, #app embed, #app script").count() == 0
    # The long name wraps inside the message instead of widening the timeline.
    message = timeline(page).get_by_role("listitem").filter(has_text="My files")
    assert await message.evaluate("(item) => item.scrollWidth <= item.clientWidth")
    async with page.expect_download() as downloading:
        await files_list.get_by_role("link", name="drawing.svg").click()
    assert (await downloading.value).suggested_filename == "drawing.svg"
    assert console.unexpected_problems() == []


async def test_a_file_chosen_with_the_picker_reaches_the_contact_with_its_bytes(
    desk: Desk, console: Watched, receiver: CallbackServer
) -> None:
    page = console.page
    await desk.inbound("m1", "Can you send the invoice?", contact={"name": "Dana Doe"})
    await sign_in(page, desk)
    await open_conversation(page, "Dana Doe")

    invoice = b"%PDF-1.4 invoice 1042"
    await choose_files(page, ("invoice.pdf", "application/pdf", invoice), ("draft.txt", "text/plain", b"no"))
    chosen = page.get_by_role("list", name="Files to send")
    await expect(chosen.get_by_role("listitem")).to_have_count(2)
    await chosen.get_by_role("button", name="Remove draft.txt").click()
    await expect(chosen.get_by_role("listitem")).to_have_count(1)
    await expect(chosen).to_contain_text("invoice.pdf")
    await reply_box(page).fill("Here it is")
    await page.get_by_role("button", name="Send").click()

    reply = timeline(page).get_by_role("listitem").filter(has_text="Here it is")
    await expect(reply.get_by_role("link", name="invoice.pdf")).to_be_visible()
    await expect(reply).to_contain_text("Delivered")
    await expect(page.get_by_role("list", name="Files to send")).to_have_count(0)  # sent files are gone
    [message] = await delivered_messages(receiver)
    assert message["content"] == "Here it is"
    assert [(a["filename"], a["content_type"], a["size"]) for a in message["attachments"]] == [
        ("invoice.pdf", "application/pdf", len(invoice))
    ]
    assert await download(desk, message["attachments"][0]["url"]) == invoice
    assert console.unexpected_problems() == []


PASTE = """(box, [name, type, bytes]) => {
  const data = new DataTransfer();
  data.items.add(new File([new Uint8Array(bytes)], name, { type }));
  box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
}"""
DROP = """(form, [name, type, bytes]) => {
  const data = new DataTransfer();
  data.items.add(new File([new Uint8Array(bytes)], name, { type }));
  for (const kind of ['dragenter', 'dragover', 'drop']) {
    form.dispatchEvent(new DragEvent(kind, { dataTransfer: data, bubbles: true, cancelable: true }));
  }
}"""


async def test_a_pasted_image_and_a_dropped_file_go_with_the_reply(
    desk: Desk, console: Watched, receiver: CallbackServer
) -> None:
    page = console.page
    await desk.inbound("m1", "What does it look like?", contact={"name": "Dana Doe"})
    await sign_in(page, desk)
    await open_conversation(page, "Dana Doe")
    screenshot, manual = png(5, 4), b"Step 1: unplug it."

    await reply_box(page).evaluate(PASTE, ["image.png", "image/png", list(screenshot)])
    await page.locator("form.reply").evaluate(DROP, ["manual.txt", "text/plain", list(manual)])
    chosen = page.get_by_role("list", name="Files to send")
    await expect(chosen.get_by_role("listitem")).to_have_count(2)
    await expect(reply_box(page)).to_have_value("")  # the paste brought a file, not text
    # The pasted image is previewed from the browser's own copy (a blob: URL the page's CSP allows).
    preview = chosen.get_by_role("listitem").filter(has_text="image.png").locator("img")
    await expect(preview).to_have_attribute("src", re.compile(r"^blob:"))
    await expect(preview).to_have_js_property("naturalWidth", 5)
    await page.get_by_role("button", name="Send").click()  # files alone are a message

    reply = timeline(page).locator("li.message.outgoing")
    await expect(reply.get_by_role("button", name="Show image.png larger").locator("img")).to_have_js_property(
        "naturalWidth", 5
    )
    await expect(reply).to_contain_text("Delivered")
    [message] = await delivered_messages(receiver)
    sent = {a["filename"]: await download(desk, a["url"]) for a in message["attachments"]}
    assert sent == {"image.png": screenshot, "manual.txt": manual}
    assert console.unexpected_problems() == []


async def test_a_note_with_a_file_is_not_delivered(desk: Desk, console: Watched, receiver: CallbackServer) -> None:
    page = console.page
    await desk.inbound("m1", "Refund please", contact={"name": "Dana Doe"})
    await sign_in(page, desk)
    await open_conversation(page, "Dana Doe")

    await page.get_by_role("checkbox", name="Private note").check()
    await choose_files(page, ("receipt.png", "image/png", png()))
    await reply_box(page).fill("Receipt from the CRM")
    await page.get_by_role("button", name="Send").click()
    note = timeline(page).get_by_role("listitem").filter(has_text="Receipt from the CRM")
    await expect(note).to_contain_text("Private note")
    await expect(note.get_by_role("link", name="receipt.png")).to_be_visible()

    # A reply after it is delivered; the note before it never was.
    await page.get_by_role("checkbox", name="Private note").uncheck()
    await reply_box(page).fill("Refund on its way")
    await page.get_by_role("button", name="Send").click()
    await expect(timeline(page).get_by_role("listitem").filter(has_text="Refund on its way")).to_contain_text(
        "Delivered"
    )
    assert [(m["content"], m["attachments"]) for m in await delivered_messages(receiver)] == [("Refund on its way", [])]
    assert console.unexpected_problems() == []


async def test_files_over_the_hubs_limits_are_refused_with_a_message(
    desk: Desk, console: Watched, receiver: CallbackServer
) -> None:
    page = console.page
    await desk.inbound("m1", "Send everything", contact={"name": "Dana Doe"})
    await sign_in(page, desk)
    await open_conversation(page, "Dana Doe")
    chosen = page.get_by_role("list", name="Files to send").get_by_role("listitem")
    problem = page.get_by_role("alert")

    await choose_files(page, ("huge.bin", "application/octet-stream", b"h" * (MAX_FILE + 1)))
    await expect(problem).to_have_text(
        "“huge.bin” was not added: it is larger than 97.7 kB, the most the hub takes for one file."
    )
    await expect(chosen).to_have_count(0)

    # Three files the hub takes one by one, but not together in one request (base64 adds a third).
    part = b"p" * 90_000
    await choose_files(page, *[(f"part{i}.bin", "application/octet-stream", part) for i in (1, 2, 3)])
    await expect(problem).to_contain_text("“part3.bin” was not added: together the files would be larger than")
    await expect(chosen).to_have_count(2)

    # What the console let through, the hub takes.
    await page.get_by_role("button", name="Send").click()
    reply = timeline(page).locator("li.message.outgoing")
    await expect(reply).to_contain_text("Delivered")
    await expect(reply.get_by_role("link")).to_have_text(["part1.bin", "part2.bin"])
    [message] = await delivered_messages(receiver)
    assert [a["size"] for a in message["attachments"]] == [90_000, 90_000]

    await choose_files(page, *[(f"n{i}.txt", "text/plain", b"n") for i in range(21)])
    await expect(problem).to_have_text("At most 20 files can go with one message.")
    await expect(chosen).to_have_count(20)
    assert console.unexpected_problems() == []


async def test_attachments_and_chosen_files_have_no_serious_accessibility_violations(
    desk: Desk, axe_page: Watched
) -> None:
    page = axe_page.page
    files = [attachment("صورة.png", "image/png", png()), attachment("terms.pdf", "application/pdf", b"%PDF")]
    await desk.inbound("m1", "أين طلبي؟", identifier="dana", contact={"name": "Dana Doe"}, attachments=files)
    await page.goto(desk.console_url)
    await sign_in_any_language(page, desk)
    await page.locator(".conversations li button").filter(has_text="Dana Doe").click()
    await expect(page.locator(".thumbnail img")).to_have_js_property("naturalWidth", 3)
    async with page.expect_file_chooser() as chooser:
        await page.locator(".attach-button").click()
    await (await chooser.value).set_files([{"name": "note.png", "mimeType": "image/png", "buffer": png()}])
    await expect(page.locator(".attach-chip img")).to_have_js_property("naturalWidth", 3)
    assert await blocking_violations(page) == []

    await page.locator(".thumbnail").click()
    await expect(page.get_by_role("dialog")).to_be_visible()
    assert await blocking_violations(page) == []
    assert axe_page.unexpected_problems() == []
