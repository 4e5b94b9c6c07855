"""Load the seeded ruleset, the price catalog and the demo accounts.

Idempotent: fixtures carry fixed primary keys (loaddata updates rows in
place) and the demo accounts are created only when missing, so running it
twice changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from advisor.consultants.models import CONSULTANTS_GROUP

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


# For local use only (README): never seed these in production.
class DemoAccount(TypedDict):
    username: str
    password: str
    is_staff: bool
    is_superuser: bool


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    {"username": "admin", "password": "advisor-admin-demo", "is_staff": True, "is_superuser": True},
    {
        "username": "consultant",
        "password": "advisor-consultant-demo",
        "is_staff": False,
        "is_superuser": False,
    },
)


class Command(BaseCommand):
    help = "Load fixtures/*.json (in name order) and create the demo accounts if missing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-demo-users",
            action="store_true",
            help="Load the fixtures only (production).",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        fixtures = sorted(FIXTURES_DIR.glob("*.json"))
        for fixture in fixtures:
            call_command("loaddata", str(fixture), verbosity=0)
            self.stdout.write(f"Loaded {fixture.name}")
        group, _ = Group.objects.get_or_create(name=CONSULTANTS_GROUP)
        if not options["no_demo_users"]:
            self._create_demo_accounts(group)

    def _create_demo_accounts(self, consultants: Group) -> None:
        user_model = get_user_model()
        for account in DEMO_ACCOUNTS:
            if user_model.objects.filter(username=account["username"]).exists():
                continue
            user = user_model.objects.create_user(
                username=account["username"],
                password=account["password"],
                is_staff=account["is_staff"],
                is_superuser=account["is_superuser"],
            )
            if not account["is_staff"]:
                user.groups.add(consultants)
            self.stdout.write(f"Created demo account {user.username}")
