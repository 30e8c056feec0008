"""The configuration of a test Dovecot: everything in its own directory, nothing from /etc/dovecot."""

from __future__ import annotations

import grp
import os
import pwd
from dataclasses import dataclass
from pathlib import Path

from tests.mailservers.certificates import TlsFiles

# Dovecot 2.3's own capability list after login, less IDLE: a server that makes clients poll.
CAPABILITY_WITHOUT_IDLE = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS "
    "THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED "
    "I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE "
    "SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE"
)


@dataclass(frozen=True)
class Accounts:
    """Who Dovecot's processes run as. Dovecot refuses root for mail and for login processes."""

    mail_uid: int
    mail_gid: int
    internal_user: str
    internal_group: str
    login_user: str
    privileged: bool

    @classmethod
    def for_this_process(cls) -> Accounts:
        if os.geteuid() != 0:
            me, my_group = pwd.getpwuid(os.geteuid()).pw_name, grp.getgrgid(os.getegid()).gr_name
            return cls(os.geteuid(), os.getegid(), me, my_group, me, privileged=False)
        nobody = pwd.getpwnam("nobody")
        internal = _existing_user("dovecot", "nobody")
        return cls(
            nobody.pw_uid,
            nobody.pw_gid,
            internal,
            grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name,
            _existing_user("dovenull", "nobody"),
            privileged=True,
        )

    @property
    def owner(self) -> tuple[int, int] | None:
        """Owner to give files this process writes for the mail processes, None when they run as us."""
        return (self.mail_uid, self.mail_gid) if self.privileged else None


def _existing_user(name: str, fallback: str) -> str:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return fallback
    return name


def render_config(
    *,
    host: str,
    port: int,
    tls_port: int,
    directory: Path,
    base_dir: Path,
    mail_root: Path,
    users: Path,
    accounts: Accounts,
    tls: TlsFiles,
    idle: bool,
) -> str:
    """dovecot.conf for IMAP on `port` (plain, STARTTLS offered) and `tls_port` (implicit TLS), Maildir homes
    under `mail_root`, one passwd-file per user in `users`."""
    # Login processes chroot when started as root; a non-root master cannot chroot.
    no_chroot = "" if accounts.privileged else "  chroot =\n"
    dh = Path("/usr/share/dovecot/dh.pem")
    return f"""# A test server of omnihub's: nothing here comes from /etc/dovecot.
instance_name = omnihub-{port}
base_dir = {base_dir}
state_dir = {directory / "state"}
log_path = {directory / "dovecot.log"}
protocols = imap
listen = {host}
default_internal_user = {accounts.internal_user}
default_internal_group = {accounts.internal_group}
default_login_user = {accounts.login_user}
first_valid_uid = {accounts.mail_uid}
first_valid_gid = {accounts.mail_gid}
mail_uid = {accounts.mail_uid}
mail_gid = {accounts.mail_gid}
mail_location = maildir:~/Maildir:LAYOUT=fs:INBOX=~/Maildir/INBOX
mail_fsync = never
mail_max_userip_connections = 1000
mailbox_idle_check_interval = 1 secs
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0 secs
ssl = yes
ssl_cert = <{tls.cert_path}
ssl_key = <{tls.key_path}
{f"ssl_dh = <{dh}" if dh.exists() else ""}
{"" if idle else f"imap_capability = {CAPABILITY_WITHOUT_IDLE}"}
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {users}/%u
}}
userdb {{
  driver = static
  args = home={mail_root}/%u
}}
service imap-login {{
{no_chroot}  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
{no_chroot}}}
"""
