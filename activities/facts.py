"""What happened in a court during a period, by name: the facts a 情况总结 is written from.

The metric sources (activities/metrics.py) count; this module names. For one court and one
period it returns a plain, JSON-serialisable dict (the shape below, `FACTS_VERSION` 1) that the
summary build stores next to the numbers (reports.models.ReportFacts) and that the Word draft,
the workbook's family sheets and the leader's 驾驶舱 read. Its cost follows the court's data,
with a fixed number of queries per court whatever the number of rows.

Rules every family follows:
- Only what happened in the period: sessions that started in it, entries, votes, awards,
  recommendations, reflections, donations, outputs, assessments, qualifications dated in it.
- A session counts as held once its end has passed (`now`, the build's time) and it was not
  cancelled; minutes are optional evidence, never the switch (`session_is_held`).
- Names are what the court wrote (member names, unit names, titles); lists are ordered as a
  report would read them (by date, then by name) and capped where a family can be large
  (`LIST_CAP`); counts are never capped.
- Empty families keep their keys with zero counts and empty lists: the reader decides what
  to leave out, so a missing key is a bug, not "nothing happened".

The shape (every key always present):

    {
      "version": 1,
      "court": {"id": 3, "name": "前郭县人民法院"},
      "period": {"key": "2026-Q2", "start": "2026-04-01", "end": "2026-07-01"},   # end exclusive
      "reading": {
        "campaigns": [   # campaigns whose dates overlap the period
          {"id": 1, "title": "点燃读书热情 创建书香法院", "starts_on": "2026-04-01", "ends_on": "2026-12-31",
           "plan_document": "前郭法院开展“点燃读书热情 创建书香法院”活动方案.docx",   # '' when none
           "initiative_letter": true, "goal_books": 6}
        ],
        "recommendations": {   # made in the period
          "count": 8, "recommenders": 8, "leaders": 8,   # distinct recommenders; of them court leaders
          "people": [{"name": "赵建国", "title": "党组书记、院长"}],   # distinct, in order of first recommendation
          "books": ["红岩", "红星照耀中国"]   # distinct titles
        },
        "plans": {"members": 52, "books": 140},   # reading plans made in the period; their books
        "logs": 310, "readers": 61, "books_finished": 44,
        "reflections": {
          "submitted": 35, "authors": 30,
          "featured": [{"title": "…", "author": "张明", "unit": "民一庭", "date": "2026-05-03", "kind": "reading"}]
          # kind: "reading" (读书心得) or "session" (a featured session 感想, when that exists)
        },
        "donations": [{"partner": "巴彦社区", "date": "2026-05-20", "titles": ["…"], "copies": 30}],
        "donated_copies": 30
      },
      "sessions": {
        "held": 40, "attendances": 900, "attendees": 120,   # distinct members present or late
        "expected": 1000,   # expected attendances of held sessions (as the attendance-rate metric)
        "by_kind": [{"code": "weekly_share", "name": "周分享", "held": 12, "attendances": 300}],
                   # every kind with a held session, court-added kinds included, in the kinds' order
        "by_level": {"center_group": 2, "branch": 5, "self": 0},   # 三学, held sessions with a level
        "speakers": {"leader": 3, "secretary": 6, "expert": 1, "officer": 30, "guests": 2},   # talks given
        "series": [   # series plans with a held session in the period (微课堂)
          {"id": 4, "title": "学习党的二十大精神", "theme": "党的二十大精神", "unit": "第一党支部",
           "held": 4, "items": 10, "covered": 6}   # covered: items with a held session, all time
        ],
        "hosts": [{"name": "立案庭", "held": 2}],   # host departments of held sessions (专题培训 by others)
        "events": [   # held sessions, by start; capped at LIST_CAP
          {"id": 17, "date": "2026-04-15", "kind": "周分享", "kind_code": "weekly_share",
           "title": "我和我热爱的岗位", "topic": "…", "level": "branch",   # '' when none
           "unit": "政治部", "host": "", "audience": "全院", "place": "一楼会议室",
           "series": "学习党的二十大精神", "series_item": "第一讲 …",   # '' when none
           "speakers": [{"name": "张明", "role": "officer", "guest": false}],
           "attendance": 62, "expected": 70}
        ],
        "events_total": 40
      },
      "contests": [   # contests with an entry, a vote, a score or an award in the period
        {"id": 2, "title": "周分享演讲比赛", "kind": "speech", "kind_label": "演讲比赛/周分享评比",
         "entrants": 12, "entries": 12, "voters": 62, "votes": 62, "judges": 5,
         "cross_review": false, "audience_vote": true, "judging": true, "session": "…",   # '' when none
         "winners": [   # awards given in the period, best first
           {"award": "论坛之星", "award_kind": "forum_star", "name": "张明",
            "unit": "民一庭", "title": "我和我热爱的岗位"}]
         }
      ],
      "quizzes": {"rounds": 15, "participants": 96, "attempts": 800, "average": 86.4,   # None when no attempt
                  "pass_rate": 93.5,   # percent of attempts with a pass mark that passed; None when none
                  "titles": ["第1期 …"]},
      "assessments": [   # held in the period
        {"id": 1, "title": "书记员速录测试", "kind": "typing", "date": "2026-05-10", "tested": 24,
         "average_score": None, "best_score": None,   # exams and skills contests
         "average_speed": 132.5, "best_speed": 186,   # characters per minute (速录)
         "average_accuracy": 98.2, "passed": 20}   # passed: None when the assessment has no pass line
      ],
      "qualifications": [{"name": "家庭教育指导师", "count": 9, "holders": ["徐长芳", "…"]}],   # issued in the period
      "monthly_plans": {   # the period's calendar months, one plan per member and month
        "months": 3, "members": 120,   # active members of the court
        "planned": 330, "on_time": 300, "late": 20, "not_reported": 10,   # plans; not_reported among the planned
        "without_plan": 30,   # member-months of active members with no plan
        "items": 1200, "items_done": 1100
      },
      "outputs": {   # research outputs dated in the period
        "count": 122,
        "by_kind": [{"kind": "paper", "label": "论文", "count": 22, "titles": ["…"]}],
        "recognized": [{"title": "…", "kind": "论文", "recognition": "…", "note": "…", "authors": ["…"]}]
      },
      "compilations": [{"title": "“学以致用”成果汇编（第一批）", "items": 122, "status": "ready"}],
      "recruitment": [   # batches whose application window overlaps the period
        {"group": "习近平法治思想研习小组", "number": 2, "applied": 140, "selected": 100, "squads": 9}
      ]
    }
"""

from __future__ import annotations

FACTS_VERSION = 1
LIST_CAP = 200  # longest list kept for a family whose rows can be many (events, titles)
