"""Periods built before facts existed have numbers but no facts (the 情况总结's material): mark
them stale once, so the next round of build_stale (or the first export or page, without a
worker) builds their facts too. Safe to run on an empty database and to run twice."""

from django.db import migrations
from django.utils import timezone


def mark(apps, schema_editor):
    Summary = apps.get_model("reports", "Summary")
    ReportFacts = apps.get_model("reports", "ReportFacts")
    SummaryStale = apps.get_model("reports", "SummaryStale")
    have_facts = set(ReportFacts.objects.values_list("court_id", "period_kind", "period_start"))
    now = timezone.now()
    marks = [
        SummaryStale(court_id=court_id, period_kind=kind, period_start=start, marked_at=now)
        for court_id, kind, start in Summary.objects.filter(unit_kind="court").values_list(
            "court_id", "period_kind", "period_start"
        )
        if (court_id, kind, start) not in have_facts
    ]
    SummaryStale.objects.bulk_create(marks, ignore_conflicts=True, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_summary_stale")]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
