"""Django admin speaks Chinese: every app, model, column, filter, action and field, ours and django-axes'.

The site admin reads these pages in zh-hans; an English name ("Quiz questions", "Access attempts")
there is a bug. The test renders the index, every changelist and every add page as a superuser,
and also asks each ModelAdmin for its labels (columns of an empty changelist are not rendered).
"""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from lxml import html

# Acronyms and key names a Chinese page writes in Latin letters too.
ALLOWED = {"ID", "IP", "ISBN", "GET", "POST", "HTML", "sha256", "HTTP", "LDAP", "Control", "Command", "Mac"}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def english_words(text: str) -> list[str]:
    # Django's own delete action is "删除所选的 %(verbose_name_plural)s" until formatted.
    text = text.replace("%(verbose_name_plural)s", "")
    return [w for w in WORD.findall(str(text)) if w not in ALLOWED]


@pytest.fixture
def site_admin(cast):
    user = get_user_model().objects.create_superuser("root", password="x")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user, backend="members.backends.MemberModelBackend")
    return user, client


def texts(page: bytes, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in html.fromstring(page.decode()).xpath(xpath)]


def test_the_admin_index_names_every_app_and_model_in_chinese(site_admin):
    _user, client = site_admin
    page = client.get(reverse("admin:index")).content
    names = texts(page, "//div[@id='content-main']//caption") + texts(
        page, "//div[@id='content-main']//th[@scope='row']"
    )
    assert len(names) > 50  # every app and model is listed
    english = [name for name in names if english_words(name)]
    assert not english, f"English on the admin index: {english}"


def test_the_admin_view_site_link_leads_to_the_product(site_admin):
    _user, client = site_admin
    page = client.get(reverse("admin:index")).content
    link = html.fromstring(page.decode()).xpath("//div[@id='user-tools']//a[contains(., '查看站点')]")[0].get("href")
    assert link == reverse("home")
    assert client.get(link).url == reverse("members:setup_courts")  # a site admin lands on the set-up


def _admin_pages():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()]


@pytest.mark.parametrize("model,model_admin", _admin_pages(), ids=lambda v: getattr(v, "__name__", ""))
def test_every_changelist_and_add_page_is_in_chinese(site_admin, model, model_admin):
    user, client = site_admin
    info = (model._meta.app_label, model._meta.model_name)
    changelist = client.get(reverse("admin:{}_{}_changelist".format(*info)))
    assert changelist.status_code == 200
    shown = (
        texts(changelist.content, "//h1")
        + texts(changelist.content, "//th[@scope='col']")
        + texts(changelist.content, "//div[@id='changelist-filter']//h3")
        + texts(changelist.content, "//select[@name='action']/option")
    )
    request = RequestFactory().get("/")
    request.user = user
    if model_admin.has_add_permission(request):
        add = client.get(reverse("admin:{}_{}_add".format(*info)))
        assert add.status_code == 200
        shown += texts(add.content, "//form//label") + texts(add.content, "//fieldset//h2")
        shown += texts(add.content, "//div[contains(@class, 'help')]")
    english = [text for text in shown if english_words(text)]
    assert not english, f"English in the admin of {model.__name__}: {english}"


@pytest.mark.parametrize("model,model_admin", _admin_pages(), ids=lambda v: getattr(v, "__name__", ""))
def test_every_admin_label_is_in_chinese(site_admin, model, model_admin):
    """Columns, filters, actions, form and inline fields, read-only fields and fieldsets, asked directly."""
    user, _client = site_admin
    request = RequestFactory().get("/")
    request.user = user
    labels: list[str] = []
    with translation.override("zh-hans"):
        labels += [str(model._meta.verbose_name), str(model._meta.verbose_name_plural)]
        labels.append(str(model._meta.app_config.verbose_name))
        for name in [*model_admin.get_list_display(request), *model_admin.get_readonly_fields(request)]:
            labels.append(str(label_for_field(name, model, model_admin)))
        for spec in model_admin.get_list_filter(request):
            if isinstance(spec, str | tuple):
                field_name = spec if isinstance(spec, str) else spec[0]
                labels.append(str(model._meta.get_field(field_name.split("__")[0]).verbose_name))
            else:
                labels.append(str(spec.title))
        labels += [str(action.description) for action in model_admin.get_actions(request).values()]
        labels += [str(f.label) for f in model_admin.get_form(request).base_fields.values()]
        labels += [str(title) for title, _opts in model_admin.get_fieldsets(request) if title]
        for inline in model_admin.get_inline_instances(request):
            labels += [str(inline.model._meta.verbose_name), str(inline.model._meta.verbose_name_plural)]
            labels += [str(f.label) for f in inline.get_formset(request).form.base_fields.values()]
    english = [label for label in labels if english_words(label)]
    assert not english, f"English labels in the admin of {model.__name__}: {english}"
