"""SMTP with STARTTLS and AUTH, against a server with a self-signed certificate made for the test."""

from __future__ import annotations

import datetime
import ipaddress
import ssl

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from crm.extensions import db
from crm.mailing.models import Mailing, RecipientStatus
from tests.factories import make_person
from tests.mailing import smtp_server
from tests.mailing.helpers import send_to


def _certificate(folder):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"crm", b"s3cret:/@")
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


@pytest.fixture
def tls_server(app, tmp_path, clock):
    cert_path, key_path = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    app.config["MAIL_TIMEOUT"] = 5
    recorder = smtp_server.Recorder()
    controller = smtp_server.start(
        recorder, tls_context=context, require_starttls=True, authenticator=_authenticator, auth_required=True
    )
    yield recorder, controller, cert_path
    controller.stop()


def test_starttls_and_auth(app, staff, tls_server):
    recorder, controller, cert_path = tls_server
    # The password has characters a URL must escape.
    app.config["MAIL_URL"] = f"smtp://crm:s3cret%3A%2F%40@127.0.0.1:{controller.port}?starttls=1&cafile={cert_path}"
    person = make_person("Kelam", "Tunne", honorific="Mr", emails=("kelam@ep.example.eu",))

    send_to([person], staff["editor"], body="{{ salutation }},\n")

    assert [r.rcpt_tos for r in recorder.received] == [["kelam@ep.example.eu"]]


def test_a_wrong_password_is_a_failure_with_the_servers_reason(app, staff, tls_server):
    recorder, controller, cert_path = tls_server
    app.config["MAIL_URL"] = f"smtp://crm:wrong@127.0.0.1:{controller.port}?starttls=1&cafile={cert_path}"
    mailing = send_to([make_person("Kelam", "Tunne", emails=("kelam@ep.example.eu",))], staff["editor"])
    db.session.expire_all()
    recipient = db.session.get(Mailing, mailing.id).recipients[0]
    assert recipient.status == RecipientStatus.FAILED and recipient.error.startswith("535")
    assert recorder.received == []


def test_an_untrusted_certificate_is_not_sent_to(app, staff, tls_server):
    recorder, controller, _ = tls_server
    app.config["MAIL_URL"] = f"smtp://crm:s3cret%3A%2F%40@127.0.0.1:{controller.port}?starttls=1"
    mailing = send_to([make_person("Kelam", "Tunne", emails=("kelam@ep.example.eu",))], staff["editor"])
    db.session.expire_all()
    recipient = db.session.get(Mailing, mailing.id).recipients[0]
    assert recipient.status == RecipientStatus.FAILED and "CERTIFICATE_VERIFY_FAILED" in recipient.error
    assert recorder.received == []
