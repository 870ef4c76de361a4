"""Cohort reports: the numbers (worked out by hand in the comments), the pages, the CSV exports,
who may see them, and a query count that does not grow with the cohort."""

import csv
import io
import re

import pytest

from lms.auth.models import User
from lms.cohorts import charts, reports
from lms.core.csvsafe import csv_rows, neutralize
from lms.extensions import db
from lms.learning.models import Enrollment
from lms.learning.queries import learner_record, outline_for
from tests.cohorts.report_fixtures import Course, attend, bulk_cohort, certify, new_cohort

ROUTES = ["items", "items.csv", "gain", "gain.csv", "completion", "completion.csv"]


def _url(cohort, route, **args):
    query = "&".join(f"{key}={value}" for key, value in args.items())
    return f"/trainer/cohorts/{cohort.id}/reports/{route}" + (f"?{query}" if query else "")


def _csv(response):
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


# --- Pure pieces: CSV neutralizer and charts ---------------------------------------------------

def test_csv_cells_that_start_a_formula_are_neutralized():
    for dangerous in ("=HYPERLINK(\"http://x\")", "+1", "-1+2", "@SUM(A1)", "\tcmd", "\rcmd"):
        assert neutralize(dangerous) == "'" + dangerous
    assert neutralize("Dana =1") == "Dana =1"
    assert neutralize(-12.5) == -12.5 and neutralize(None) == "" and neutralize(True) == "yes"
    lines = list(csv_rows(["name", "gain"], [["=1+1", -5], ["Ann, \"A\"", 3.5], ["a;=1+1", None]]))
    assert lines[0] == "\ufeff\"name\",\"gain\"\r\n".encode()
    # text quoted, so a spreadsheet that splits on ";" keeps "a;=1+1" one cell; numbers stay numbers
    assert b"".join(lines[1:]).decode() == "\"'=1+1\",-5\r\n\"Ann, \"\"A\"\"\",3.5\r\n\"a;=1+1\",\"\"\r\n"


def test_chart_is_an_accessible_image_with_escaped_text():
    svg = charts.horizontal_bar_chart("c1", "Scores <b>", "Means & more.", ["Obj <script>", "Two"],
                                      [charts.Series("Pre", (40.0, None)), charts.Series("Post", (100, 80.5))],
                                      max_value=100, unit="%")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and svg.endswith("</svg>")
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Scores &lt;b&gt;</title>' in svg
    assert "<script>" not in svg and "Obj &lt;script&gt;" in svg
    # the description spells out every value; no value is shown by colour alone
    assert "Obj &lt;script&gt;: Pre 40%, Post 100%; Two: Pre no data, Post 80.5%." in svg
    assert svg.count("<rect") == 3 and ">no data</text>" in svg
    assert "style=" not in svg and "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_chart_refuses_mismatched_series():
    with pytest.raises(ValueError):
        charts.horizontal_bar_chart("c", "t", "d", ["a", "b"], [charts.Series("s", (1,))])


# --- Fixtures built row by row ----------------------------------------------------------------

@pytest.fixture
def report_trainer(make_user):
    return make_user(role="trainer", name="Report Trainer")


@pytest.fixture
def course(curriculum):
    return Course(curriculum)


def _learners(make_user, course, cohort, names, **enroll):
    return [course.enroll(cohort, make_user(name=name), **enroll) for name in names]


