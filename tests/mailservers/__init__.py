"""Real mail servers for the e-mail tests and benchmarks: Dovecot (IMAP) and aiosmtpd (SMTP) on 127.0.0.1."""

from tests.mailservers.certificates import TlsFiles, make_tls_files
from tests.mailservers.dovecot import DovecotServer, MailboxStatus, MailUser
from tests.mailservers.dovecot_config import CAPABILITY_WITHOUT_IDLE
from tests.mailservers.imap_counter import ImapCommandCounter
from tests.mailservers.maildir import bulk_messages
from tests.mailservers.smtp import ReceivedMail, SmtpSink

__all__ = [
    "CAPABILITY_WITHOUT_IDLE",
    "DovecotServer",
    "ImapCommandCounter",
    "MailUser",
    "MailboxStatus",
    "ReceivedMail",
    "SmtpSink",
    "TlsFiles",
    "bulk_messages",
    "make_tls_files",
]
