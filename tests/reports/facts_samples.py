"""Hand-made facts (the shape of activities/facts.py) for the 情况总结 tests: a busy quarter at
前郭 and a quarter where nothing happened."""

from __future__ import annotations

import copy

COURT = "前郭县人民法院"


def busy_quarter() -> dict:
    return copy.deepcopy(_BUSY)


def quiet_quarter() -> dict:
    """Every key present, every count zero, every list empty (what a court with no records gets)."""
    return {
        "version": 1,
        "court": {"id": 3, "name": COURT},
        "period": {"key": "2026-Q2", "start": "2026-04-01", "end": "2026-07-01"},
        "built_at": "2026-07-01T00:05:00+00:00",
        "reading": {
            "campaigns": [],
            "recommendations": {"count": 0, "recommenders": 0, "leaders": 0, "people": [], "books": []},
            "plans": {"members": 0, "books": 0},
            "logs": 0,
            "readers": 0,
            "books_finished": 0,
            "reflections": {"submitted": 0, "authors": 0, "featured": []},
            "donations": [],
            "donated_copies": 0,
        },
        "sessions": {
            "held": 0,
            "attendances": 0,
            "attendees": 0,
            "expected": 0,
            "by_kind": [],
            "by_level": {"center_group": 0, "branch": 0, "self": 0},
            "speakers": {"leader": 0, "secretary": 0, "expert": 0, "officer": 0, "guests": 0},
            "series": [],
            "hosts": [],
            "events": [],
            "events_total": 0,
        },
        "contests": [],
        "quizzes": {"rounds": 0, "participants": 0, "attempts": 0, "average": None, "pass_rate": None, "titles": []},
        "assessments": [],
        "qualifications": [],
        "monthly_plans": {
            "months": 3,
            "members": 120,
            "planned": 0,
            "on_time": 0,
            "late": 0,
            "not_reported": 0,
            "without_plan": 0,
            "items": 0,
            "items_done": 0,
            "by_department": [],
        },
        "outputs": {"count": 0, "by_kind": [], "recognized": []},
        "compilations": [],
        "recruitment": [],
        "groups_above": [],
    }


def _speaker(name: str, role: str = "officer") -> dict:
    return {"name": name, "role": role, "guest": False}


