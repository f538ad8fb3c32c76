"""Demo data for SEND Tracker, built from the seeds: `python manage.py load_demo`.

Idempotent: every row is found by its natural key and written only when it differs from the data here.
Facts keep their real dates (the 2017 peer review, the 2019 inspection, the 2018 assessments); live action
dates, update logs and KPI values are counted from today and written once, when first created, so the demo
never goes stale and a second run never rewrites what people have changed while trying it.
"""
