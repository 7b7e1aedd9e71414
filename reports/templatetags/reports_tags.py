from django import template

register = template.Library()


@register.simple_tag
def metric_value(row, metric) -> str:
    value = row.value(metric)
    if value is None:
        return "—"
    if metric.ratio_of and metric.percent:
        return f"{value}%"
    return str(value)
