"""A throw-away Dovecot IMAP server, for the mailbox tests and the mail bench: its own configuration
in a temporary folder, one passwd-file user, maildirs under the folder, a free port on loopback, no
system service. `running()` stops and removes it on the way out, whatever ended the block."""

from __future__ import annotations

import contextlib
import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

DOVECOT = Path("/usr/sbin/dovecot")
USER, PASSWORD = "crm", "mailbox-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _config(home: Path, port: int, mail_user: pwd.struct_passwd) -> str:
    own_users = (
        ""
        if os.geteuid() == 0
        else f"default_login_user = {mail_user.pw_name}\ndefault_internal_user = {mail_user.pw_name}\n"
    )
    return f"""base_dir = {home}/run
state_dir = {home}/state
log_path = {home}/dovecot.log
{own_users}protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {home}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={home}/mail/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


@contextlib.contextmanager
def running() -> Iterator[str]:
    """A running Dovecot with an empty mailbox: yields its CRM_IMAP_URL; stopped and removed afterwards."""
    if not DOVECOT.exists():
        raise FileNotFoundError(f"{DOVECOT} is missing: Debian's dovecot-imapd package (`make mailserver`)")
    # Not under a private tmp: Dovecot's unprivileged processes must reach their sockets.
    home = Path(tempfile.mkdtemp(prefix="crm-dovecot-"))
    try:
        home.chmod(0o755)
        mail_user = pwd.getpwnam("dovecot") if os.geteuid() == 0 else pwd.getpwuid(os.geteuid())
        (home / "mail").mkdir(mode=0o755)
        os.chown(home / "mail", mail_user.pw_uid, mail_user.pw_gid)
        (home / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        (home / "passwd").chmod(0o644)
        port = free_port()
        (home / "dovecot.conf").write_text(_config(home, port, mail_user))
        old_umask = os.umask(0o022)
        try:
            # No pipes: the daemon keeps what it inherits open, and run() would wait for it forever.
            with (home / "start.log").open("wb") as log:
                subprocess.run([str(DOVECOT), "-c", str(home / "dovecot.conf")], check=True, stdout=log, stderr=log)
        finally:
            os.umask(old_umask)
        try:
            for _ in range(100):
                try:
                    imaplib.IMAP4("127.0.0.1", port, timeout=2).logout()
                    break
                except OSError:
                    time.sleep(0.05)
            yield f"imap://{USER}:{PASSWORD}@127.0.0.1:{port}/INBOX"
        finally:
            _stop_dovecot(home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _stop_dovecot(home: Path) -> None:
    pid_file = home / "run" / "master.pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text().strip())
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    for _ in range(50):  # the master stops its children before it goes
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