@pytest.fixture
def item_cohort(make_user, course, report_trainer):
    """First attempts at the basics quiz (draw 4 of 6), item scores:

        learner  single multiple true false extra extra-two   total
        L1         1      1       1    1     .     .          4
        L2         1      0       1    .     0     .          2
        L3         0      1       .    0     1     .          2
        L4         0      .       0    1     0     .          1
        L5         .      0       1    0     .     1          2
    """
    cohort = new_cohort(course.curriculum, report_trainer)
    l1, l2, l3, l4, l5, l6 = _learners(make_user, course, cohort, ["L1", "L2", "L3", "L4", "L5", "L6"])
    course.take(l1, "basics", [("q-single", ["a"]), ("q-multiple", ["a", "b"]), ("q-true", ["true"]),
                               ("q-false", ["false"])])
    course.take(l2, "basics", [("q-single", ["a"]), ("q-multiple", ["a", "c"]), ("q-true", ["true"]),
                               ("q-extra", ["b"])])
    course.take(l3, "basics", [("q-single", ["c"]), ("q-multiple", ["a", "b"]), ("q-false", ["true"]),
                               ("q-extra", ["a"])])
    course.take(l4, "basics", [("q-single", ["c"]), ("q-true", ["false"]), ("q-false", ["false"]),
                               ("q-extra", ["c"])])
    course.take(l5, "basics", [("q-multiple", ["c", "d"]), ("q-true", ["true"]), ("q-false", ["true"]),
                               ("q-extra-two", ["a"])])
    # not first attempts, not submitted, or not this cohort: all left out
    course.take(l5, "basics", [("q-single", ["c"]), ("q-multiple", ["c"]), ("q-true", ["false"]),
                               ("q-false", ["true"])], number=2)
    course.take(l6, "basics", [("q-single", ["b"])], submitted=False)
    other = new_cohort(course.curriculum, name="Other class")
    stranger = course.enroll(other, make_user(name="Stranger"))
    course.take(stranger, "basics", [("q-single", ["b"]), ("q-multiple", ["d"]), ("q-true", ["false"]),
                                     ("q-extra", ["c"])])
    return cohort


def test_item_analysis_numbers_by_hand(item_cohort, course):
    outline = outline_for(course.curriculum)
    report = reports.item_analysis(item_cohort, outline.quiz("basics"))
    assert report.first_attempts == 5
    rows = {row.key: row for row in report.items}
    assert [row.key for row in report.items] == ["q-single", "q-multiple", "q-true", "q-false", "q-extra",
                                                 "q-extra-two"]
    assert {key: rows[key].attempts for key in rows} == {"q-single": 4, "q-multiple": 4, "q-true": 4, "q-false": 4,
                                                         "q-extra": 3, "q-extra-two": 1}
    # Facility: single 2/4, multiple 2/4, true 3/4, false 2/4, extra 1/3, extra-two 1/1.
    assert [rows[k].facility for k in rows] == pytest.approx([0.5, 0.5, 0.75, 0.5, 1 / 3, 1.0])
    # Discrimination: each learner saw 4 items, so the rest score is (total - item) / 3; the /3
    # does not change a correlation, so the rest sums are used below.
    # single: x = 1,1,0,0 (L1-L4); rest = 3,1,2,1 (mean 1.75)
    #   dx = .5,.5,-.5,-.5  dr = 1.25,-.75,.25,-.75  Sxy = .625-.375-.125+.375 = .5
    #   Sxx = 1; Syy = 1.5625+.5625+.0625+.5625 = 2.75 -> r = .5/sqrt(2.75) = 0.30151
    assert rows["q-single"].discrimination == pytest.approx(0.30151, abs=1e-5)
    # multiple: x = 1,0,1,0 (L1,L2,L3,L5); rest = 3,2,1,2 (mean 2): dr = 1,0,-1,0 -> Sxy = 0 -> r = 0
    assert rows["q-multiple"].discrimination == pytest.approx(0.0, abs=1e-9)
    # true: x = 1,1,0,1 (L1,L2,L4,L5); rest = 3,1,1,1 (mean 1.5)
    #   dx = .25,.25,-.75,.25  dr = 1.5,-.5,-.5,-.5  Sxy = .375-.125+.375-.125 = .5
    #   Sxx = .75; Syy = 3 -> r = .5/sqrt(2.25) = 0.33333
    assert rows["q-true"].discrimination == pytest.approx(1 / 3)
    # false: x = 1,0,1,0 (L1,L3,L4,L5); rest = 3,2,0,2 (mean 1.75)
    #   dr = 1.25,.25,-1.75,.25  Sxy = .625-.125-.875-.125 = -.5; Syy = 4.75 -> r = -.5/sqrt(4.75) = -0.22942
    assert rows["q-false"].discrimination == pytest.approx(-0.22942, abs=1e-5)
    # extra: x = 0,1,0 (L2,L3,L4); rest = 2,1,1 -> dx = -1/3,2/3,-1/3; dr = 2/3,-1/3,-1/3
    #   Sxy = -1/3; Sxx = Syy = 2/3 -> r = -0.5
    assert rows["q-extra"].discrimination == pytest.approx(-0.5)
    # extra-two: a single learner, so no correlation
    assert rows["q-extra-two"].discrimination is None
    # Most-chosen wrong choice: single "Wrong two" (L3, L4); multiple "Wrong C" (L2 and L5 both
    # included it, L5 also D); true "False" (L4); false "True" (L3, L5); extra: "Extra wrong" and
    # "Extra wrong two" once each, the tie goes to the earlier choice; extra-two: nobody wrong.
    assert {k: (rows[k].wrong_choice, rows[k].wrong_choice_count) for k in rows} == {
        "q-single": ("Wrong two", 2), "q-multiple": ("Wrong C", 2), "q-true": ("False", 1),
        "q-false": ("True", 2), "q-extra": ("Extra wrong", 1), "q-extra-two": (None, 0)}
    assert {k: rows[k].flags for k in rows} == {
        "q-single": (), "q-multiple": ("Low discrimination: below 0.20",), "q-true": (),
        "q-false": ("Negative discrimination: check the answer key",),
        "q-extra": ("Negative discrimination: check the answer key",),
        "q-extra-two": ("Very easy: facility above 0.95",)}
    assert rows["q-single"].objective == "Identify the facts of basics." and rows["q-single"].form == "basics"
    assert report.alpha.value is None
    assert report.alpha.reason == "Not reported: fewer than 10 first attempts (5 so far)."


