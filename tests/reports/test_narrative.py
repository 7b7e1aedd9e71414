"""The 情况总结 draft says what the court did, by name and figure, and nothing about what did not happen."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import facts as facts_module
from reports.models import ReportTemplate
from reports.narrative import (
    PLACEHOLDERS,
    SENTENCES,
    TemplateProblem,
    check_template,
    courts_name,
    default_closing,
    default_text,
    draft_from_facts,
    title_lines,
)
from reports.periods import Period

from .facts_samples import COURT, _speaker, busy_quarter, quiet_quarter

Q2 = Period.from_key("2026-Q2")
TODAY = dt.date(2026, 12, 6)


def draft(facts, template=None, court=COURT):
    return draft_from_facts(court, Q2, facts, template or ReportTemplate(), today=TODAY)


def test_a_busy_quarter_is_told_family_by_family_with_names_and_figures():
    text = draft(busy_quarter()).text
    expected = [
        # reading
        "开展“点燃读书热情 创建书香法院”活动",
        "制定下发《前郭法院开展“点燃读书热情 创建书香法院”活动方案》",  # the file's name, without .docx
        "发出活动倡议书",
        "阅读书籍不少于6本",
        "赵建国、孙立华等8人推荐书目3本，包括《红岩》、《红星照耀中国》、《平凡的世界》",
        "其中院领导8人带头荐书",
        "52名干警制定了读书计划，列入书目140本。",
        "61名干警记录读书310次，读完书籍44本。",
        "30名干警撰写读书心得和学习体会35篇",
        "民一庭张明的《读〈红岩〉有感》被评为优秀心得",  # a title inside a title takes 〈〉
        "5月20日，向巴彦社区捐赠书籍《民法典（实用一本通）》、《一看就懂的法律常识大全集》，共计30本。",
        # sessions, every kind including the court's own
        "共开展各类学习活动40场，其中“周分享”12场、“微课堂”8场、“一刻钟”微党课20场",
        "120名干警参加学习，共900人次，出勤率90%",
        "开展中心组学习2场、支部学习5场",
        "领导讲3次、书记讲6次、专家讲1次",
        "干警登台主讲30次",
        "邀请院外嘉宾主讲2次",
        "邀请立案庭开展专题培训2场",
        "（一）开展“周分享”",
        "4月15日“我和我热爱的岗位”（张明主讲，62人参加）",  # exact attendance, not 60余人
        "6月2日“候英·善读”读书会",
        "5月8日“杨靖宇的故事”（李娜主讲，15人参加）",
        "第一党支部围绕党的二十大精神制定“学习党的二十大精神”系列学习方案，开展“微课堂”4期",
        "方案共10项学习内容，已学习6项",
        # contests: entrants and the audience
        "举办“周分享演讲比赛”，12名干警参赛，62名干警参与大众投票，共投出62票，5名评委参与评审",
        "张明（民一庭）《我和我热爱的岗位》被评为“论坛之星”",
        "申报项目9个，经9名评审人员交叉互评",
        "第三党支部《打造学习型党支部，助推审判质效提升》被评为“优秀党建创新项目”",
        # quizzes, typing test, qualifications
        "开展知识“微测验”15期，96名干警参加，共答题800人次，平均得分86.4分，合格率93.5%",
        "5月10日，组织书记员速录测试，24人参加，平均速度132.5字/分钟，最快186字/分钟，平均准确率98.2%，20人合格",
        "徐长芳、王丽等9人取得家庭教育指导师资格",
        # monthly plans: each figure on its own
        "干警共制定月度计划330份，月底按时报告完成情况300份，逾期报告20份，未报告10份",
        "计划列入事项1200项，已完成1100项，另有30人次未制定月度计划",
        "民一庭全部按时报告",
        # outputs, compilations, recruitment
        "撰写各类调研成果122篇，其中论文22篇、典型案例100篇",
        "论文有《论诉源治理的基层实践》等",
        "张明撰写的《论诉源治理的基层实践》获奖（全省法院优秀论文一等奖）",
        "编印《“学以致用”成果汇编（第一批）》，收录成果122篇",
        "开展“习近平法治思想研习小组”第二批组员招募，140名干警报名，择优选拔100人，组建学习小队9支",
    ]
    missing = [phrase for phrase in expected if phrase not in text]
    assert not missing, missing
    assert "立案庭全部按时报告" not in text  # 立案庭 had late and missing reports


def test_the_draft_has_the_shape_of_a_court_report():
    result = draft(busy_quarter())
    assert result.title == "前郭县人民法院2026年第2季度学习活动情况总结"
    assert result.opening.startswith("2026年第2季度，前郭县人民法院")
    assert result.opening.endswith("现将有关情况总结如下：")
    headings = [section.heading for section in result.sections]
    assert headings == [
        "一、深入开展读书活动",
        "二、扎实开展集中学习",
        "三、开展竞赛评比活动",
        "四、开展学习测验和技能测评",
        "五、落实月度学习计划",
        "六、推动学习成果转化",
        "七、加强研习小组建设",
    ]
    assert result.closing.heading == "八、存在的不足和下一步工作打算"
    sessions = result.sections[1]
    assert [sub.heading for sub in sessions.subsections] == [
        "（一）开展“周分享”",
        "（二）开展“微课堂”",
        "（三）开展“一刻钟”微党课",
    ]
    assert result.signature == ("前郭县人民法院", "2026年12月6日")
    lines = result.text.splitlines()
    assert lines[0] == result.title and lines[-2:] == ["前郭县人民法院", "2026年12月6日"]
    assert result.built_at == dt.datetime(2026, 7, 1, 0, 5, tzinfo=dt.UTC)


def test_punctuation_is_chinese_and_quotes_are_never_doubled():
    text = draft(busy_quarter()).text
    for doubled in ("““", "””", "《《", "》》", "。。", "，，", "，。"):
        assert doubled not in text, doubled
    assert "," not in text and ";" not in text


def assert_says_nothing_empty(text: str) -> None:
    for token in ("None", "—", "%", "null"):
        assert token not in text, token
    # A zero standing as a figure, such as 0次 or 0人 (2026, 310 and 100 are fine).
    assert not re.search(r"(?<![\d.])0(?![\d.])", text)


def test_a_quarter_with_nothing_recorded_gives_no_family_and_no_zero():
    result = draft(quiet_quarter())
    assert result.sections == []
    assert result.opening == "2026年第2季度，前郭县人民法院暂无学习活动记录。"
    assert_says_nothing_empty(result.text)


def only(family: str) -> dict:
    """The busy quarter's figures for one family, every other family empty."""
    facts, busy = quiet_quarter(), busy_quarter()
    if family == "tests":
        for key in ("quizzes", "assessments", "qualifications"):
            facts[key] = busy[key]
    elif family == "outputs":
        facts["outputs"], facts["compilations"] = busy["outputs"], busy["compilations"]
    elif family == "groups":
        facts["recruitment"] = busy["recruitment"]
    else:
        key = {"plans": "monthly_plans"}.get(family, family)
        facts[key] = busy[key]
    return facts


