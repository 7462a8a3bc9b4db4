"""Every model, imported in one place so the metadata is complete for create_all and migrations."""

from crm.agenda.models import CalendarFeed
from crm.audit.models import AuditEntry
from crm.auth.models import SignIn, User
from crm.campaigns.models import Ask, Campaign, CampaignMember, Milestone
from crm.contacts.models import (
    EmailAddress,
    ExternalId,
    Organisation,
    Person,
    PhoneNumber,
    PostalAddress,
    Role,
    SavedList,
    SavedListMember,
)
from crm.data_version import ReportDataVersion
from crm.duplicates.models import DistinctPair
from crm.duplicates.scan import DuplicateScan
from crm.imports.models import ImportChange, ImportPreview, ImportProblem, ImportRun
from crm.letters.models import LetterMerge, LetterTemplate
from crm.mailbox.models import ReceivedMessage, TriageMessage
from crm.mailing.models import Mailing, MailingRecipient
from crm.outreach.models import Attachment, Outreach, Participant, Response
from crm.reports.models import BuiltReport
from crm.salutations.models import Salutation
from crm.selections.models import BulkAction, BulkActionItem, SelectionItem
from crm.taxonomy.models import Category, OrganisationType, OutreachKind, ResponseOutcome, Tag

__all__ = [
    "Ask",
    "Attachment",
    "AuditEntry",
    "BuiltReport",
    "BulkAction",
    "BulkActionItem",
    "CalendarFeed",
    "Campaign",
    "CampaignMember",
    "Category",
    "DistinctPair",
    "DuplicateScan",
    "EmailAddress",
    "ExternalId",
    "ImportChange",
    "ImportPreview",
    "ImportProblem",
    "ImportRun",
    "LetterMerge",
    "LetterTemplate",
    "Mailing",
    "MailingRecipient",
    "Milestone",
    "Organisation",
    "OrganisationType",
    "Outreach",
    "OutreachKind",
    "Participant",
    "Person",
    "PhoneNumber",
    "PostalAddress",
    "ReceivedMessage",
    "ReportDataVersion",
    "Response",
    "ResponseOutcome",
    "Role",
    "Salutation",
    "SavedList",
    "SavedListMember",
    "SelectionItem",
    "SignIn",
    "Tag",
    "TriageMessage",
    "User",
]