def test_alpha_over_ten_first_attempts_at_the_pretest(make_user, course, report_trainer):
    # Item scores (pretest-1, pretest-2): (1,1) x3, (1,0) x2, (0,1) x1, (0,0) x4.
    # Item variances: p = .5 -> .25; p = .4 -> .24; sum .49.
    # Totals 2,2,2,1,1,1,0,0,0,0: mean .9, mean square 1.5, variance 1.5 - .81 = .69.
    # alpha = 2/1 * (1 - .49/.69) = .4/.69 = 0.57971
    cohort = new_cohort(course.curriculum, report_trainer)
    answers = [(1, 1)] * 3 + [(1, 0)] * 2 + [(0, 1)] + [(0, 0)] * 4
    for n, (first, second) in enumerate(answers):
        enrollment = course.enroll(cohort, make_user(name=f"P{n}"))
        course.take(enrollment, "pretest", [("pretest-1", ["a" if first else "b"]),
                                            ("pretest-2", ["true" if second else "false"])])
    report = reports.item_analysis(cohort, outline_for(course.curriculum).pretest)
    assert report.alpha.value == pytest.approx(0.4 / 0.69)
    assert (report.alpha.learners, report.alpha.items) == (10, 2)


@pytest.fixture
def gain_cohort(make_user, course, report_trainer):
    """A crossover cohort. Item 1 of either form measures basics/recall, item 2 practice/apply.

        trainee  order  pre test (form, items)   post test (form, items)     pre  post
        A1       AB     pretest   1 0            posttest  1 1               50   100
        A2       AB     pretest   0 1            posttest  1 0 (retake 1 1)  50    50
        A3       AB     pretest   1 1            posttest  1 1              100   100
        B1       BA     posttest  0 1            pretest   1 1               50   100
        B2       BA     posttest  0 0            pretest   1 1                0   100
        B3       BA     posttest  1 0            (in progress)               50     -
        N1       AB     -                        -                            -     -
    """
    cohort = new_cohort(course.curriculum, report_trainer, crossover_forms=True)
    a1, a2, a3, _n1 = _learners(make_user, course, cohort, ["A1", "A2", "A3", "N1"])
    b1, b2, b3 = _learners(make_user, course, cohort, ["B1", "B2", "B3"], form_order="BA")

    def items(form, first, second):
        return [(f"{form}-1", ["a" if first else "b"]), (f"{form}-2", ["true" if second else "false"])]

    for enrollment, pre, post in ((a1, (1, 0), (1, 1)), (a2, (0, 1), (1, 0)), (a3, (1, 1), (1, 1))):
        course.take(enrollment, "pretest", items("pretest", *pre))
        course.take(enrollment, "posttest", items("posttest", *post))
    course.take(a2, "posttest", items("posttest", 1, 1), number=2)
    for enrollment, pre, post in ((b1, (0, 1), (1, 1)), (b2, (0, 0), (1, 1))):
        course.take(enrollment, "pretest", items("posttest", *pre), form="posttest")
        course.take(enrollment, "posttest", items("pretest", *post), form="pretest")
    course.take(b3, "pretest", items("posttest", 1, 0), form="posttest")
    course.take(b3, "posttest", items("pretest", 1, 1), form="pretest", submitted=False)
    return cohort