@pytest.mark.parametrize(
    ("family", "heading"),
    [
        ("reading", "一、深入开展读书活动"),
        ("sessions", "一、扎实开展集中学习"),
        ("contests", "一、开展竞赛评比活动"),
        ("tests", "一、开展学习测验和技能测评"),
        ("plans", "一、落实月度学习计划"),
        ("outputs", "一、推动学习成果转化"),
        ("groups", "一、加强研习小组建设"),
    ],
)
def test_a_family_alone_makes_the_only_section(family, heading):
    result = draft(only(family))
    assert [s.heading for s in result.sections] == [heading]
    assert "None" not in result.text and "—" not in result.text


def test_figures_without_a_base_are_left_out_not_printed_as_zero():
    facts = busy_quarter()
    facts["sessions"]["expected"] = 0  # no expected audience: no rate
    facts["quizzes"].update(average=None, pass_rate=None, participants=0)
    facts["assessments"][0].update(average_speed=None, best_speed=None, average_accuracy=None, passed=None)
    facts["monthly_plans"].update(late=0, not_reported=0, without_plan=0, items_done=0)
    facts["contests"][0].update(voters=0, votes=0, judges=0, winners=[])
    text = draft(facts).text
    assert "出勤率" not in text and "平均得分" not in text and "合格率" not in text
    assert "开展知识“微测验”15期，共答题800人次。" in text
    assert "5月10日，组织书记员速录测试，24人参加。" in text
    assert "逾期" not in text and "未报告" not in text and "未制定" not in text and "已完成" not in text
    assert "举办“周分享演讲比赛”，12名干警参赛。" in text
    assert_says_nothing_empty(text.replace("2026年第2季度", ""))


