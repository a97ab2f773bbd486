from django.test import Client

from tests.support.users import PASSWORD


def test_entry_admin_filters_and_searches(entries, bob):
    bob.is_superuser = True
    bob.save()
    admin = Client()
    admin.post("/admin/login/", {"username": "bob", "password": PASSWORD})
    drafts = admin.get("/admin/feeds/entry/?publication=draft").content.decode()
    assert "Draft Entry" in drafts
    assert "Public Entry" not in drafts
    found = admin.get("/admin/feeds/entry/?q=members").content.decode()
    assert "Members Entry" in found
    assert "Staff Entry" not in found
    members = admin.get("/admin/feeds/entry/?visibility__exact=members").content.decode()
    assert "Members Entry" in members
    assert "Public Entry" not in members
