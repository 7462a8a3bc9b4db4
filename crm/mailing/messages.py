"""One person's message: the merge fields filled for them, and the EmailMessage that carries it.

Each recipient gets a message of their own, addressed to them alone (never a shared To or Cc), with a
Message-ID made here and kept on their participation, so a reply threads back onto it.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from flask import current_app

from crm import merge_fields
from crm.campaigns.models import Campaign
from crm.contacts.models import Person
from crm.salutations.service import Greeting, person_fields

# What a subject or body may name, in the order the compose page lists them.
MAIL_FIELDS = {
    "salutation": "Dear Mr Kelam / Sehr geehrter Herr Abgeordneter … (Admin › Salutations)",
    "honorific": "Mr, Ms, Dr …",
    "given_name": "Given name",
    "family_name": "Family name",
    "patronymic": "Patronymic",
    "full_name": "Given and family name",
    "title": "Title of their current role (Member of the European Parliament …)",
    "organisation": "Organisation of their current role",
    "email": "The address the message goes to",
    "campaign": "The campaign's name",
    "campaign_subject": "The person the campaign is about",
}


def uses_salutation(subject: str, body: str) -> bool:
    return "salutation" in merge_fields.named_fields(subject) | merge_fields.named_fields(body)


def check_templates(subject: str, body: str) -> None:
    """Unknown fields or bad syntax, named, before anything is sent (InvalidInput on "subject" / "body")."""
    merge_fields.check_template(subject, MAIL_FIELDS, field="subject")
    merge_fields.check_template(body, MAIL_FIELDS, field="body")


def recipient_fields(person: Person, address: str, greeting: Greeting, campaign: Campaign | None) -> dict[str, str]:
    role = person.current_roles[0] if person.current_roles else None
    return {
        **person_fields(person),
        "salutation": greeting.text,
        "title": role.title if role else "",
        "organisation": role.organisation.name if role else "",
        "email": address,
        "campaign": campaign.name if campaign else "",
        "campaign_subject": campaign.subject.display_name if campaign and campaign.subject else "",
    }


def render_message(subject: str, body: str, fields: dict[str, str]) -> tuple[str, str]:
    """(subject, body) for one recipient. The subject is one line whatever a field holds: no header injection."""
    rendered_subject = " ".join(merge_fields.render(subject, fields, field="subject").split())
    return rendered_subject, merge_fields.render(body, fields, field="body")


def new_message_id() -> str:
    domain = current_app.config.get("MAIL_MESSAGE_ID_DOMAIN") or sender_address().rpartition("@")[2] or "crm.localhost"
    return make_msgid(domain=domain)


def sender_address() -> str:
    return current_app.config["MAIL_FROM"]


def build_message(
    *, sender: str, to_address: str, to_name: str, subject: str, body: str, message_id: str, extra_headers=()
) -> EmailMessage:
    message = EmailMessage()  # policy default: a header value with a line break is refused, not sent
    message["From"] = sender
    message["To"] = formataddr((" ".join(to_name.split()), to_address))
    message["Subject"] = " ".join(subject.split())
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id
    for name, value in extra_headers:
        message[name] = value
    message.set_content(body)
    return message