def test_a_city_draft_names_the_court_of_each_item():
    facts = busy_quarter()
    facts["contests"][0]["court"] = "宁江区人民法院"
    facts["contests"][0]["winners"][0]["court"] = "宁江区人民法院"
    facts["assessments"][0]["court"] = "松原市中级人民法院"  # the draft's own court: no prefix
    text = draft(facts, court="松原市中级人民法院").text
    assert "宁江区人民法院举办“周分享演讲比赛”" in text
    assert "张明（宁江区人民法院民一庭）" in text
    assert "组织书记员速录测试" in text and "松原市中级人民法院组织" not in text


def event(day: str, title: str, **fields) -> dict:
    """A held session as activities/facts.py names it."""
    return {
        "date": f"2026-{day}", "kind": "", "kind_code": "collective_study", "title": title, "topic": "",
        "level": "", "unit": "", "unit_kind": "", "host": "", "audience": "", "place": "", "series": "",
        "series_item": "", "speakers": [], "attendance": 0, "expected": 0, **fields,
    }  # fmt: skip


def with_sessions(*events: dict, kinds: list[dict]) -> dict:
    facts = quiet_quarter()
    facts["sessions"].update(held=len(events), events=list(events), events_total=len(events), by_kind=kinds)
    return facts


def test_a_session_names_the_group_or_branch_that_held_it_and_counts_its_readers():
    readers = [_speaker(name) for name in ("沈鹏", "曾娜", "彭洋", "孙悦")]
    facts = with_sessions(
        event("04-27", "青年理论学习小组学习心得分享", kind_code="group_exchange", unit="“奋楫笃行”青年理论学习小组",
              unit_kind="group", speakers=[_speaker("李磊")], attendance=8),
        event("05-19", "送达工作专题培训", kind_code="group_exchange", unit="审管办", unit_kind="department",
              attendance=10),
        event("06-03", "“薪火相传·走入经典”读书分享活动", kind_code="recitation", speakers=readers, attendance=50),
        kinds=[
            {"code": "group_exchange", "name": "小组交流", "held": 2, "attendances": 18},
            {"code": "recitation", "name": "朗读活动", "held": 1, "attendances": 50},
        ],
    )  # fmt: skip
    text = draft(facts).text
    assert "4月27日“青年理论学习小组学习心得分享”（“奋楫笃行”青年理论学习小组组织，李磊主讲，8人参加）" in text
    assert "审管办组织" not in text  # a department's own meeting is the court's, not news
    assert "6月3日“薪火相传·走入经典”读书分享活动（沈鹏、曾娜、彭洋等4人朗读，50人参加）" in text


