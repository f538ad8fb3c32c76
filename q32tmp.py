"""Print the queries of pages: python q.py ROLE URL... (DATABASE_URL picks the data set)."""
import os, sys, json
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "send_tracker.settings")
import django; django.setup()
from django.test import Client, override_settings
from django.test.utils import setup_test_environment, CaptureQueriesContext
from django.db import connection
from accounts.models import User
from core import roles
setup_test_environment()
role = sys.argv[1]
large = User.objects.filter(username__startswith="la-").exists()
if large:
    g = {"lead": roles.PLAN_LEAD, "scrutiny": roles.SCRUTINY_MEMBER, "officer": roles.OFFICER}[role]
    user = User.objects.filter(username__startswith="la-", groups__name=g).order_by("pk").first()
else:
    user = User.objects.get(username=role)
c = Client()
with override_settings(MFA_REQUIRED_ROLES=[], AXES_ENABLED=False):
    c.force_login(user)
    for url in sys.argv[2:]:
        c.get(url)
        with CaptureQueriesContext(connection) as q:
            r = c.get(url)
        print(f"== {url} {r.status_code} {len(q)} queries {len(r.content)//1024} KB")
        for i, x in enumerate(q.captured_queries, 1):
            print(f"  {i}. {x['sql'][:400]}")
