"""Consultant profiles: who is a consultant, their profile on first visit, their branding."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from advisor.consultants.models import ConsultantProfile
from advisor.consultants.services import branding_profile_of, is_consultant, profile_for_user


def test_only_members_of_the_group_are_consultants(consultant: User, django_user_model) -> None:
    staff = django_user_model.objects.create_user("support", is_staff=True, is_superuser=True)
    assert is_consultant(consultant)
    assert not is_consultant(staff)
    assert not is_consultant(AnonymousUser())


def test_a_profile_is_made_on_first_visit_and_found_for_branding(consultant: User) -> None:
    assert branding_profile_of(user_id=consultant.pk) is None
    profile = profile_for_user(user=consultant)
    assert profile_for_user(user=consultant).pk == profile.pk
    assert ConsultantProfile.objects.filter(user=consultant).count() == 1
    found = branding_profile_of(user_id=consultant.pk)
    assert found is not None and found.pk == profile.pk
    assert branding_profile_of(user_id=None) is None