def test_a_session_held_again_and_again_is_told_once_with_its_dates_count_and_people():
    mondays = [
        event(day, "周一学习例会", kind_code="weekly_share", unit="研究室党支部", unit_kind="branch",
              speakers=[_speaker(name)], attendance=8)
        for day, name in [("04-13", "罗建华"), ("04-20", "林志远"), ("05-11", "罗建华"), ("06-29", "黄晓婷")]
    ]  # fmt: skip
    facts = with_sessions(*mondays, kinds=[{"code": "weekly_share", "name": "周分享", "held": 4, "attendances": 32}])
    text = draft(facts).text
    # Every session of the kind is told, so no "主要有…等".
    assert (
        "开展“周分享”4场：4月13日至6月29日“周一学习例会”（研究室党支部组织，罗建华、林志远、黄晓婷主讲，共32人次参加）。"
        in text
    )
    lessons = [
        event(f"05-1{n}", "主题党课", kind_code="party_lesson", unit=f"机关第{cn}党支部", unit_kind="branch",
              speakers=[_speaker(name, "secretary")], attendance=20)
        for n, (cn, name) in enumerate([("一", "高志强"), ("二", "林淑珍"), ("三", "何俊杰")], start=2)
    ]  # fmt: skip
    facts = with_sessions(
        *lessons, kinds=[{"code": "party_lesson", "name": "党课/微党课", "held": 5, "attendances": 60}]
    )
    text = draft(facts).text
    # Each branch held it; two more were held than the facts list by name.
    assert (
        "开展党课5场，主要有5月12日至14日“主题党课”（机关第一党支部等3个党支部组织，高志强、林淑珍、何俊杰主讲，共60人次参加）等。"
        in text
    )
    assert "党课/微党课" not in text


def test_a_kind_named_with_a_slash_reads_as_the_part_its_sessions_were():
    lessons = [
        event(f"04-{9 + 7 * n:02d}", "“一刻钟”微党课", kind_code="party_lesson", attendance=10) for n in range(3)
    ]
    facts = with_sessions(
        *lessons, kinds=[{"code": "party_lesson", "name": "党课/微党课", "held": 3, "attendances": 30}]
    )
    text = draft(facts).text
    assert "（一）开展微党课" in text
    assert "开展微党课3场：4月9日至23日“一刻钟”微党课（共30人次参加）。" in text
    assert "党课/微党课" not in text and "/" not in text


def test_a_field_trip_or_a_party_day_away_from_the_court_says_where():
    facts = with_sessions(
        event("05-26", "重返革命旧址 重温历史胜地", kind_code="field_trip", place="鳌头革命史迹展览馆", attendance=9),
        event("06-10", "参观学习肇庆包公祠", kind_code="field_trip", place="肇庆包公祠", attendance=9),
        event("05-08", "“百年征程 香山华章”主题党日活动", kind_code="party_day", place="香山革命纪念地"),
        event("06-08", "重温入党誓词", kind_code="party_day", place="三楼党员活动室"),
        event("06-09", "读书交流", place="香山会议中心"),
        kinds=[
            {"code": "field_trip", "name": "外出见学", "held": 2, "attendances": 18},
            {"code": "party_day", "name": "主题党日", "held": 2, "attendances": 0},
            {"code": "collective_study", "name": "集中学习", "held": 1, "attendances": 0},
        ],
    )  # fmt: skip
    text = draft(facts).text
    assert "5月26日赴鳌头革命史迹展览馆开展“重返革命旧址 重温历史胜地”（9人参加）" in text
    assert "6月10日“参观学习肇庆包公祠”（9人参加）" in text  # the title already says where
    assert "5月8日赴香山革命纪念地开展“百年征程 香山华章”主题党日活动" in text
    assert "党员活动室" not in text and "香山会议中心" not in text  # a room of the court; an ordinary meeting


