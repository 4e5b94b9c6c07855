"""Reads and writes of consultant profiles (views call these, nothing else)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from advisor.consultants.models import CONSULTANTS_GROUP, ConsultantProfile


def is_consultant(user: User | AnonymousUser) -> bool:
    """A member of the Consultants group.

    Being staff or a superuser does not make anyone a consultant (README's
    access table: staff get 403 in the workspace and use Django admin); a
    staff account that is also in the group is a consultant like any other.
    """
    if not user.is_authenticated:
        return False
    return user.groups.filter(name=CONSULTANTS_GROUP).exists()


def profile_for_user(*, user: User) -> ConsultantProfile:
    """The user's profile, created empty on first visit (branding is optional)."""
    profile, _created = ConsultantProfile.objects.get_or_create(user=user)
    return profile


def branding_profile_of(*, user_id: int | None) -> ConsultantProfile | None:
    """The profile whose branding an owner's reports carry, if the owner has one."""
    if user_id is None:
        return None
    return ConsultantProfile.objects.select_related("user").filter(user_id=user_id).first()