def test_knowledge_gain_numbers_by_hand(gain_cohort, course):
    report = reports.knowledge_gain(gain_cohort, outline_for(course.curriculum))
    scores = {t.name: (t.pre, t.post, t.gain) for t in report.trainees}
    assert scores == {"A1": (50, 100, 50), "A2": (50, 50, 0), "A3": (100, 100, 0), "B1": (50, 100, 50),
                      "B2": (0, 100, 100), "B3": (50, None, None), "N1": (None, None, None)}
    assert [t.name for t in report.unpaired] == ["B3", "N1"]
    # Paired: (50,100) (50,50) (100,100) (50,100) (0,100)
    # mean pre 250/5 = 50; mean post 450/5 = 90; mean gain 40; g = 40 / (100 - 50) = 0.8
    # individual g: A1 50/50 = 1, A2 0/50 = 0, A3 left out (pre 100), B1 50/50 = 1, B2 100/100 = 1
    #   mean 3/4 = 0.75; improved: A1, B1, B2 = 3 of 5
    s = report.summary
    assert (s.paired, s.mean_pre, s.mean_post, s.mean_gain) == (5, 50, 90, 40)
    assert s.normalized_gain == pytest.approx(0.8) and s.mean_individual_gain == pytest.approx(0.75)
    assert s.individual_gain_learners == 4 and s.improved == 3 and s.share_improved == pytest.approx(0.6)
    # Per objective, through the question each trainee actually answered:
    #   recall (item 1) pre: A1 1, A2 0, A3 1, B1 0, B2 0 = 40%; post: all 1 = 100%
    #   apply  (item 2) pre: A1 0, A2 1, A3 1, B1 1, B2 0 = 60%; post: 1, 0, 1, 1, 1 = 80%
    objectives = {o.text: (o.module, o.means.pre, o.means.post, o.means.pre_answers) for o in report.objectives}
    assert objectives == {"Identify the facts of basics.": ("Module basics", 40, 100, 5),
                          "Apply practice to a case.": ("Module practice", 60, 80, 5)}
    assert [o.module for o in report.objectives] == ["Module basics", "Module practice"]
    # By form order. AB: (50,100) (50,50) (100,100): pre 66.67, post 83.33, gain 16.67,
    #   g = 16.67 / 33.33 = 0.5. BA: (50,100) (0,100): pre 25, post 100, gain 75, g = 75/75 = 1.
    assert report.crossover
    ab, ba = report.by_form
    assert (ab.form_order, ab.summary.paired, ba.form_order, ba.summary.paired) == ("AB", 3, "BA", 2)
    assert (ab.summary.mean_pre, ab.summary.mean_post) == pytest.approx((200 / 3, 250 / 3))
    assert ab.summary.normalized_gain == pytest.approx(0.5)
    assert (ba.summary.mean_pre, ba.summary.mean_post, ba.summary.normalized_gain) == pytest.approx((25, 100, 1))
    #   AB recall pre (1,0,1) 66.67, post 100; apply pre (0,1,1) 66.67, post (1,0,1) 66.67
    #   BA recall pre (0,0) 0, post 100;        apply pre (1,0) 50, post 100
    def flat(objectives):
        return [value for o in objectives for value in (o.means.pre, o.means.post)]

    assert flat(ab.objectives) == pytest.approx([200 / 3, 100, 200 / 3, 200 / 3])
    assert flat(ba.objectives) == pytest.approx([0, 100, 50, 100])