def test_winners_of_one_award_are_counted_and_a_branchs_project_is_named_by_its_branch():
    facts = quiet_quarter()
    projects = [
        {"award": "优秀党建创新项目", "award_kind": "custom", "name": name, "unit": branch, "title": title}
        for name, branch, title in [
            ("郑杨", "审管办党支部", "打造学习型党支部，助推审判质效提升"),
            ("孔德明", "立案庭党支部", "“一站式”诉讼服务党员先锋岗"),
            ("严秋实", "民一庭党支部", "“党建+调解”多元解纷工作室"),
        ]
    ]
    quiz = [
        {"award": "一等奖", "award_kind": "first", "name": "郑杨", "unit": "审管办", "title": "第1号选手"},
        {"award": "三等奖", "award_kind": "third", "name": "樊创", "unit": "审管办", "title": "第2号选手"},
        {"award": "三等奖", "award_kind": "third", "name": "刘敏", "unit": "审管办", "title": "第3号选手"},
    ]
    facts["contests"] = [
        {"title": "党建创新项目评选", "kind": "party_project", "entrants": 8, "entries": 8, "voters": 0, "votes": 0,
         "judges": 8, "cross_review": True, "winners": projects},
        {"title": "党史知识竞赛", "kind": "knowledge", "entrants": 8, "entries": 8, "voters": 0, "votes": 0,
         "judges": 0, "cross_review": False, "winners": quiz},
    ]  # fmt: skip
    text = draft(facts).text
    assert (
        "经8名评审人员交叉互评，评选出“优秀党建创新项目”3个，分别是审管办党支部《打造学习型党支部，助推审判质效提升》、"
        "立案庭党支部《“一站式”诉讼服务党员先锋岗》、民一庭党支部《“党建+调解”多元解纷工作室》。"
    ) in text
    assert "郑杨（审管办党支部）" not in text
    assert "郑杨（审管办）获一等奖，樊创（审管办）、刘敏（审管办）等2名获三等奖。" in text
    assert "号选手" not in text  # a contestant's number is not a work


def test_a_long_list_of_adopted_cases_names_five_and_counts_them_all():
    facts = quiet_quarter()
    titles = [f"民间借贷纠纷案（{n}）" for n in range(1, 33)]
    facts["outputs"] = {
        "count": 32,
        "by_kind": [{"kind": "typical_case", "label": "典型案例", "count": 32, "titles": titles}],
        "recognized": [
            {"title": t, "kind": "典型案例", "recognition": "采用", "note": "被《中国法院年度案例》系列丛书采用",
             "authors": ["孔德明"]}
            for t in titles
        ],
    }  # fmt: skip
    text = draft(facts).text
    assert (
        "撰写典型案例32篇。《民间借贷纠纷案（1）》、《民间借贷纠纷案（2）》、《民间借贷纠纷案（3）》、《民间借贷纠纷案（4）》、"
        "《民间借贷纠纷案（5）》等32篇被《中国法院年度案例》系列丛书采用。"
    ) in text
    assert "（6）" not in text and "采用（" not in text
    assert text.count("《民间借贷纠纷案（1）》") == 1  # not listed again as 典型案例有…


def test_many_series_plans_are_told_five_by_five():
    facts = quiet_quarter()
    facts["sessions"].update(held=7, by_kind=[{"code": "micro_class", "name": "微课堂", "held": 7, "attendances": 0}])
    facts["sessions"]["series"] = [
        {"title": f"第{n}支部系列学习", "theme": "党的二十大精神", "unit": f"第{n}党支部", "held": 1, "items": 0,
         "covered": 0}
        for n in range(1, 8)
    ]  # fmt: skip
    text = draft(facts).text
    assert "第5党支部围绕" in text and "第6党支部围绕" not in text
    assert "此外，第6党支部、第7党支部等也制定了系列学习方案，共计7个。" in text


