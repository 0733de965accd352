"""One repository per group of tables; each reads and writes inside the caller's transaction
(services own the commits) and returns frozen records (`adapters/db/records.py`)."""

from hingecoach.adapters.db.repositories.accounts import AccountRepository
from hingecoach.adapters.db.repositories.clinics import ClinicRepository
from hingecoach.adapters.db.repositories.form_checks import FormCheckRepository
from hingecoach.adapters.db.repositories.programme import ProgrammeRepository, now
from hingecoach.adapters.db.repositories.reminders import ReminderRepository

__all__ = [
    "AccountRepository",
    "ClinicRepository",
    "FormCheckRepository",
    "ProgrammeRepository",
    "ReminderRepository",
    "now",
]