def test_pretest_item_analysis_keeps_each_form_apart(gain_cohort, course):
    report = reports.item_analysis(gain_cohort, outline_for(course.curriculum).pretest)
    rows = {row.key: row for row in report.items}
    # AB trainees answered pretest-1 first: A1 1, A2 0, A3 1; BA trainees posttest-1: B1 0, B2 0, B3 1
    assert (rows["pretest-1"].form, rows["pretest-1"].attempts) == ("pretest", 3)
    assert (rows["posttest-1"].form, rows["posttest-1"].attempts) == ("posttest", 3)
    assert rows["pretest-1"].facility == pytest.approx(2 / 3)
    assert rows["posttest-1"].facility == pytest.approx(1 / 3)
    assert [row.form for row in report.items] == ["pretest", "pretest", "posttest", "posttest"]


@pytest.fixture
def completion_cohort(make_user, course, report_trainer):
    """An in-person cohort (attendance counts for a day):

        trainee  track         modules complete                 present  post-test  certificate
        T1       introductory  basics newcomers practice        1 2      passed     valid
        T2       introductory  basics newcomers                 1        -          -
        T3       introductory  basics newcomers                 (absent) -          -
        T4       advanced      basics specialists practice      1 2      passed     revoked
        T5       advanced      -                                -        -          -
    """
    cohort = new_cohort(course.curriculum, report_trainer, delivery_mode="in_person")
    t1, t2, t3 = _learners(make_user, course, cohort, ["T1", "T2", "T3"])
    t4, _t5 = _learners(make_user, course, cohort, ["T4", "T5"], track="advanced")
    right = [("posttest-1", ["a"]), ("posttest-2", ["true"])]
    for enrollment, modules in ((t1, ["basics", "newcomers", "practice"]), (t2, ["basics", "newcomers"]),
                                (t3, ["basics", "newcomers"]), (t4, ["basics", "specialists", "practice"])):
        for module in modules:
            course.complete_module(enrollment, module)
    for enrollment in (t1, t4):
        attend(enrollment, 1)
        attend(enrollment, 2)
        course.take(enrollment, "posttest", right)
    attend(t2, 1)
    attend(t3, 1, present=False)
    certify(t1, db.session.get(User, t1.user_id))
    certify(t4, db.session.get(User, t4.user_id), revoked=True)
    other = new_cohort(course.curriculum, name="Elsewhere", delivery_mode="in_person")
    course.complete_module(course.enroll(other, make_user(name="Elsewhere")), "basics")
    return cohort