def test_a_city_draft_speaks_of_the_citys_courts_and_signs_as_the_city_court():
    facts = busy_quarter()
    facts["contests"][0]["court"] = "宁江区人民法院"
    result = draft_from_facts("辽源市中级人民法院", Q2, facts, ReportTemplate(), today=TODAY, merged=True)
    assert result.title == "辽源市两级法院2026年第2季度学习活动情况总结"
    assert result.opening.startswith("2026年第2季度，辽源市两级法院坚持")
    assert "宁江区人民法院举办“周分享演讲比赛”" in result.text
    assert any(p.startswith("下一步，全市法院将") for p in result.closing.paragraphs)
    assert result.signature == ("辽源市中级人民法院", "2026年12月6日")
    alone = draft_from_facts("辽源市中级人民法院", Q2, facts, ReportTemplate(), today=TODAY)
    assert alone.title.startswith("辽源市中级人民法院") and "全市法院将" not in alone.text


@pytest.mark.parametrize(
    ("court", "courts", "we"),
    [
        ("辽源市中级人民法院", "辽源市两级法院", "全市法院"),
        ("吉林省高级人民法院", "吉林省三级法院", "全省法院"),
        ("北京市第一中级人民法院", "北京市第一中级人民法院及辖区法院", "辖区法院"),
    ],
)
def test_how_a_city_draft_names_the_courts_it_covers(court, courts, we):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert courts_name(court) == (courts, we)


def test_the_default_closing_is_a_paragraph_the_court_could_send_and_can_rewrite():
    result = draft(busy_quarter(), ReportTemplate())  # never edited: the model's default
    paragraphs = result.closing.paragraphs
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("2026年第2季度，学习活动总体开展有序") and "一是" in paragraphs[0]
    assert paragraphs[1].startswith("下一步，我院将")
    assert "请组织者补充" not in result.text and "……" not in result.text
    assert default_closing().splitlines() == [
        line.replace("2026年第2季度", "{period}").replace("我院", "{we}") for line in paragraphs
    ]


def test_the_courts_own_wording_is_used_and_old_keys_are_ignored():
    template = ReportTemplate(
        title="{court}关于{period}干警学习情况的报告",
        sentences={
            "sessions_held": "本季度共组织学习{held}场（{by_kind}）",
            "overview": "In {period}, {court} had {members} members",  # a key of the first draft
        },
        closing="一是学习形式还不够丰富。\n二是下一步将完善考评机制。",
    )
    result = draft(busy_quarter(), template)
    assert result.title == "前郭县人民法院关于2026年第2季度干警学习情况的报告"
    assert "本季度共组织学习40场（“周分享”12场、“微课堂”8场、“一刻钟”微党课20场）" in result.text
    assert "members" not in result.text
    assert result.closing.paragraphs == ["一是学习形式还不够丰富。", "二是下一步将完善考评机制。"]


def test_a_broken_wording_saved_elsewhere_falls_back_to_the_default_instead_of_breaking_the_draft():
    template = ReportTemplate(sentences={"quiz": "共{rounds期", "quiz_average": "{secret.__class__}"})
    text = draft(busy_quarter(), template).text
    assert "开展知识“微测验”15期" in text and "平均得分86.4分" in text


def test_an_empty_closing_leaves_the_closing_part_out():
    result = draft(busy_quarter(), ReportTemplate(closing=""))
    assert result.closing is None
    assert "下一步工作打算" not in result.text and "存在的不足" not in result.text


def test_every_default_sentence_is_chinese_and_uses_only_its_own_placeholders():
    for key, sentence in SENTENCES.items():
        text = default_text(key)
        check_template(text, sentence.placeholders)
        assert not re.search(r"[A-Za-z]", re.sub(r"\{[a-z_]+\}", "", text)), (key, text)
        assert all(name in PLACEHOLDERS for name in sentence.placeholders), key


@pytest.mark.parametrize(
    ("text", "message"),
    [("共{nope}人", "{nope}"), ("共{held场", "花括号"), ("共{held!r}场", "{held}"), ("{held:>9}", "{held}")],
)
def test_a_wording_with_an_unknown_placeholder_or_broken_braces_is_refused(text, message):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(TemplateProblem) as problem:
        check_template(text, ("held",))
    assert message in str(problem.value)


