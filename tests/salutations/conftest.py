import pytest

from crm.extensions import db
from crm.salutations.service import ensure_default_salutations


@pytest.fixture(autouse=True)
def default_salutations(app):
    """What migration 0016 puts in a new database (each test starts from emptied tables)."""
    ensure_default_salutations()
    db.session.commit()