def test_completion_counts_by_hand(completion_cohort, course):
    report = reports.completion_summary(completion_cohort, outline_for(course.curriculum))
    counts = [(c.label.split(" ")[0], c.enrolled, c.days_complete, c.posttest_passed, c.certified)
              for c in report.counts]
    assert counts == [("Introductory", 3, (2, 1), 1, 1), ("Advanced", 2, (1, 1), 1, 0), ("All", 5, (3, 2), 2, 1)]
    # percent: required items on either track = 3 modules x (2 lessons + quiz) + post-test = 10
    #   T1 10/10, T2 6/10, T3 6/10 (attendance is not part of the percent), T4 10/10, T5 0
    assert {t.name: t.percent for t in report.trainees} == {"T1": 100, "T2": 60, "T3": 60, "T4": 100, "T5": 0}
    assert [band.count for band in report.bands] == [1, 0, 0, 2, 2]
    assert report.day_numbers == (1, 2)


def test_bulk_learner_records_match_the_single_learner_reads(completion_cohort, gain_cohort, course):
    outline = outline_for(course.curriculum)
    for cohort in (completion_cohort, gain_cohort):
        records = reports.learner_records_for_cohort(cohort, outline)
        enrollments = db.session.scalars(db.select(Enrollment).where(Enrollment.cohort_id == cohort.id)).all()
        assert set(records) == {e.id for e in enrollments}
        for enrollment in enrollments:
            assert records[enrollment.id] == learner_record(enrollment)
            # online cohorts do not take attendance; in-person ones always have a set of days
            assert (records[enrollment.id].days_attended is None) == (not cohort.records_attendance)


# --- Pages, CSV and access --------------------------------------------------------------------

def test_report_pages_show_the_numbers_tables_and_charts(client, auth, report_trainer, gain_cohort, completion_cohort,
                                                         item_cohort):
    auth.login(report_trainer.email)
    items = client.get(_url(item_cohort, "items")).get_data(as_text=True)
    assert items.count("<h1") == 1 and '<select id="quiz" name="quiz"' in items and '<label for="quiz">' in items
    assert '<option value="basics" selected>' in items
    assert "Wrong two" in items and "0.30" in items and "Negative discrimination: check the answer key" in items
    assert "fewer than 10 first attempts" in items
    assert f"/trainer/cohorts/{item_cohort.id}/reports/items.csv?quiz=basics" in items
    assert f"/trainer/cohorts/{item_cohort.id}/reports/gain" in items
    newcomers = client.get(_url(item_cohort, "items", quiz="newcomers")).get_data(as_text=True)
    assert '<option value="newcomers" selected>' in newcomers and "has submitted a first attempt" in newcomers
    assert client.get(_url(item_cohort, "items", quiz="nope")).status_code == 404

    gain = client.get(_url(gain_cohort, "gain")).get_data(as_text=True)
    assert gain.count("<h1") == 1 and 'role="img"' in gain and "<desc" in gain
    assert "Mean pre-test and post-test scores" in gain
    assert "50.0%" in gain and "90.0%" in gain and "+40.0 points" in gain and "0.80" in gain
    assert "3 of 5 (60.0%)" in gain and "AB: pre-test form first" in gain and "No: only one test" in gain
    assert '<th scope="row">Module basics: Identify the facts of basics.</th>' in gain

    completion = client.get(_url(completion_cohort, "completion")).get_data(as_text=True)
    assert completion.count("<h1") == 1 and 'role="img"' in completion and "<caption>" in completion
    assert '<th scope="row">60 to 79%</th><td>2</td>' in completion
    assert re.search(r"<strong>All tracks</strong></th>\s*<td>5</td>\s*<td>3</td><td>2</td>\s*<td>2</td>\s*"
                     r"<td>1</td>", completion)