def test_a_long_title_breaks_after_the_period_not_inside_a_word():
    assert title_lines("前郭县人民法院2026年第2季度学习活动情况总结", ["2026年第2季度", "前郭县人民法院"]) == [
        "前郭县人民法院2026年第2季度",
        "学习活动情况总结",
    ]
    assert title_lines("学习活动情况总结", ["2026年第2季度"]) == ["学习活动情况总结"]


@pytest.mark.parametrize("with_children", [False, True])
def test_drafting_costs_the_same_queries_whatever_the_facts(cast, with_children):
    from reports.models import ReportFacts
    from reports.narrative import draft_for

    def queries_for(events: int) -> int:
        facts = busy_quarter()
        facts["sessions"]["events"] = facts["sessions"]["events"] * events
        for court in (cast.court, cast.city, cast.other_court):
            ReportFacts.objects.update_or_create(
                court=court, period_kind=Q2.kind, period_start=Q2.start,
                defaults={"facts": facts, "built_at": dt.datetime(2026, 7, 1, tzinfo=dt.UTC)},
            )  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            result = draft_for(cast.city, Q2, with_children=with_children)
        assert ("两级法院" in result.title) is with_children
        return len(queries)

    assert queries_for(1) == queries_for(60) <= 3


def test_the_template_page_offers_the_default_closing_to_rewrite(cast):
    response = cast.client_for("organizer").get(reverse("reports:template_edit", args=[cast.court.pk]))
    assert response.status_code == 200
    assert response.context["form"]["closing"].value() == default_closing()
    assert "请组织者补充" not in response.content.decode()


# --- the pages -------------------------------------------------------------------------------


@pytest.fixture
def stored_facts(monkeypatch):
    """facts_for as H1 defines it, answering from a dict the test fills."""
    stored: dict = {}
    calls: list = []

    def facts_for(court, period, *, with_children=False):
        calls.append((court.pk, period.key, with_children))
        return stored.get(court.pk)

    monkeypatch.setattr(facts_module, "facts_for", facts_for)
    stored["calls"] = calls
    return stored


