"""Compilations (成果汇编): pick and order outputs, build the Word document, download it."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from courtlearn.uploads import protected_file_response
from members.access import visible_courts

from ...forms.plans import CompilationAddForm, CompilationForm, OutputFilterForm
from ...models.plans import Compilation, CompilationItem, ResearchOutput
from ...selectors import plans as select
from ...services import plans as services
from ._common import PAGE_SIZE, chosen_court, error_message, form_errors_message, require_member


def _compilation_for(request: HttpRequest, pk: int, *, manage: bool = False) -> Compilation:
    """Visible (404 otherwise); readable by organizers and leaders, managed by organizers (403)."""
    compilation = get_object_or_404(Compilation.objects.visible_to(request.user).select_related("court"), pk=pk)
    allowed = select.can_manage_compilations if manage else select.can_read_compilations
    if not allowed(request.user, compilation.court_id):
        raise PermissionDenied
    return compilation


@login_required
def compilation_list(request: HttpRequest) -> HttpResponse:
    me = require_member(request)
    court = chosen_court(request, me)
    if not select.can_read_compilations(request.user, court):
        raise PermissionDenied
    compilations = Compilation.objects.filter(court=court).annotate(n_items=Count("items")).order_by("-created_at")
    page = Paginator(compilations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/plans/compilation_list.html",
        {
            "page": page,
            "court": court,
            "courts": visible_courts(request.user),
            "can_manage": select.can_manage_compilations(request.user, court),
        },
    )


@login_required
def compilation_create(request: HttpRequest) -> HttpResponse:
    me = require_member(request)
    if not select.can_manage_compilations(request.user, me.court):
        raise PermissionDenied
    form = CompilationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        compilation = services.compilation_create(actor=me, **form.cleaned_data)
        messages.success(request, _("Now pick the outputs to include."))
        return redirect(compilation)
    return render(request, "activities/plans/compilation_form.html", {"form": form})


@login_required
def compilation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    compilation = _compilation_for(request, pk)
    can_manage = select.can_manage_compilations(request.user, compilation.court_id)
    items = list(
        compilation.items.select_related("output").prefetch_related("output__authors").order_by("position", "pk")
    )
    context = {
        "compilation": compilation,
        "items": items,
        "can_manage": can_manage,
        "settings_form": CompilationForm(instance=compilation) if can_manage else None,
    }
    if can_manage:
        filters = OutputFilterForm(request.GET or None)
        candidates = _candidates(compilation, filters, exclude=[item.output_id for item in items])
        context["filters"] = filters
        context["filter_query"] = {k: v for k, v in filters.data.items() if k in filters.fields and v}
        context["orders"] = ORDER_CHOICES
        context["candidates"] = Paginator(
            select.outputs_with_authors(candidates.order_by("kind", "-date", "-pk")), PAGE_SIZE
        ).get_page(request.GET.get("page"))
    return render(request, "activities/plans/compilation_detail.html", context)


def _candidates(compilation: Compilation, filters: OutputFilterForm, *, exclude=None):
    """The court's outputs not in the compilation yet, narrowed by the filter when it is valid."""
    candidates = ResearchOutput.objects.filter(court=compilation.court)
    candidates = (
        candidates.exclude(pk__in=exclude)
        if exclude is not None
        else candidates.exclude(pk__in=compilation.items.values("output_id"))
    )
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            candidates = candidates.filter(
                Q(title__icontains=data["q"]) | Q(authors__name__icontains=data["q"])
            ).distinct()
        if data["kind"]:
            candidates = candidates.filter(kind=data["kind"])
        if data["level"]:
            candidates = candidates.filter(level=data["level"])
        if data["year"]:
            candidates = candidates.filter(date__year=data["year"])
    return candidates


ORDER_CHOICES = [
    ("kind_date", gettext_lazy("kind, then date")),
    ("kind_title", gettext_lazy("kind, then title")),
    ("date", gettext_lazy("date")),
]


@login_required
@require_POST
def compilation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    compilation = _compilation_for(request, pk, manage=True)
    form = CompilationForm(request.POST, instance=Compilation.objects.get(pk=compilation.pk))
    if form.is_valid():
        try:
            services.compilation_update(compilation=compilation, actor=require_member(request), **form.cleaned_data)
            messages.success(request, _("Saved."))
        except ValidationError as error:
            error_message(request, error)
    else:
        form_errors_message(request, form)
    return redirect(compilation)


@login_required
@require_POST
def compilation_add_outputs(request: HttpRequest, pk: int) -> HttpResponse:
    compilation = _compilation_for(request, pk, manage=True)
    form = CompilationAddForm(request.POST, outputs=ResearchOutput.objects.filter(court=compilation.court))
    if form.is_valid():
        try:
            added = services.compilation_add_outputs(compilation=compilation, outputs=form.cleaned_data["outputs"])
            messages.success(request, _("%(n)s outputs added.") % {"n": added})
        except ValidationError as error:
            error_message(request, error)
    else:
        form_errors_message(request, form)
    return redirect(compilation)


