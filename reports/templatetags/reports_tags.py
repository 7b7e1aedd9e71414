from django import template

from reports.freshness import built_when as _built_when

register = template.Library()


@register.simple_tag
def metric_value(row, metric) -> str:
    value = row.value(metric)
    if value is None:
        return "—"
    if metric.ratio_of and metric.percent:
        return f"{value}%"
    return str(value)


@register.filter
def built_when(moment) -> str:
    """{{ build.finished_at|built_when }}: "12月6日 17:42"."""
    return _built_when(moment) if moment else ""
