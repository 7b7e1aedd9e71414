"""The organizer orders a 成果汇编 on a phone by dragging an item with a finger, then saves."""

from __future__ import annotations

import pytest

from activities.models.plans import Compilation, ResearchOutput
from activities.services import plans as services
from tests.activities.plans_fixtures import make_output
from tests.browser.conftest import login, shot


def finger_drag(page, source, target) -> None:
    """A touch drag through Chromium's own touch input, as a finger on a phone would make it."""
    start, end = source.bounding_box(), target.bounding_box()
    x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    to_y = end["y"] + 4  # just inside the target's top half: the item goes before it
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    steps = 8
    for step in range(1, steps + 1):
        point = {"x": x, "y": y + (to_y - y) * step / steps}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


@pytest.mark.django_db(transaction=True)
def test_organizer_drags_an_output_to_the_top_on_a_phone_and_saves_the_order(live_server, cast, password, phone_page):
    compilation = Compilation.objects.create(
        court=cast.court, title="“学以致用”成果汇编（第一批）", compiled_by="政治部", created_by=cast.organizer
    )
    outputs = [
        make_output(cast.court, cast.member, title=f"第{n}篇调研报告", kind=ResearchOutput.Kind.RESEARCH_REPORT)
        for n in (1, 2, 3, 4)
    ]
    services.compilation_add_outputs(compilation=compilation, outputs=outputs)
    page = phone_page
    login(page, live_server, "organizer", password)
    page.goto(f"{live_server.url}{compilation.get_absolute_url()}")
    items = page.locator("#compilation-items > li")
    assert items.count() == 4
    finger_drag(page, items.nth(3).locator("[data-sortable-handle]"), items.nth(0))
    titles = [items.nth(i).inner_text() for i in range(4)]
    assert "第4篇" in titles[0], titles
    assert page.locator("#position-" + str(compilation.items.get(output=outputs[3]).pk)).input_value() == "1"
    shot(page, "plans-compilation-dragged-phone")
    with page.expect_navigation():
        page.locator("#save-order").click()
    order = list(compilation.items.order_by("position").values_list("output__title", flat=True))
    assert order == ["第4篇调研报告", "第1篇调研报告", "第2篇调研报告", "第3篇调研报告"]