def _item_for(request: HttpRequest, pk: int, item_pk: int) -> CompilationItem:
    compilation = _compilation_for(request, pk, manage=True)
    return get_object_or_404(compilation.items.select_related("compilation"), pk=item_pk)


@login_required
@require_POST
def compilation_item_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item_for(request, pk, item_pk)
    direction = request.POST.get("direction")
    if direction not in {"up", "down"}:
        messages.error(request, _("Move the item up or down."))
        return redirect(item.compilation)
    try:
        services.compilation_move_item(item=item, up=direction == "up")
    except ValidationError as error:
        error_message(request, error)
    return redirect(item.compilation)


@login_required
@require_POST
def compilation_item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item_for(request, pk, item_pk)
    compilation = item.compilation
    try:
        services.compilation_remove_item(item=item)
    except ValidationError as error:
        error_message(request, error)
    return redirect(compilation)


@login_required
@require_POST
def compilation_build(request: HttpRequest, pk: int) -> HttpResponse:
    compilation = _compilation_for(request, pk, manage=True)
    try:
        queued = services.compilation_request_build(
            compilation=compilation, actor=require_member(request), now=timezone.now()
        )
    except ValidationError as error:
        error_message(request, error)
        return redirect(compilation)
    compilation.refresh_from_db()
    if queued and compilation.status != Compilation.Status.READY:
        messages.info(request, _("The document is being built; this page shows the progress."))
    elif compilation.status == Compilation.Status.READY:
        messages.success(request, _("The document is ready."))
    else:
        messages.error(request, _("The document could not be built: %(error)s") % {"error": compilation.error})
    return redirect(compilation)


@login_required
def compilation_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The status fragment the detail page polls with htmx while a build runs."""
    compilation = _compilation_for(request, pk)
    return render(request, "activities/plans/_compilation_status.html", {"compilation": compilation})


@login_required
def compilation_download(request: HttpRequest, pk: int) -> HttpResponse:
    compilation = _compilation_for(request, pk)
    name = re.sub(r'[\\/:*?"<>|\r\n]+', "_", compilation.title)[:80] or "compilation"
    return protected_file_response(compilation.file, download_name=f"{name}.docx")


@login_required
@require_POST
def compilation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    compilation = _compilation_for(request, pk, manage=True)
    try:
        services.compilation_delete(compilation=compilation, actor=require_member(request))
    except ValidationError as error:
        error_message(request, error)
        return redirect(compilation)
    messages.success(request, _("The compilation is deleted."))
    return redirect("activities:compilation_list")


@login_required
@require_POST
def compilation_add_filtered(request: HttpRequest, pk: int) -> HttpResponse:
    """Add every output the filter finds (all pages), in kind-then-date order, in one action."""
    compilation = _compilation_for(request, pk, manage=True)
    filters = OutputFilterForm(request.POST)
    if not filters.is_valid():
        form_errors_message(request, filters)
        return redirect(compilation)
    outputs = _candidates(compilation, filters).order_by("kind", "date", "pk")
    try:
        added = services.compilation_add_outputs(compilation=compilation, outputs=outputs)
    except ValidationError as error:
        error_message(request, error)
    else:
        messages.success(request, _("%(n)s outputs added.") % {"n": added})
    return redirect(compilation)


def _numbered_order(request: HttpRequest, compilation: Compilation) -> list[int]:
    """Without the script: the position numbers typed next to the items. An item given a new number
    goes before the one that had it; a number left empty or wrong keeps the item where it was."""
    current = list(compilation.items.order_by("position", "pk").values_list("pk", flat=True))
    keyed = []
    for index, item_pk in enumerate(current):
        text = request.POST.get(f"position_{item_pk}", "").strip()
        number = int(text) if text.isdigit() and len(text) < 7 else index + 1
        keyed.append(((number, 0 if number != index + 1 else 1, index), item_pk))
    return [item_pk for _key, item_pk in sorted(keyed)]


@login_required
@require_POST
def compilation_order(request: HttpRequest, pk: int) -> HttpResponse:
    """Order the items by a rule, by the dragged order (hidden field), or by typed position numbers."""
    compilation = _compilation_for(request, pk, manage=True)
    rule = request.POST.get("rule", "")
    dragged = request.POST.get("order", "")
    try:
        if rule:
            services.compilation_order_by(compilation=compilation, rule=rule)
        elif dragged:
            ids = [int(part) for part in dragged.split(",") if part.strip().isdigit() and len(part.strip()) < 12]
            services.compilation_set_order(compilation=compilation, item_ids=ids)
        else:
            services.compilation_set_order(compilation=compilation, item_ids=_numbered_order(request, compilation))
    except ValidationError as error:
        error_message(request, error)
    else:
        messages.success(request, _("The order is saved."))
    return redirect(compilation)
