"""Facts by hand, in the shape of activities/facts.py, for the 驾驶舱's tests: `facts_stored`
stands in for reports.facts.facts_for."""

from __future__ import annotations

import datetime as dt

from reports.periods import Period

from .facts_samples import quiet_quarter


def facts_of(court, period: Period, **families) -> dict:
    """Facts in the agreed shape (activities/facts.py) where nothing happened, then what the test says."""
    facts = quiet_quarter()  # the same blank shape the 情况总结 tests use
    facts["court"] = {"id": court.pk, "name": court.name}
    facts["period"] = {"key": period.key, "start": period.start.isoformat(), "end": period.end.isoformat()}
    facts["built_at"] = "2026-11-01T02:00:00+08:00"
    facts["monthly_plans"].update(months=1, members=0)
    for family, value in families.items():
        if isinstance(value, dict) and isinstance(facts.get(family), dict):
            facts[family] = {**facts[family], **value}
        else:
            facts[family] = value
    return facts


def event(day: dt.date, title: str, *speakers: str, kind: str = "周分享") -> dict:
    return {
        "id": day.toordinal(),
        "date": day.isoformat(),
        "kind": kind,
        "kind_code": "weekly_share",
        "title": title,
        "topic": "",
        "level": "branch",
        "unit": "政治部",
        "host": "",
        "audience": "全院",
        "place": "一楼会议室",
        "series": "",
        "series_item": "",
        "speakers": [{"name": name, "role": "officer", "guest": False} for name in speakers],
        "attendance": 30,
        "expected": 35,
    }


def busy_month(court, period) -> dict:
    """A month a court would report: sessions held, a contest, featured writing, recommendations."""
    return facts_of(
        court,
        period,
        sessions={
            "held": 9,
            "events": [
                event(period.start.replace(day=n), f"我和我热爱的岗位（第{n}期）", "张明", "李静") for n in range(1, 10)
            ],
            "events_total": 9,
        },
        contests=[
            {
                "id": 2,
                "title": "周分享演讲比赛",
                "kind": "speech",
                "kind_label": "演讲比赛/周分享评比",
                "entrants": 12,
                "entries": 12,
                "voters": 62,
                "votes": 62,
                "judges": 5,
                "cross_review": False,
                "audience_vote": True,
                "judging": True,
                "session": "",
                "winners": [
                    {
                        "award": "论坛之星",
                        "award_kind": "forum_star",
                        "name": "张明",
                        "unit": "民一庭",
                        "title": "我和我热爱的岗位",
                    }
                ],
            }
        ],
        reading={
            "recommendations": {
                "count": 2,
                "recommenders": 1,
                "leaders": 1,
                "people": [{"name": "赵院长", "title": "院长"}],
                "books": ["红岩", "乡土中国"],
            },
            "reflections": {
                "submitted": 3,
                "authors": 3,
                "featured": [
                    {
                        "title": "读《乡土中国》有感",
                        "author": "李静",
                        "unit": "民一庭",
                        "date": period.start.replace(day=12).isoformat(),
                        "kind": "reading",
                    }
                ],
            },
        },
        outputs={
            "count": 1,
            "by_kind": [{"kind": "paper", "label": "论文", "count": 1, "titles": ["司法确认程序研究"]}],
            "recognized": [
                {
                    "title": "司法确认程序研究",
                    "kind": "论文",
                    "recognition": "全市法院优秀论文一等奖",
                    "note": "",
                    "authors": ["王芳"],
                }
            ],
        },
        assessments=[
            {
                "id": 1,
                "title": "书记员速录测试",
                "kind": "typing",
                "date": period.start.replace(day=20).isoformat(),
                "tested": 24,
                "average_score": None,
                "best_score": None,
                "average_speed": 132.5,
                "best_speed": 186,
                "average_accuracy": 98.2,
                "passed": 20,
            }
        ],
    )


def facts_stored(monkeypatch, facts_by_court: dict) -> None:
    """What H1's build stores (reports.facts), by court; other courts and periods were never built."""
    from reports import facts as report_facts

    def facts_for(court, period, *, with_children=False):
        facts = facts_by_court.get(court.pk)
        return facts if facts and facts["period"]["key"] == period.key else None

    monkeypatch.setattr(report_facts, "facts_for", facts_for)