def test_csv_exports(client, auth, report_trainer, gain_cohort, completion_cohort, item_cohort, make_user, course):
    injected = make_user(name='=HYPERLINK("http://evil.example","click")', agency="@Agency", discipline="-Probation")
    course.enroll(gain_cohort, injected)
    auth.login(report_trainer.email)

    gain = _csv(client.get(_url(gain_cohort, "gain.csv")))
    assert gain[0] == ["name", "email", "agency", "discipline", "track", "form_order", "pre_percent",
                       "post_percent", "gain_points", "normalized_gain", "paired"]
    rows = {row[0]: row for row in gain[1:]}
    assert rows["'=HYPERLINK(\"http://evil.example\",\"click\")"][2:4] == ["'@Agency", "'-Probation"]
    assert rows["'=HYPERLINK(\"http://evil.example\",\"click\")"][10] == "no"
    assert rows["A2"][5:] == ["AB", "50.0", "50.0", "0.0", "0.0", "yes"]
    assert rows["B2"][5:] == ["BA", "0.0", "100.0", "100.0", "1.0", "yes"]
    assert rows["N1"][6:10] == ["", "", "", ""]

    items = _csv(client.get(_url(item_cohort, "items.csv", quiz="basics")))
    assert items[0][:4] == ["question_key", "form", "objective", "prompt"]
    by_key = {row[0]: row for row in items[1:]}
    assert by_key["q-false"][5:10] == ["4", "0.5", "-0.229", "True", "2"]
    assert by_key["q-extra-two"][7] == ""

    completion = _csv(client.get(_url(completion_cohort, "completion.csv")))
    assert completion[0] == ["name", "email", "agency", "discipline", "track", "percent_complete", "day_1_complete",
                             "day_2_complete", "posttest_passed", "certificate"]
    by_name = {row[0]: row for row in completion[1:]}
    assert by_name["T1"][4:] == ["introductory", "100", "yes", "yes", "yes", "yes"]
    assert by_name["T3"][5:] == ["60", "no", "no", "no", "no"]
    assert by_name["T4"][9] == "no"


@pytest.mark.parametrize("route", ROUTES)
def test_trainer_of_another_cohort_gets_404(client, auth, make_user, item_cohort, route):
    auth.login(make_user(role="trainer").email)
    assert client.get(_url(item_cohort, route)).status_code == 404


@pytest.mark.parametrize("route", ROUTES)
def test_trainee_gets_403(client, auth, make_user, item_cohort, route):
    auth.login(make_user().email)
    assert client.get(_url(item_cohort, route)).status_code == 403


@pytest.mark.parametrize("route", ROUTES)
def test_anonymous_is_sent_to_log_in(client, item_cohort, route):
    response = client.get(_url(item_cohort, route))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("route", ROUTES)
def test_admin_and_assigned_trainer_see_every_report(client, auth, make_user, report_trainer, item_cohort, route):
    auth.login(report_trainer.email)
    assert client.get(_url(item_cohort, route)).status_code == 200
    auth.logout()
    auth.login(make_user(role="admin").email)
    assert client.get(_url(item_cohort, route)).status_code == 200


def test_unknown_cohort_is_404(client, auth, make_user, curriculum):
    auth.login(make_user(role="admin").email)
    assert client.get("/trainer/cohorts/99999/reports/gain").status_code == 404


# --- Query counts -----------------------------------------------------------------------------

def test_each_report_runs_the_same_few_queries_for_100_and_1000_trainees(client, auth, report_trainer, course,
                                                                        count_queries):
    small = bulk_cohort(course, report_trainer, 100, "s")
    large = bulk_cohort(course, report_trainer, 1000, "l")
    auth.login(report_trainer.email)

    def statements(cohort, route):
        url = _url(cohort, route)  # outside the count: reading cohort.id may reload the test's row
        with count_queries() as counted:
            response = client.get(url)
            assert response.status_code == 200
            response.get_data()
        return len(counted)

    client.get(_url(small, "completion"))  # warm the outline cache, as any running server has
    measured = {}
    for route in ("items", "items.csv?quiz=pretest", "gain", "gain.csv", "completion", "completion.csv"):
        measured[route] = (statements(small, route), statements(large, route))
    for route, (at_100, at_1000) in measured.items():
        assert at_100 == at_1000, (route, measured)
        assert at_1000 <= 15, (route, measured)
    print("report statements (100, 1000 trainees):", measured)
