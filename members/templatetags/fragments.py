"""`{% cache_per_csrf %}`: Django's `{% cache %}` for fragments that hold a CSRF token.

    {% cache_per_csrf 300 navbar user.pk me.name unread_notifications LANGUAGE_CODE %}…{% endcache_per_csrf %}

The fragment is a pure function of the values it varies on (nothing read from the database may
change it without changing them), so it needs no invalidation. CSRF tokens differ per browser:
the cached HTML holds a placeholder that becomes the request's own token on every render.
"""

from __future__ import annotations

from django import template
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.utils.safestring import mark_safe

register = template.Library()

CSRF_PLACEHOLDER = "CSRFTOKENPLACEHOLDERc7d1e0a4"


def with_csrf_token(html: str, context: template.Context) -> str:
    """Cached HTML with the placeholder replaced by this request's token (masked afresh per call)."""
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, str(context.get("csrf_token") or ""))
    return mark_safe(html)


class CachePerCsrfNode(template.Node):
    # {% extends %} looks for {% block %}s through every node of the parent on each render;
    # a cached fragment holds none (a block inside one could not be overridden anyway).
    child_nodelists = ()

    def __init__(self, nodelist, timeout: int, name: str, vary_on: list):
        self.nodelist, self.timeout, self.name, self.vary_on = nodelist, timeout, name, vary_on

    def render(self, context) -> str:
        key = make_template_fragment_key(self.name, [var.resolve(context) for var in self.vary_on])
        html = caches["fragments"].get(key)
        if html is None:
            with context.push(csrf_token=CSRF_PLACEHOLDER):
                html = self.nodelist.render(context)
            caches["fragments"].set(key, str(html), self.timeout)
        return with_csrf_token(html, context)


@register.tag
def cache_per_csrf(parser, token):
    bits = token.split_contents()
    if len(bits) < 3 or not bits[1].isdigit():
        raise template.TemplateSyntaxError(f"{bits[0]} takes a timeout in seconds, a name and what it varies on.")
    nodelist = parser.parse(("endcache_per_csrf",))
    parser.delete_first_token()
    return CachePerCsrfNode(nodelist, int(bits[1]), bits[2], [parser.compile_filter(bit) for bit in bits[3:]])