_BUSY = {
    "version": 1,
    "court": {"id": 3, "name": COURT},
    "period": {"key": "2026-Q2", "start": "2026-04-01", "end": "2026-07-01"},
    "built_at": "2026-07-01T00:05:00+00:00",  # 08:05 in Asia/Shanghai
    "reading": {
        "campaigns": [
            {
                "id": 1,
                "title": "点燃读书热情 创建书香法院",
                "starts_on": "2026-04-01",
                "ends_on": "2026-12-31",
                "plan_document": "前郭法院开展“点燃读书热情 创建书香法院”活动方案.docx",
                "initiative_letter": True,
                "goal_books": 6,
            }
        ],
        "recommendations": {
            "count": 8,
            "recommenders": 8,
            "leaders": 8,
            "people": [
                {"name": "赵建国", "title": "党组书记、院长"},
                {"name": "孙立华", "title": "副院长"},
            ],
            "books": ["红岩", "红星照耀中国", "平凡的世界"],
        },
        "plans": {"members": 52, "books": 140},
        "logs": 310,
        "readers": 61,
        "books_finished": 44,
        "reflections": {
            "submitted": 35,
            "authors": 30,
            "featured": [
                {"title": "读《红岩》有感", "author": "张明", "unit": "民一庭", "date": "2026-05-03", "kind": "reading"}
            ],
        },
        "donations": [
            {
                "partner": "巴彦社区",
                "date": "2026-05-20",
                "titles": ["民法典（实用一本通）", "一看就懂的法律常识大全集"],
                "copies": 30,
            }
        ],
        "donated_copies": 30,
    },
    "sessions": {
        "held": 40,
        "attendances": 900,
        "attendees": 120,
        "expected": 1000,
        "by_kind": [
            {"code": "weekly_share", "name": "周分享", "held": 12, "attendances": 300},
            {"code": "micro_class", "name": "微课堂", "held": 8, "attendances": 200},
            {"code": "quarter_hour_lesson", "name": "“一刻钟”微党课", "held": 20, "attendances": 400},
        ],
        "by_level": {"center_group": 2, "branch": 5, "self": 0},
        "speakers": {"leader": 3, "secretary": 6, "expert": 1, "officer": 30, "guests": 2},
        "series": [
            {
                "id": 4,
                "title": "学习党的二十大精神",
                "theme": "党的二十大精神",
                "unit": "第一党支部",
                "held": 4,
                "items": 10,
                "covered": 6,
            }
        ],
        "hosts": [{"name": "立案庭", "held": 2}],
        "events": [
            {
                "id": 17,
                "date": "2026-04-15",
                "kind": "周分享",
                "kind_code": "weekly_share",
                "title": "我和我热爱的岗位",
                "topic": "",
                "level": "branch",
                "unit": "政治部",
                "host": "",
                "audience": "全院",
                "place": "一楼会议室",
                "series": "",
                "series_item": "",
                "speakers": [_speaker("张明")],
                "attendance": 62,
                "expected": 70,
            },
            {
                "id": 18,
                "date": "2026-05-08",
                "kind": "“一刻钟”微党课",
                "kind_code": "quarter_hour_lesson",
                "title": "杨靖宇的故事",
                "topic": "",
                "level": "branch",
                "unit": "第三党支部",
                "host": "",
                "audience": "第三党支部",
                "place": "",
                "series": "",
                "series_item": "",
                "speakers": [_speaker("李娜", "secretary")],
                "attendance": 15,
                "expected": 16,
            },
            {
                "id": 19,
                "date": "2026-06-02",
                "kind": "微课堂",
                "kind_code": "micro_class",
                "title": "“候英·善读”读书会",
                "topic": "",
                "level": "",
                "unit": "第一党支部",
                "host": "",
                "audience": "",
                "place": "",
                "series": "学习党的二十大精神",
                "series_item": "第一讲",
                "speakers": [],
                "attendance": 0,
                "expected": 0,
            },
        ],
        "events_total": 40,
    },
    "contests": [
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
        },
        {
            "id": 3,
            "title": "党建创新项目评选",
            "kind": "party_project",
            "kind_label": "党建创新项目评选",
            "entrants": 9,
            "entries": 9,
            "voters": 0,
            "votes": 0,
            "judges": 9,
            "cross_review": True,
            "audience_vote": False,
            "judging": True,
            "session": "",
            "winners": [
                {
                    "award": "优秀党建创新项目",
                    "award_kind": "custom",
                    "name": "第三党支部",
                    "unit": "第三党支部",
                    "title": "打造学习型党支部，助推审判质效提升",
                }
            ],
        },
    ],
    "quizzes": {
        "rounds": 15,
        "participants": 96,
        "attempts": 800,
        "average": 86.4,
        "pass_rate": 93.5,
        "titles": ["第1期 习近平法治思想"],
    },
    "assessments": [
        {
            "id": 1,
            "title": "书记员速录测试",
            "kind": "typing",
            "date": "2026-05-10",
            "tested": 24,
            "average_score": None,
            "best_score": None,
            "average_speed": 132.5,
            "best_speed": 186,
            "average_accuracy": 98.2,
            "passed": 20,
        }
    ],
    "qualifications": [{"name": "家庭教育指导师", "count": 9, "holders": ["徐长芳", "王丽"]}],
    "monthly_plans": {
        "months": 3,
        "members": 120,
        "planned": 330,
        "on_time": 300,
        "late": 20,
        "not_reported": 10,
        "without_plan": 30,
        "items": 1200,
        "items_done": 1100,
        "by_department": [
            {
                "unit": "民一庭",
                "members": 10,
                "planned": 30,
                "on_time": 30,
                "late": 0,
                "not_reported": 0,
                "without_plan": 0,
            },
            {
                "unit": "立案庭",
                "members": 10,
                "planned": 28,
                "on_time": 20,
                "late": 5,
                "not_reported": 3,
                "without_plan": 2,
            },
        ],
    },
    "outputs": {
        "count": 122,
        "by_kind": [
            {"kind": "paper", "label": "论文", "count": 22, "titles": ["论诉源治理的基层实践"]},
            {"kind": "typical_case", "label": "典型案例", "count": 100, "titles": ["高空抛物致害案"]},
        ],
        "recognized": [
            {
                "title": "论诉源治理的基层实践",
                "kind": "论文",
                "recognition": "获奖",
                "note": "全省法院优秀论文一等奖",
                "authors": ["张明"],
            }
        ],
    },
    "compilations": [{"title": "“学以致用”成果汇编（第一批）", "items": 122, "status": "ready"}],
    "recruitment": [{"group": "习近平法治思想研习小组", "number": 2, "applied": 140, "selected": 100, "squads": 9}],
}
