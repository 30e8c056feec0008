"""A throwaway certificate authority and a server certificate for 127.0.0.1, made with the openssl command."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path

# Strict enough for Python's X509 strict verification: key identifiers, key usage, the IP in the SAN.
_SERVER_EXTENSIONS = """\
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
"""


@dataclass(frozen=True)
class TlsFiles:
    """PEM files of a test CA and of a server certificate it signed (valid for localhost and 127.0.0.1)."""

    ca_path: Path
    cert_path: Path
    key_path: Path

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts only the test CA and checks the host name."""
        return ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(self.ca_path))

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(self.cert_path), str(self.key_path))
        return context


def make_tls_files(directory: Path) -> TlsFiles:
    """Create a fresh CA and server certificate (EC P-256, valid 30 days) in `directory`."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("the openssl command is needed to make test certificates (Debian package openssl)")
    directory.mkdir(parents=True, exist_ok=True)
    ca_key, ca_cert = directory / "ca.key", directory / "ca.pem"
    key, csr, cert = directory / "server.key", directory / "server.csr", directory / "server.pem"
    extensions = directory / "server.ext"
    extensions.write_text(_SERVER_EXTENSIONS)
    new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    def run(*args: str) -> None:
        subprocess.run([openssl, *args], check=True, capture_output=True)

    run(
        *("req", "-x509", *new_key, "-keyout", str(ca_key), "-out", str(ca_cert), "-days", "30"),
        *("-subj", "/CN=omnihub test CA", "-addext", "basicConstraints=critical,CA:TRUE"),
        *("-addext", "keyUsage=critical,keyCertSign,cRLSign", "-addext", "subjectKeyIdentifier=hash"),
    )
    run("req", *new_key, "-keyout", str(key), "-out", str(csr), "-subj", "/CN=localhost")
    run(
        *("x509", "-req", "-in", str(csr), "-CA", str(ca_cert), "-CAkey", str(ca_key), "-set_serial", "2"),
        *("-days", "30", "-out", str(cert), "-extfile", str(extensions)),
    )
    # Dovecot's unprivileged processes and the mail user read these; nothing here protects anything real.
    for path in (ca_cert, key, cert):
        path.chmod(0o644)
    return TlsFiles(ca_path=ca_cert, cert_path=cert, key_path=key)