def test_a_leader_reads_the_draft_in_the_browser_and_downloads_it(cast, stored_facts):
    stored_facts[cast.court.pk] = busy_quarter()
    client = cast.client_for("leader")
    url = reverse("reports:summary_preview", args=[cast.court.pk])
    response = client.get(url, {"period": "2026-Q2"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "2026年第2季度" in body and "“论坛之星”" in body and "一、深入开展读书活动" in body
    assert reverse("reports:export_docx", args=[cast.court.pk]) + "?period=2026-Q2" in body
    assert reverse("reports:template_edit", args=[cast.court.pk]) not in body  # leaders do not edit wording
    assert "数据生成于2026年7月1日 08:05" in body
    organizer = cast.client_for("organizer").get(url, {"period": "2026-Q2"}).content.decode()
    assert reverse("reports:template_edit", args=[cast.court.pk]) in organizer
    download = client.get(reverse("reports:export_docx", args=[cast.court.pk]), {"period": "2026-Q2"})
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")


def test_the_city_draft_asks_for_the_merged_facts(cast, stored_facts):
    stored_facts[cast.city.pk] = busy_quarter()
    response = cast.client_for("city_leader").get(
        reverse("reports:export_docx", args=[cast.city.pk]), {"period": "2026-Q2", "scope": "tree"}
    )
    assert response.status_code == 200
    assert stored_facts["calls"][-1] == (cast.city.pk, "2026-Q2", True)


def test_a_period_never_built_is_explained_not_an_empty_document(cast, stored_facts):
    client = cast.client_for("organizer")
    response = client.get(reverse("reports:export_docx", args=[cast.court.pk]), {"period": "2026-Q2"}, follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("reports:summary_preview", args=[cast.court.pk]))
    assert "数据尚未生成" in body  # the message
    assert "Download" not in body and "下载" not in body
    assert reverse("reports:rebuild", args=[cast.court.pk]) in body


@pytest.mark.parametrize("events", [3, 150])
def test_the_preview_costs_the_same_queries_whatever_the_facts(cast, stored_facts, events):
    facts = busy_quarter()
    facts["sessions"]["events"] = facts["sessions"]["events"] * (events // 3)
    stored_facts[cast.court.pk] = facts
    client = cast.client_for("organizer")
    url = reverse("reports:summary_preview", args=[cast.court.pk])
    client.get(url, {"period": "2026-Q2"})  # warm the session and the caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"period": "2026-Q2"}).status_code == 200
    assert len(queries) <= 12, [q["sql"] for q in queries]


# --- editing the wording ----------------------------------------------------------------------


def form_data(client, url) -> dict:
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        if name.startswith("reset_"):
            continue
        data[name] = str(form[name].value() or "")
    return data


def test_the_organizer_sees_every_sentence_with_its_default_and_placeholders(cast):
    response = cast.client_for("organizer").get(reverse("reports:template_edit", args=[cast.court.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('name="s_') == len(SENTENCES)
    assert default_text("contest_voters") in body
    assert "{voters}" in body and "参与投票的干警人数" in body
    assert "恢复默认" in body


def test_a_sentence_with_an_unknown_placeholder_is_refused_and_nothing_is_saved(cast):
    client = cast.client_for("organizer")
    url = reverse("reports:template_edit", args=[cast.court.pk])
    data = form_data(client, url)
    data.update(s_sessions_held="共{nope}场", s_quiz="开展{rounds期", title="{court}{period}总结")
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "未知的占位符{nope}" in body and "{held}" in body  # names what is wrong and what is allowed
    assert "花括号" in body
    assert not ReportTemplate.objects.filter(court=cast.court, title="{court}{period}总结").exists()


def test_a_title_with_an_unknown_placeholder_is_refused(cast):
    client = cast.client_for("organizer")
    url = reverse("reports:template_edit", args=[cast.court.pk])
    data = form_data(client, url)
    data["title"] = "{court}{members}总结"
    response = client.post(url, data)
    assert response.status_code == 200 and "{members}" in response.content.decode()


def test_the_organizer_rewords_a_sentence_and_later_resets_it(cast, stored_facts):
    stored_facts[cast.court.pk] = busy_quarter()
    ReportTemplate.objects.create(court=cast.court, sentences={"overview": "共{members}人"})
    client = cast.client_for("organizer")
    url = reverse("reports:template_edit", args=[cast.court.pk]) + "?period=2026-Q2"
    data = form_data(client, url)
    data["s_contest_voters"] = "现场{voters}名干警投票"
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reports:summary_preview", args=[cast.court.pk]))
    template = ReportTemplate.objects.get(court=cast.court)
    assert template.sentences == {"contest_voters": "现场{voters}名干警投票"}  # only the change; old keys gone
    preview = client.get(response["Location"]).content.decode()
    assert "现场62名干警投票" in preview
    data = form_data(client, url)
    data["reset_contest_voters"] = "on"
    assert client.post(url, data).status_code == 302
    assert ReportTemplate.objects.get(court=cast.court).sentences == {}


def test_a_session_held_twice_names_both_dates_rather_than_a_span():
    twice = [
        event(day, "全院集中学习", kind_code="collective_study", attendance=95, expected=100)
        for day in ("10-30", "11-30")
    ]
    facts = with_sessions(
        *twice, kinds=[{"code": "collective_study", "name": "集中学习", "held": 2, "attendances": 190}]
    )
    text = draft(facts).text
    assert "10月30日、11月30日“全院集中学习”" in text
    assert "10月30日至11月30日" not in text
