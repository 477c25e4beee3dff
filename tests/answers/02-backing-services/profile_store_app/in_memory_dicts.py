# expect: profiles_across_processes=0
# reason: state_not_shared
"""Profiles in module globals: each process has its own dicts."""
profiles = {}
tag_sets = {}


def save_profile(user, name, email):
    profiles[user] = {"name": name, "email": email}


def get_profile(user):
    return dict(profiles.get(user, {}))


def add_tag(user, tag):
    tag_sets.setdefault(user, set()).add(tag)


def tags(user):
    return sorted(tag_sets.get(user, set()))
